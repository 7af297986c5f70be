"""A person asks for help without an account, follows the request by code, withdraws it."""

import uuid

from django.core import mail
from django.urls import reverse

from facciamorete.directory.tests.factories import municipality, term
from facciamorete.referrals.models import Consent, HelpRequest, Referral

from .base import SECRET, ReferralsTestCase


class AskingForHelp(ReferralsTestCase):
    def form_data(self, **changes):
        data = {
            "description": "Cerco un corso di italiano per mia madre",
            "areas": [term("aree-utenza", "anziani").pk],
            "municipality": municipality("059005").pk,
            "preferred_language": "ar",
            "name": "Fatima",
            "contact_channel": "email",
            "phone": "",
            "email": "fatima@example.org",
            "consent": "on",
            "submission_token": str(uuid.uuid4()),
            "homepage": "",
        }
        return data | changes

    def test_a_visitor_asks_for_help_and_gets_a_short_code(self):
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(reverse("referrals:ask"), self.form_data(), follow=True)
        made = HelpRequest.objects.get(email="fatima@example.org")
        self.assertContains(response, made.code)
        self.assertRegex(made.code, r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
        self.assertEqual(made.desk, self.desk_x)  # desk X serves Cisterna di Latina
        self.assertFalse(made.taken_on_behalf)
        consent = made.consents.get()
        self.assertEqual((consent.purpose, consent.text_version), ("request", "2025-1"))
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["fatima@example.org", "sportello@example.org"]
        )
        self.assertNotIn("corso di italiano", mail.outbox[1].body)

    def test_the_same_submission_sent_twice_makes_one_request(self):
        data = self.form_data()
        first = self.client.post(reverse("referrals:ask"), data)
        second = self.client.post(reverse("referrals:ask"), data)
        self.assertEqual(HelpRequest.objects.filter(email="fatima@example.org").count(), 1)
        self.assertEqual(first["Location"], second["Location"])

    def test_mistakes_are_shown_next_to_the_fields_and_nothing_typed_is_lost(self):
        data = self.form_data(contact_channel="phone", phone="", consent="")
        response = self.client.post(reverse("referrals:ask"), data)
        self.assertContains(response, "Il modulo non è stato inviato")
        self.assertContains(response, "Scrivi il numero a cui vuoi essere chiamato.")
        self.assertContains(response, "serve il tuo consenso")
        self.assertContains(response, "Cerco un corso di italiano per mia madre")
        self.assertContains(response, 'value="fatima@example.org"')
        self.assertFalse(HelpRequest.objects.filter(email="fatima@example.org").exists())

    def test_a_wrong_phone_number_is_explained(self):
        data = self.form_data(contact_channel="sms", phone="12")
        response = self.client.post(reverse("referrals:ask"), data)
        self.assertContains(response, "non è un numero di telefono valido")

    def test_a_robot_filling_the_hidden_field_is_refused(self):
        self.client.post(reverse("referrals:ask"), self.form_data(homepage="http://spam"))
        self.assertFalse(HelpRequest.objects.filter(email="fatima@example.org").exists())

    def test_from_a_service_page_the_form_starts_with_that_service(self):
        url = reverse("referrals:ask") + f"?servizio={self.service_b.slug}"
        response = self.client.get(url)
        self.assertContains(response, "Trasporto sociale")
        self.assertContains(response, f'value="{self.service_b.slug}"')
        data = self.form_data(service=self.service_b.slug)
        self.client.post(reverse("referrals:ask"), data)
        made = HelpRequest.objects.get(email="fatima@example.org")
        self.assertEqual(made.service, self.service_b)

    def test_a_person_with_an_account_sees_all_their_requests(self):
        self.client.force_login(self.person)
        self.client.post(reverse("referrals:ask"), self.form_data())
        response = self.client.get(reverse("referrals:status"))
        for made in HelpRequest.objects.filter(person=self.person):
            self.assertContains(response, made.code)
        self.assertEqual(HelpRequest.objects.filter(person=self.person).count(), 2)


class FollowingARequest(ReferralsTestCase):
    def look_up(self, contact="333 1234567", code=None):
        return self.client.post(
            reverse("referrals:status"),
            {"action": "lookup", "code": (code or self.hr.code).lower(), "contact": contact},
            follow=True,
        )

    def test_code_and_phone_show_the_state_and_where_it_was_sent(self):
        response = self.look_up()
        self.assertContains(response, self.hr.code)
        self.assertContains(response, "Emporio solidale")
        self.assertContains(response, "Inviato")
        self.assertNotContains(response, SECRET)

    def test_a_wrong_contact_shows_nothing(self):
        response = self.look_up(contact="fatima@example.org")
        self.assertContains(response, "Non troviamo una richiesta")
        self.assertNotContains(response, "Emporio solidale")

    def test_the_person_withdraws_and_open_referrals_are_cancelled(self):
        self.look_up()
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("referrals:status"),
                {"action": "withdraw", "code": self.hr.code},
                follow=True,
            )
        self.assertContains(response, "Hai ritirato la richiesta")
        self.hr.refresh_from_db()
        self.assertEqual(self.hr.status, HelpRequest.Status.WITHDRAWN)
        referral = Referral.objects.get(pk=self.referral.pk)
        self.assertEqual(referral.status, Referral.Status.CANCELLED)
        self.assertTrue(referral.events.last().by_person)
        self.assertIn("caritas@example.org", [m.to[0] for m in mail.outbox])

    def test_nobody_withdraws_a_request_they_have_not_proved_is_theirs(self):
        response = self.client.post(
            reverse("referrals:status"), {"action": "withdraw", "code": self.hr.code}
        )
        self.assertEqual(response.status_code, 404)
        self.hr.refresh_from_db()
        self.assertEqual(self.hr.status, HelpRequest.Status.IN_PROGRESS)


class RevokingConsent(ReferralsTestCase):
    def test_revoking_consent_hides_the_request_from_that_organisation(self):
        url = reverse("admin:referrals_referral_detail", args=[self.referral.pk])
        self.client.force_login(self.op_a)
        self.assertContains(self.client.get(url), SECRET)
        self.client.logout()
        self.client.post(
            reverse("referrals:status"),
            {"action": "lookup", "code": self.hr.code, "contact": "+39 333 123 4567"},
        )
        consent = self.hr.consents.get(purpose=Consent.Purpose.REFERRAL)
        response = self.client.post(
            reverse("referrals:status"),
            {"action": "revoke", "code": self.hr.code, "consent": consent.pk},
            follow=True,
        )
        self.assertContains(response, "Caritas Aprilia non vede più la tua richiesta")
        self.client.force_login(self.op_a)
        self.assertEqual(self.client.get(url).status_code, 404)
        queue = self.client.get(reverse("admin:referrals_referral_changelist"))
        self.assertNotContains(queue, self.hr.code)
        self.assertEqual(Referral.objects.get(pk=self.referral.pk).status, "cancelled")
        # The desk still sees it, with the revocation recorded.
        self.client.force_login(self.desk_op_x)
        page = self.client.get(reverse("admin:referrals_helprequest_detail", args=[self.hr.code]))
        self.assertContains(page, "revocato il")
