"""Volunteers and professionals sign up, meet opportunities, and log the hours they give."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from facciamorete.directory.tests.factories import (
    OrganizationFactory,
    language,
    municipality,
    operator_of,
)
from facciamorete.engagement.models import HoursLog, Interest, Volunteer

from .base import EngagementTestCase, coordinator
from .factories import OpportunityFactory, VolunteerFactory


class SigningUp(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        municipality("059001")
        municipality("059006")
        language("ar")
        cls.url = reverse("engagement:collaborate")
        cls.opportunity = OpportunityFactory(title="Accompagnamento alle visite")

    def data(self, **extra):
        return {
            "submission_token": "7d0c1b2e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
            "kind": "professionista",
            "profession": "mediatore",
            "name": "Samira Haddad",
            "email": "samira@example.org",
            "skills": "mediazione, guida",
            "languages": ["ar"],
            "weekdays": ["sa", "su"],
            "day_parts": ["morning"],
            "municipalities": ["059001"],
            "consent": "on",
            **extra,
        }

    def test_the_page_lists_open_opportunities_and_the_sign_up_form(self):
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>Collabora con noi</h1>", html=True)
        self.assertContains(response, "Accompagnamento alle visite")
        self.assertContains(response, 'for="id_skills"')

    def test_a_sign_up_opens_a_personal_page_with_matching_opportunities_and_an_email(self):
        response = self.submit(self.url, self.data())
        volunteer = Volunteer.objects.get()
        self.assertRedirects(response, volunteer.get_absolute_url())
        page = self.client.get(volunteer.get_absolute_url())
        self.assertContains(page, "Ciao Samira Haddad")
        self.assertContains(page, "sabato, domenica · mattina")
        self.assertContains(page, "Accompagnamento alle visite")
        self.assertEqual(mail.outbox[-1].to, ["samira@example.org"])
        self.assertIn(volunteer.get_absolute_url(), mail.outbox[-1].body)

    def test_a_double_click_makes_one_sign_up(self):
        self.submit(self.url, self.data())
        self.submit(self.url, self.data())
        self.assertEqual(Volunteer.objects.count(), 1)

    def test_refusals_keep_what_was_typed(self):
        response = self.submit(
            self.url, self.data(profession="", municipalities=[], consent="", phone="12")
        )
        self.assertContains(response, "Indica la tua professione")
        self.assertContains(response, "Scegli almeno un comune")
        self.assertContains(response, "Senza il consenso")
        self.assertContains(response, "non è un numero di telefono valido")
        self.assertContains(response, 'value="Samira Haddad"')
        self.assertContains(response, "mediazione, guida")
        self.assertFalse(Volunteer.objects.exists())

    def test_a_robot_filling_the_honeypot_makes_nothing(self):
        self.submit(self.url, self.data(homepage="x"))
        self.assertFalse(Volunteer.objects.exists())


class Matching(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = OrganizationFactory(name="Auser Aprilia", email="auser@example.org")
        cls.operator = operator_of(cls.org, "operatore@example.org")
        cls.opportunity = OpportunityFactory(organization=cls.org, title="Guida del pulmino")
        cls.volunteer = VolunteerFactory(name="Paolo Neri", email="paolo@example.org")
        cls.elsewhere = VolunteerFactory(name="Lontana", municipalities=[municipality("059006")])
        cls.weekdays_only = VolunteerFactory(name="Feriale", weekdays=["mo"])
        OpportunityFactory(title="Opportunità chiusa", closes_on=dt.date(2020, 1, 1))

    def test_a_volunteer_sees_only_opportunities_in_their_comuni_and_hours(self):
        page = self.client.get(self.volunteer.get_absolute_url())
        self.assertContains(page, "Guida del pulmino")
        self.assertNotContains(page, "Opportunità chiusa")
        other = self.client.get(self.elsewhere.get_absolute_url())
        self.assertNotContains(other, "Guida del pulmino")
        self.assertNotContains(self.client.get(self.weekdays_only.get_absolute_url()), "pulmino")

    def test_the_organisation_sees_matching_people_without_names_and_proposes(self):
        self.client.force_login(self.operator)
        url = reverse("admin:engagement_opportunity_change", args=[self.opportunity.pk])
        page = self.client.get(url)
        self.assertContains(page, f"Volontario/a n. {self.volunteer.pk}")
        self.assertNotContains(page, "Paolo Neri")
        self.assertNotContains(page, "paolo@example.org")
        self.assertNotContains(page, f"Volontario/a n. {self.elsewhere.pk}<")
        action = reverse("admin:engagement_opportunity_collaboration", args=[self.opportunity.pk])
        self.submit(action, {"action": "propose", "volunteer": self.volunteer.pk})
        self.assertEqual(mail.outbox[-1].to, ["paolo@example.org"])
        self.assertIn("Auser Aprilia ti propone", mail.outbox[-1].subject)
        self.client.logout()
        own = self.client.get(self.volunteer.get_absolute_url())
        self.assertContains(own, "l'ente ti propone questa opportunità")

    def test_interest_then_confirmation_gives_the_volunteer_the_contacts_and_hours_count(self):
        profile = self.volunteer.get_absolute_url()
        self.submit(profile, {"action": "interest", "opportunity": self.opportunity.pk})
        self.assertEqual(
            sorted(m.to[0] for m in mail.outbox), ["auser@example.org", "operatore@example.org"]
        )
        self.assertNotIn("Paolo", mail.outbox[0].body)
        interest = Interest.objects.get()
        self.assertTrue(interest.volunteer_interested)

        self.client.force_login(self.operator)
        action = reverse("admin:engagement_opportunity_collaboration", args=[self.opportunity.pk])
        self.submit(action, {"action": "confirm", "interest": interest.pk})
        interest.refresh_from_db()
        self.assertEqual(interest.status, Interest.Status.CONFIRMED)
        self.assertIn("auser@example.org", mail.outbox[-1].body)
        self.assertEqual(mail.outbox[-1].to, ["paolo@example.org"])

        self.client.logout()
        yesterday = timezone.localdate() - dt.timedelta(days=1)
        self.submit(
            profile,
            {
                "action": "hours",
                "interest": interest.pk,
                "day": yesterday.isoformat(),
                "hours": "3",
            },
        )
        log = HoursLog.objects.get()
        self.assertFalse(log.confirmed)
        self.client.force_login(self.operator)
        self.submit(action, {"action": "confirm_hours", "log": log.pk})
        self.client.logout()
        page = self.client.get(profile)
        self.assertContains(page, "<dd>3,0</dd>", html=True)

    def test_hours_cannot_be_logged_in_the_future_or_without_a_confirmed_collaboration(self):
        interest = Interest.objects.create(
            volunteer=self.volunteer,
            opportunity=self.opportunity,
            volunteer_interested=True,
            status=Interest.Status.CONFIRMED,
        )
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = self.submit(
            self.volunteer.get_absolute_url(),
            {
                "action": "hours",
                "interest": interest.pk,
                "day": tomorrow.isoformat(),
                "hours": "2",
            },
        )
        self.assertContains(response, "non quelle future")
        other = VolunteerFactory()
        self.submit(
            other.get_absolute_url(),
            {
                "action": "hours",
                "interest": interest.pk,
                "day": "2025-01-01",
                "hours": "2",
            },
        )
        self.assertFalse(HoursLog.objects.exists())

    def test_the_organisation_cannot_confirm_someone_who_has_not_said_yes(self):
        interest = Interest.objects.create(
            volunteer=self.volunteer, opportunity=self.opportunity, organization_interested=True
        )
        self.client.force_login(self.operator)
        action = reverse("admin:engagement_opportunity_collaboration", args=[self.opportunity.pk])
        self.submit(action, {"action": "confirm", "interest": interest.pk})
        interest.refresh_from_db()
        self.assertEqual(interest.status, Interest.Status.OPEN)


class VolunteersPersonalData(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.volunteer = VolunteerFactory(name="Paolo Neri", email="paolo@example.org")
        org_a = OrganizationFactory()
        cls.opportunity_a = OpportunityFactory(organization=org_a)
        cls.operator_b = operator_of(OrganizationFactory(), "altro@example.org")
        cls.coordinator = coordinator()

    def test_only_coordinators_see_names_and_contacts(self):
        url = reverse("admin:engagement_volunteer_change", args=[self.volunteer.pk])
        self.assertEqual(self.client.get(url).status_code, 302)
        self.client.force_login(self.operator_b)
        self.assertEqual(self.client.get(url).status_code, 403)
        self.client.force_login(self.coordinator)
        self.assertContains(self.client.get(url), "paolo@example.org")

    def test_an_operator_of_another_organisation_cannot_open_or_act_on_its_opportunity(self):
        self.client.force_login(self.operator_b)
        change = reverse("admin:engagement_opportunity_change", args=[self.opportunity_a.pk])
        self.assertNotEqual(self.client.get(change).status_code, 200)
        action = reverse("admin:engagement_opportunity_collaboration", args=[self.opportunity_a.pk])
        response = self.submit(action, {"action": "propose", "volunteer": self.volunteer.pk})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Interest.objects.exists())
