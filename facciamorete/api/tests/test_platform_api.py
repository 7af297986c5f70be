"""The platform API: anyone reads, an organisation's operators write their own records only."""

import re

from django.test import TestCase
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from facciamorete.directory.models import Service
from facciamorete.directory.tests.factories import (
    OrganizationFactory,
    ServiceFactory,
    UserFactory,
    district_lt1,
    language,
    operator_of,
    term,
)


class PlatformApiTestCase(TestCase):
    client_class = APIClient

    @classmethod
    def setUpTestData(cls):
        district_lt1()
        language("it")
        term("aree-utenza", "anziani")
        cls.org_a = OrganizationFactory(name="Associazione A")
        cls.org_b = OrganizationFactory(name="Cooperativa B")
        cls.service_a = ServiceFactory(organization=cls.org_a, name="Servizio di A")
        cls.service_b = ServiceFactory(organization=cls.org_b, name="Servizio di B")
        cls.operator_a = operator_of(cls.org_a, "operatore.a@example.org")
        cls.token_a = Token.objects.create(user=cls.operator_a)
        cls.operator_b = operator_of(cls.org_b, "operatore.b@example.org")
        cls.token_b = Token.objects.create(user=cls.operator_b)

    def as_operator_a(self):
        self.client.credentials(HTTP_AUTHORIZATION=f"Token {self.token_a.key}")

    def new_service(self, organization) -> dict:
        return {
            "organization": str(organization.id),
            "name": "Nuovo sportello",
            "description": "Ascolto.",
            "application_process": "Telefona.",
            "families": ["socio-assistenziale"],
            "areas": ["anziani"],
            "languages": ["it"],
            "cost_class": "free",
        }


class AnyoneReading(PlatformApiTestCase):
    def test_lists_published_services_in_a_fixed_number_of_queries(self):
        ServiceFactory.create_batch(3)
        ServiceFactory(name="Bozza", status=Service.Status.INACTIVE)
        with self.assertNumQueries(10):
            response = self.client.get("/api/v1/services/")
        names = {s["name"] for s in response.json()["results"]}
        self.assertEqual(len(names), 5)
        self.assertNotIn("Bozza", names)

    def test_filters_services_with_the_catalogue_filters(self):
        ServiceFactory(name="Doposcuola", families=["educativo"])
        response = self.client.get("/api/v1/services/?family=educativo")
        self.assertEqual([s["name"] for s in response.json()["results"]], ["Doposcuola"])

    def test_gives_families_and_languages_by_code(self):
        response = self.client.get(f"/api/v1/services/{self.service_a.id}/")
        self.assertEqual(response.json()["families"], ["socio-assistenziale"])

    def test_reads_territory_and_taxonomies(self):
        self.assertEqual(self.client.get("/api/v1/districts/LT1/").json()["code"], "LT1")
        self.assertEqual(self.client.get("/api/v1/regions/").json()["count"], 1)
        municipalities = self.client.get("/api/v1/municipalities/?search=cori").json()
        self.assertEqual([m["name"] for m in municipalities["results"]], ["Cori"])
        self.assertGreater(self.client.get("/api/v1/taxonomy-terms/").json()["count"], 0)

    def test_lists_organisations_in_one_page(self):
        with self.assertNumQueries(2):
            response = self.client.get("/api/v1/organizations/")
        self.assertEqual(response.json()["count"], 2)


class AnAnonymousVisitor(PlatformApiTestCase):
    def test_cannot_create_change_or_delete(self):
        url = f"/api/v1/services/{self.service_a.id}/"
        self.assertEqual(
            self.client.post("/api/v1/services/", self.new_service(self.org_a)).status_code, 401
        )
        self.assertEqual(self.client.patch(url, {"name": "Preso!"}).status_code, 401)
        self.assertEqual(self.client.delete(url).status_code, 401)
        self.service_a.refresh_from_db()
        self.assertEqual(self.service_a.name, "Servizio di A")

    def test_with_a_wrong_token_is_refused(self):
        self.client.credentials(HTTP_AUTHORIZATION="Token sbagliato")
        self.assertEqual(self.client.get("/api/v1/services/").status_code, 401)


class AnOrganisationOperator(PlatformApiTestCase):
    def setUp(self):
        self.as_operator_a()

    def test_adds_a_service_to_their_organisation(self):
        response = self.client.post(
            "/api/v1/services/", self.new_service(self.org_a), format="json"
        )
        self.assertEqual(response.status_code, 201, response.content)
        service = Service.objects.get(name="Nuovo sportello")
        self.assertEqual(service.organization, self.org_a)
        self.assertEqual([t.code for t in service.areas.all()], ["anziani"])

    def test_edits_their_own_service(self):
        url = f"/api/v1/services/{self.service_a.id}/"
        response = self.client.patch(url, {"wait_time": "Due giorni."}, format="json")
        self.assertEqual(response.status_code, 200)
        self.service_a.refresh_from_db()
        self.assertEqual(self.service_a.wait_time, "Due giorni.")

    def test_gets_the_staff_area_rules_as_errors(self):
        url = f"/api/v1/services/{self.service_a.id}/"
        response = self.client.patch(url, {"cost_class": "paid"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("cost_amount", response.json())

    def test_updates_their_organisation_but_not_its_status(self):
        url = f"/api/v1/organizations/{self.org_a.id}/"
        response = self.client.patch(url, {"website": "https://a.example.it", "status": "x"})
        self.assertEqual(response.status_code, 200)
        self.org_a.refresh_from_db()
        self.assertEqual(
            (self.org_a.website, self.org_a.status), ("https://a.example.it", "active")
        )

    def test_deletes_their_own_service(self):
        response = self.client.delete(f"/api/v1/services/{self.service_a.id}/")
        self.assertEqual(response.status_code, 204)
        self.assertFalse(Service.objects.filter(pk=self.service_a.pk).exists())


class AnOperatorOfAnotherOrganisation(PlatformApiTestCase):
    def setUp(self):
        self.as_operator_a()

    def test_cannot_add_a_service_to_it(self):
        response = self.client.post(
            "/api/v1/services/", self.new_service(self.org_b), format="json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("organization", response.json())
        self.assertFalse(Service.objects.filter(name="Nuovo sportello").exists())

    def test_cannot_change_or_delete_its_service(self):
        url = f"/api/v1/services/{self.service_b.id}/"
        self.assertEqual(self.client.patch(url, {"name": "Preso!"}).status_code, 404)
        self.assertEqual(self.client.delete(url).status_code, 404)
        self.service_b.refresh_from_db()
        self.assertEqual(self.service_b.name, "Servizio di B")

    def test_cannot_move_their_own_service_to_it(self):
        url = f"/api/v1/services/{self.service_a.id}/"
        response = self.client.patch(url, {"organization": str(self.org_b.id)}, format="json")
        self.assertEqual(response.status_code, 400)

    def test_cannot_change_the_organisation(self):
        url = f"/api/v1/organizations/{self.org_b.id}/"
        self.assertEqual(self.client.patch(url, {"name": "Presa!"}).status_code, 404)


class ASignedInPersonWithoutARole(PlatformApiTestCase):
    def test_reads_but_cannot_write(self):
        self.client.force_authenticate(UserFactory(email="persona@example.org"))
        self.assertEqual(self.client.get("/api/v1/services/").status_code, 200)
        response = self.client.post(
            "/api/v1/services/", self.new_service(self.org_a), format="json"
        )
        self.assertEqual(response.status_code, 403)


class TheSchemaAndItsDocs(TestCase):
    def test_the_openapi_schema_describes_the_platform_api(self):
        response = self.client.get("/api/schema/?format=json")
        self.assertEqual(response.status_code, 200)
        self.assertIn("/api/v1/services/", response.json()["paths"])

    def test_the_docs_page_loads_nothing_from_other_hosts(self):
        response = self.client.get("/api/docs/")
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertIn("swagger-ui", content)
        self.assertEqual(re.findall(r'(?:src|href)="(https?://[^"]+)"', content), [])
