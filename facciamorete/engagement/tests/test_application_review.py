"""A coordinator approves, asks more about, or rejects an application to join."""

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from facciamorete.core.roles import OPERATORS
from facciamorete.engagement.models import JoinApplication
from facciamorete.organizations.models import Membership, Organization

from .base import EngagementTestCase, coordinator
from .factories import JoinApplicationFactory


def review_url(application, decision):
    return reverse("admin:engagement_joinapplication_review", args=[application.pk, decision])


class ReviewingAnApplication(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.coordinator = coordinator()

    def setUp(self):
        super().setUp()
        self.application = JoinApplicationFactory(
            name="Associazione L'Abbraccio",
            contact_email="giulia@example.org",
            contact_name="Giulia Verdi",
        )
        self.client.force_login(self.coordinator)

    def test_the_application_page_offers_the_three_decisions(self):
        url = reverse("admin:engagement_joinapplication_change", args=[self.application.pk])
        response = self.client.get(url)
        self.assertContains(response, "Approva la domanda")
        self.assertContains(response, "Chiedi integrazioni")
        self.assertContains(response, "Respingi la domanda")
        self.assertContains(response, "giulia@example.org")

    def test_approval_publishes_the_body_with_its_joining_date_and_invites_its_operator(self):
        response = self.submit(review_url(self.application, "approva"), {"message": ""})
        self.assertEqual(response.status_code, 302)
        self.application.refresh_from_db()
        organization = self.application.organization
        self.assertEqual(self.application.status, JoinApplication.Status.APPROVED)
        self.assertEqual(organization.status, Organization.Status.ACTIVE)
        self.assertEqual(organization.tax_code, self.application.tax_code)
        membership = Membership.objects.get(organization=organization)
        self.assertEqual(
            (membership.role, membership.start_date), ("aderente", timezone.localdate())
        )
        operator = get_user_model().objects.get(email="giulia@example.org")
        self.assertTrue(operator.is_staff)
        self.assertFalse(operator.has_usable_password())
        self.assertTrue(operator.groups.filter(name=OPERATORS).exists())
        self.assertTrue(organization.operators.filter(user=operator, role="admin").exists())
        members = self.client.get(reverse("engagement:members"))
        self.assertContains(members, "Associazione L&#x27;Abbraccio")
        self.assertContains(members, f"dal {timezone.localdate().day} ")
        self.assertEqual(self.client.get(organization.get_absolute_url()).status_code, 200)

        invitation = mail.outbox[-1]
        self.assertEqual(invitation.to, ["giulia@example.org"])
        self.assertIn("approvata", invitation.subject)
        link = re.search(r"https?://\S+/aderisci/password/\S+/", invitation.body).group(0)
        self.client.logout()
        path = link.split("8000", 1)[-1]
        form_page = self.client.get(path, follow=True)
        self.assertContains(form_page, "Scegli la password")
        self.client.post(
            form_page.redirect_chain[-1][0],
            {
                "new_password1": "una-password-lunga-2026",
                "new_password2": "una-password-lunga-2026",
            },
        )
        operator.refresh_from_db()
        self.assertTrue(operator.check_password("una-password-lunga-2026"))
        self.assertContains(self.client.get(path, follow=True), "Il link non è valido")

    def test_asking_for_more_lets_the_applicant_update_and_resend(self):
        self.submit(review_url(self.application, "integrazioni"), {"message": "Manca lo statuto."})
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, JoinApplication.Status.NEEDS_INFO)
        self.assertIn("Manca lo statuto.", mail.outbox[-1].body)
        self.assertIn(self.application.get_absolute_url(), mail.outbox[-1].body)
        self.client.logout()
        page = self.client.get(self.application.get_absolute_url())
        self.assertContains(page, "Manca lo statuto.")
        self.assertContains(page, "Aggiorna la domanda")
        data = {
            "submission_token": str(self.application.submission_token or "")
            or "11111111-1111-4111-8111-111111111111",
            "role": "aderente",
            "name": "Associazione L'Abbraccio",
            "kind": "aps",
            "tax_code": self.application.tax_code,
            "municipality": "059001",
            "description": "Ora con lo statuto allegato in sede.",
            "goals": ["coesione"],
            "contact_name": "Giulia Verdi",
            "contact_email": "giulia@example.org",
        }
        response = self.submit(self.application.get_absolute_url(), data)
        self.assertRedirects(response, self.application.get_absolute_url())
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, JoinApplication.Status.SUBMITTED)
        self.assertEqual(self.application.description, "Ora con lo statuto allegato in sede.")
        self.assertTrue(any(m.to == [self.coordinator.email] for m in mail.outbox))

    def test_a_rejection_needs_a_reason_which_the_applicant_receives(self):
        response = self.submit(review_url(self.application, "respingi"), {"message": "  "})
        self.assertContains(response, "Scrivi il motivo")
        self.application.refresh_from_db()
        self.assertTrue(self.application.is_open)
        self.submit(review_url(self.application, "respingi"), {"message": "Fuori distretto."})
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, JoinApplication.Status.REJECTED)
        self.assertIn("Fuori distretto.", mail.outbox[-1].body)
        self.assertFalse(Organization.objects.exists())
        self.client.logout()
        self.assertContains(
            self.client.get(self.application.get_absolute_url()), "Fuori distretto."
        )

    def test_a_decided_application_cannot_be_decided_again(self):
        self.submit(review_url(self.application, "respingi"), {"message": "Fuori distretto."})
        response = self.submit(review_url(self.application, "approva"), {"message": ""})
        self.assertContains(response, "è già stata decisa")
        self.assertFalse(Organization.objects.exists())

    def test_an_existing_account_becomes_the_operator_without_a_new_password_link(self):
        get_user_model().objects.create_user(email="giulia@example.org", password="gia-sua-2026")
        self.submit(review_url(self.application, "approva"), {"message": "Benvenuti!"})
        self.assertNotIn("/aderisci/password/", mail.outbox[-1].body)
        self.assertIn("Benvenuti!", mail.outbox[-1].body)
        self.assertTrue(
            get_user_model().objects.get(email="giulia@example.org").check_password("gia-sua-2026")
        )


class ThePartnersPage(EngagementTestCase):
    def test_groups_public_partners_by_kind_and_shows_when_they_joined(self):
        from facciamorete.directory.tests.factories import OrganizationFactory

        school = OrganizationFactory(name="Istituto comprensivo Marconi", kind="scuola")
        Membership.objects.create(
            organization=school, role="partner_pubblico", start_date=dt.date(2024, 9, 1)
        )
        ended = OrganizationFactory(name="Ex partner", kind="impresa")
        Membership.objects.create(
            organization=ended,
            role="partner_privato",
            start_date=dt.date(2020, 1, 1),
            end_date=dt.date(2021, 1, 1),
        )
        response = self.client.get(reverse("engagement:partners"))
        self.assertContains(response, '<h2 class="h4" id="section-1">Scuole</h2>', html=True)
        self.assertContains(response, "dal 1 settembre 2024")
        self.assertNotContains(response, "Ex partner")
        self.assertNotContains(self.client.get(reverse("engagement:members")), "Marconi")
