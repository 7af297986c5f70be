"""Bad input in the staff area is refused next to its field, in Italian, keeping what was typed."""

from django.test import TestCase
from django.urls import reverse

from facciamorete.organizations.models import Organization

from .factories import OrganizationFactory, UserFactory, municipality

ORG_ADD = reverse("admin:organizations_organization_add")
LOCATION_ADD = reverse("admin:directory_location_add")

INLINES_EMPTY = {
    f"{prefix}-{key}": value
    for prefix in ["memberships", "operators", "phones", "locations"]
    for key, value in [
        ("TOTAL_FORMS", "0"),
        ("INITIAL_FORMS", "0"),
        ("MIN_NUM_FORMS", "0"),
        ("MAX_NUM_FORMS", "1000"),
    ]
}


class TheStaffArea(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
        cls.aprilia = municipality("059001")

    def setUp(self):
        self.client.force_login(self.admin)

    def post_organization(self, **fields):
        data = {
            "name": "Associazione Nuova Alba",
            "kind": "odv",
            "status": "active",
            "description": "Volontariato per le famiglie.",
            "municipality": "059001",
            **INLINES_EMPTY,
            **fields,
        }
        return self.client.post(ORG_ADD, data)

    def errors(self, response) -> dict:
        return response.context["adminform"].form.errors

    def test_accepts_a_valid_organisation(self):
        response = self.post_organization(tax_code="00000010017")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Organization.objects.filter(tax_code="00000010017").exists())

    def test_refuses_a_codice_fiscale_with_a_wrong_check_digit_and_keeps_the_form(self):
        response = self.post_organization(tax_code="00000010018", website="https://alba.example")
        self.assertIn("cifra di controllo", str(self.errors(response)["tax_code"]))
        self.assertContains(response, "Associazione Nuova Alba")
        self.assertContains(response, "https://alba.example")

    def test_refuses_a_duplicate_organisation(self):
        OrganizationFactory(tax_code="00000010017")
        response = self.post_organization(tax_code="000 0001 0017")
        self.assertIn(
            "Esiste già un ente con questo codice fiscale", str(self.errors(response)["tax_code"])
        )

    def test_refuses_a_bad_email_and_a_bad_website(self):
        response = self.post_organization(email="non-una-mail", website="non è un sito")
        errors = self.errors(response)
        self.assertIn("email", errors)
        self.assertIn("website", errors)
        self.assertIn("valid", str(errors["email"]).lower())

    def test_refuses_a_bad_phone_number(self):
        response = self.post_organization(
            **{
                "phones-TOTAL_FORMS": "1",
                "phones-0-number": "12",
                "phones-0-type": "voice",
            }
        )
        self.assertContains(response, "non è un numero di telefono valido")
        self.assertFalse(Organization.objects.filter(name="Associazione Nuova Alba").exists())

    def test_refuses_coordinates_outside_italy(self):
        organization = OrganizationFactory()
        response = self.client.post(
            LOCATION_ADD,
            {
                "organization": organization.pk,
                "location_type": "physical",
                "name": "Sede",
                "address_1": "Via Roma 1",
                "municipality": "059001",
                "latitude": "48.85",
                "longitude": "2.35",
                "phones-TOTAL_FORMS": "0",
                "phones-INITIAL_FORMS": "0",
            },
        )
        errors = self.errors(response)
        self.assertIn("fuori dall'Italia", errors["latitude"][0])
        self.assertIn("fuori dall'Italia", errors["longitude"][0])
        self.assertContains(response, "Via Roma 1")

    def test_refuses_an_end_time_before_the_start_time(self):
        from .factories import ServiceFactory

        service = ServiceFactory(organization=OrganizationFactory())
        url = reverse("admin:directory_service_change", args=[service.pk])
        page = self.client.get(url)
        data = {}
        form = page.context["adminform"].form
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if value is None:
                continue
            if isinstance(value, list):
                data[name] = [getattr(v, "pk", v) for v in value]
            else:
                data[name] = getattr(value, "pk", value)
        for formset in page.context["inline_admin_formsets"]:
            prefix = formset.formset.prefix
            data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
        data.update(
            {
                "schedules-TOTAL_FORMS": "1",
                "schedules-0-byday": "MO",
                "schedules-0-opens_at": "15:00",
                "schedules-0-closes_at": "09:00",
            }
        )
        response = self.client.post(url, data)
        self.assertContains(response, "chiusura è prima di quello di apertura")
        self.assertContains(response, 'value="15:00"')
