"""An organisation applies to join the network from /aderisci/."""

from django.core import mail
from django.urls import reverse

from facciamorete.directory.tests.factories import OrganizationFactory, municipality
from facciamorete.engagement.models import JoinApplication
from facciamorete.organizations.models import Organization

from .base import EngagementTestCase, coordinator
from .factories import JoinApplicationFactory, charter


def application_data(**extra):
    data = {
        "submission_token": "5d0c1b2e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
        "role": "aderente",
        "name": "Associazione L'Abbraccio",
        "kind": "aps",
        "tax_code": "00000010017",
        "runts_section": "b",
        "runts_number": "12345",
        "municipality": "059001",
        "description": "Ascolto e doposcuola per le famiglie del quartiere.",
        "goals": ["coesione", "protezione"],
        "contact_name": "Giulia Verdi",
        "contact_email": "giulia@example.org",
        "contact_phone": "333 1234567",
        "accept_charter": "on",
    }
    data.update(extra)
    return data


class TheJoinForm(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.url = reverse("engagement:join")
        cls.charter = charter("2.1")
        municipality("059001")
        cls.coordinator = coordinator()

    def post(self, **extra):
        return self.submit(self.url, application_data(**extra))

    def test_shows_the_form_with_the_current_charter_version(self):
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>Aderisci alla rete</h1>", html=True)
        self.assertContains(response, "versione 2.1")
        self.assertContains(response, 'name="submission_token"')

    def test_an_application_gets_a_reference_an_email_and_nothing_is_published(self):
        response = self.post()
        application = JoinApplication.objects.get()
        self.assertRedirects(response, application.get_absolute_url())
        page = self.client.get(application.get_absolute_url())
        self.assertContains(page, application.reference)
        self.assertContains(page, "Da esaminare")
        self.assertEqual(application.charter, self.charter)
        self.assertEqual(application.goals, ["coesione", "protezione"])
        to_applicant = [m for m in mail.outbox if m.to == ["giulia@example.org"]]
        self.assertEqual(len(to_applicant), 1)
        self.assertIn(application.reference, to_applicant[0].subject)
        self.assertIn("Associazione L'Abbraccio", to_applicant[0].body)
        self.assertTrue(any(m.to == [self.coordinator.email] for m in mail.outbox))
        self.assertFalse(Organization.objects.exists())
        self.assertNotContains(self.client.get(reverse("organizations:list")), "Abbraccio")

    def test_a_double_click_makes_one_application(self):
        first = self.post()
        second = self.post()
        self.assertEqual(JoinApplication.objects.count(), 1)
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(len([m for m in mail.outbox if m.to == ["giulia@example.org"]]), 1)

    def test_refuses_a_wrong_tax_code_and_keeps_what_was_typed(self):
        response = self.post(tax_code="00000010018")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "la cifra di controllo non torna")
        self.assertContains(response, "Il modulo non è stato inviato")
        self.assertContains(response, 'value="Associazione L&#x27;Abbraccio"')
        self.assertContains(response, 'value="giulia@example.org"')
        self.assertContains(response, 'value="coesione" class="form-check-input" id="id_goals_')
        self.assertFalse(JoinApplication.objects.exists())

    def test_refuses_an_organisation_already_in_the_registry(self):
        OrganizationFactory(tax_code="00000010017")
        response = self.post()
        self.assertContains(response, "fa già parte del registro")

    def test_refuses_a_second_application_for_the_same_body_while_one_is_open(self):
        JoinApplicationFactory(tax_code="00000010017")
        response = self.post(submission_token="6d0c1b2e-1f2a-4b3c-8d4e-5f6a7b8c9d0e")
        self.assertContains(response, "C&#x27;è già una domanda in corso")

    def test_needs_the_charter_accepted_and_at_least_one_goal(self):
        data = application_data(goals=[])
        del data["accept_charter"]
        response = self.submit(self.url, data)
        self.assertContains(response, "serve accettare la Carta della rete")
        self.assertContains(response, "Scegli almeno un obiettivo")

    def test_a_public_body_joins_as_public_partner_without_runts(self):
        response = self.post(kind="comune", role="aderente")
        self.assertContains(response, "Un ente pubblico aderisce come partner pubblico")
        self.assertContains(response, "Gli enti pubblici non sono iscritti al RUNTS")
        response = self.post(
            kind="comune", role="partner_pubblico", runts_section="", runts_number=""
        )
        self.assertEqual(response.status_code, 302)

    def test_a_robot_filling_the_honeypot_makes_nothing(self):
        response = self.post(homepage="http://spam.example")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(JoinApplication.objects.exists())
        self.assertEqual(mail.outbox, [])

    def test_too_many_applications_from_one_address_are_refused(self):
        for n in range(5):
            self.post(submission_token=f"00000000-0000-4000-8000-00000000000{n}", tax_code="x")
        response = self.post()
        self.assertEqual(response.status_code, 429)
        self.assertFalse(JoinApplication.objects.exists())


class WithoutACharter(EngagementTestCase):
    def test_the_page_says_applications_open_with_the_charter(self):
        response = self.client.get(reverse("engagement:join"))
        self.assertContains(response, "si apriranno con la pubblicazione della Carta")
        self.assertNotContains(response, '<form method="post"')
