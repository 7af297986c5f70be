"""An organisation's operator keeps their own organisation and services, and nobody else's."""

from django.test import TestCase
from django.urls import reverse

from facciamorete.directory.models import Service

from .factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceFactory,
    UserFactory,
    municipality,
    operator_of,
)


class AnOrganisationOperator(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org_a = OrganizationFactory(name="Associazione A")
        cls.org_b = OrganizationFactory(name="Cooperativa B")
        cls.service_a = ServiceFactory(organization=cls.org_a, name="Servizio di A")
        cls.service_b = ServiceFactory(organization=cls.org_b, name="Servizio di B")
        cls.location_b = LocationFactory(organization=cls.org_b, name="Sede di B")
        cls.operator_a = operator_of(cls.org_a, "operatore.a@example.org")
        cls.admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)

    def setUp(self):
        self.client.force_login(self.operator_a)

    def test_sees_only_their_own_services_in_the_staff_area(self):
        response = self.client.get(reverse("admin:directory_service_changelist"))
        self.assertContains(response, "Servizio di A")
        self.assertNotContains(response, "Servizio di B")

    def test_can_edit_their_own_service(self):
        url = reverse("admin:directory_service_change", args=[self.service_a.pk])
        self.assertEqual(self.client.get(url).status_code, 200)

    def test_cannot_open_another_organisations_service(self):
        url = reverse("admin:directory_service_change", args=[self.service_b.pk])
        response = self.client.get(url)
        self.assertNotEqual(response.status_code, 200)
        self.assertRedirects(response, reverse("admin:index"), fetch_redirect_response=False)

    def test_cannot_change_another_organisations_service_by_posting(self):
        url = reverse("admin:directory_service_change", args=[self.service_b.pk])
        self.client.post(url, {"name": "Preso!"})
        self.service_b.refresh_from_db()
        self.assertEqual(self.service_b.name, "Servizio di B")

    def test_cannot_delete_another_organisations_service(self):
        url = reverse("admin:directory_service_delete", args=[self.service_b.pk])
        self.client.post(url, {"post": "yes"})
        self.assertTrue(Service.objects.filter(pk=self.service_b.pk).exists())

    def test_cannot_open_another_organisations_profile_or_location(self):
        for url in [
            reverse("admin:organizations_organization_change", args=[self.org_b.pk]),
            reverse("admin:directory_location_change", args=[self.location_b.pk]),
        ]:
            self.assertEqual(self.client.get(url).status_code, 302, url)

    def test_can_only_create_services_for_their_own_organisation(self):
        response = self.client.get(reverse("admin:directory_service_add"))
        choices = list(response.context["adminform"].form.fields["organization"].queryset)
        self.assertEqual(choices, [self.org_a])

    def test_cannot_attach_another_organisations_location_to_a_service(self):
        response = self.client.get(
            reverse("admin:directory_service_change", args=[self.service_a.pk])
        )
        formset = next(
            f
            for f in response.context["inline_admin_formsets"]
            if f.formset.model.__name__ == "ServiceAtLocation"
        )
        locations = formset.formset.empty_form.fields["location"].queryset
        self.assertNotIn(self.location_b, locations)

    def test_cannot_change_their_organisations_status(self):
        url = reverse("admin:organizations_organization_change", args=[self.org_a.pk])
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("status", response.context["adminform"].form.fields)

    def test_a_network_admin_sees_everything(self):
        self.client.force_login(self.admin)
        response = self.client.get(reverse("admin:directory_service_changelist"))
        self.assertContains(response, "Servizio di A")
        self.assertContains(response, "Servizio di B")

    def test_a_visitor_is_sent_to_the_login_page(self):
        self.client.logout()
        response = self.client.get(reverse("admin:directory_service_changelist"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("admin:login"), response["Location"])

    def test_the_comune_field_does_not_load_every_italian_comune(self):
        municipality("059006")
        response = self.client.get(reverse("admin:directory_location_add"))
        self.assertContains(response, "admin-autocomplete")
