"""Applicants' and registered people's data: coordinators and network admins only."""

from django.urls import reverse

from facciamorete.directory.tests.factories import OrganizationFactory, UserFactory, operator_of
from facciamorete.engagement.models import EventRegistration, JoinApplication, Pledge

from .base import EngagementTestCase, coordinator
from .factories import (
    CampaignFactory,
    EventRegistrationFactory,
    JoinApplicationFactory,
    VolunteerFactory,
)


class PersonalData(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.application = JoinApplicationFactory(contact_email="privata@example.org")
        cls.registration = EventRegistrationFactory(email="iscritta@example.net")
        cls.waiting = EventRegistrationFactory(
            event=cls.registration.event, status=EventRegistration.Status.WAITING
        )
        cls.operator = operator_of(OrganizationFactory(), "operatore@example.org")
        cls.coordinator = coordinator()
        cls.admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
        cls.pages = [
            reverse("admin:engagement_joinapplication_changelist"),
            reverse("admin:engagement_joinapplication_change", args=[cls.application.pk]),
            reverse("admin:engagement_eventregistration_changelist"),
            reverse("admin:engagement_eventregistration_change", args=[cls.registration.pk]),
        ]

    def test_a_visitor_is_sent_to_the_login_page(self):
        for url in self.pages:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertIn(reverse("admin:login"), response["Location"])

    def test_an_operator_of_another_organisation_cannot_see_them(self):
        self.client.force_login(self.operator)
        for url in self.pages:
            self.assertEqual(self.client.get(url).status_code, 403, url)
        review = reverse(
            "admin:engagement_joinapplication_review", args=[self.application.pk, "approva"]
        )
        self.assertEqual(self.submit(review, {"message": ""}).status_code, 403)
        self.application.refresh_from_db()
        self.assertEqual(self.application.status, JoinApplication.Status.SUBMITTED)
        self.assertEqual(list(JoinApplication.objects.visible_to(self.operator)), [])
        self.assertEqual(list(EventRegistration.objects.visible_to(self.operator)), [])

    def test_an_operator_does_not_see_registrations_on_the_event_page_of_the_admin(self):
        self.client.force_login(self.operator)
        event_page = reverse("admin:engagement_event_change", args=[self.registration.event.pk])
        self.assertNotContains(self.client.get(event_page), "iscritta@example.net", status_code=403)

    def test_a_coordinator_and_a_network_admin_see_them(self):
        for user in (self.coordinator, self.admin):
            self.client.force_login(user)
            self.assertContains(self.client.get(self.pages[1]), "privata@example.org")
            self.assertContains(self.client.get(self.pages[3]), "iscritta@example.net")

    def test_no_public_page_shows_them(self):
        event = self.registration.event
        self.assertNotContains(self.client.get(event.get_absolute_url()), "iscritta@example.net")
        self.assertNotContains(self.client.get(reverse("engagement:members")), "privata@")


class TheStaffOverview(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        JoinApplicationFactory.create_batch(2, tax_code="00000010017")
        JoinApplicationFactory(status=JoinApplication.Status.NEEDS_INFO)
        JoinApplicationFactory(status=JoinApplication.Status.REJECTED)
        registration = EventRegistrationFactory()
        EventRegistrationFactory(event=registration.event, status=EventRegistration.Status.WAITING)
        campaign = CampaignFactory()
        for status in ("open", "open", "fulfilled"):
            Pledge.objects.create(
                campaign=campaign,
                kind="money",
                amount=10,
                name="X",
                email="x@example.org",
                status=status,
            )
        VolunteerFactory.create_batch(2)
        cls.coordinator = coordinator()

    def test_counts_what_waits_in_one_place_with_links_to_each_list(self):
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("admin:app_list", args=["engagement"]))
        self.assertContains(response, "Da gestire")
        changelist = reverse("admin:engagement_joinapplication_changelist")
        self.assertContains(
            response,
            f'<a href="{changelist}?status__exact=submitted">Domande di adesione da esaminare</a>',
            html=True,
        )
        self.assertRegex(
            response.content.decode(),
            r"Domande di adesione da esaminare</a></th><td><strong>2</strong>",
        )
        self.assertRegex(
            response.content.decode(), r"in attesa di integrazioni</a></th><td><strong>1</strong>"
        )
        self.assertRegex(
            response.content.decode(), r"lista d&#x27;attesa</a></th><td><strong>1</strong>"
        )
        content = response.content.decode()
        self.assertRegex(content, r"sostegno da seguire</a></th><td><strong>2</strong>")
        self.assertRegex(content, r"professionisti disponibili</a></th><td><strong>2</strong>")
