"""The HSDS API: what any HSDS client gets, valid against the official schemas."""

import json

from django.test import TestCase

from facciamorete.directory.models import Service
from facciamorete.directory.tests.factories import ServiceFactory, term
from facciamorete.directory.tests.hsds_fixtures import rich_catalogue
from facciamorete.directory.tests.hsds_schema import errors, needs_hsds_schemas, nulls

PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


class HsdsApiTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.catalogue = rich_catalogue()
        cls.listening = cls.catalogue["listening"]
        cls.org = cls.catalogue["org"]

    def get(self, url: str, status: int = 200) -> dict:
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        return response.json()

    def names(self, url: str) -> set[str]:
        return {item["name"] for item in self.get(url)["contents"]}


class TheApiRoot(HsdsApiTestCase):
    def test_says_version_profile_and_where_the_openapi_is(self):
        data = self.get("/api/hsds/")
        self.assertEqual(data["version"], "3.0")
        self.assertTrue(data["openapi_url"].endswith("openapi.json"))
        self.assertIn("profile", data)


@needs_hsds_schemas
class EveryResponse(HsdsApiTestCase):
    """Each list item and each single object validates against its HSDS schema, with no null."""

    def assert_valid(self, schema: str, obj: dict):
        self.assertEqual(errors(schema, obj), [], obj.get("id"))
        self.assertEqual(nulls(obj), [])

    def assert_valid_page(self, url: str, schema: str):
        page = self.get(url)
        self.assertEqual(set(page), PAGE_KEYS)
        self.assertTrue(page["contents"], url)
        for item in page["contents"]:
            self.assert_valid(schema, item)

    def test_of_the_service_lists_validates(self):
        self.assert_valid_page("/api/hsds/services", "compiled/service_list.json")
        self.assert_valid_page("/api/hsds/services?full=true", "service.json")
        self.assert_valid_page("/api/hsds/services?minimal=true", "compiled/service_list.json")

    def test_of_one_service_validates(self):
        self.assert_valid("service.json", self.get(f"/api/hsds/services/{self.listening.id}"))

    def test_of_organisations_validates(self):
        self.assert_valid_page("/api/hsds/organizations", "compiled/organization_list.json")
        self.assert_valid_page("/api/hsds/organizations?full_service=true", "organization.json")
        self.assert_valid("organization.json", self.get(f"/api/hsds/organizations/{self.org.id}"))

    def test_of_service_at_locations_validates(self):
        page = self.get("/api/hsds/service_at_locations")
        self.assert_valid_page(
            "/api/hsds/service_at_locations", "compiled/service_at_location_list.json"
        )
        sal = page["contents"][0]
        one = self.get(f"/api/hsds/service_at_locations/{sal['id']}")
        self.assert_valid("service_at_location.json", one)

    def test_of_taxonomies_and_terms_validates(self):
        self.assert_valid_page("/api/hsds/taxonomies", "taxonomy.json")
        self.assert_valid_page("/api/hsds/taxonomy_terms", "taxonomy_term.json")
        taxonomy = self.get("/api/hsds/taxonomies")["contents"][0]
        self.assert_valid("taxonomy.json", self.get(f"/api/hsds/taxonomies/{taxonomy['id']}"))
        term_id = term("famiglie", "educativo").id
        self.assert_valid("taxonomy_term.json", self.get(f"/api/hsds/taxonomy_terms/{term_id}"))


class TheServiceList(HsdsApiTestCase):
    def test_pages_with_the_hsds_envelope(self):
        page = self.get("/api/hsds/services?per_page=2&page=2")
        self.assertEqual(
            {k: v for k, v in page.items() if k != "contents"},
            {
                "total_items": 3,
                "total_pages": 2,
                "page_number": 2,
                "size": 1,
                "first_page": False,
                "last_page": True,
                "empty": False,
            },
        )

    def test_a_page_past_the_end_is_empty(self):
        page = self.get("/api/hsds/services?page=9")
        self.assertTrue(page["empty"])
        self.assertEqual(page["contents"], [])

    def test_shows_only_published_services(self):
        self.assertEqual(
            self.names("/api/hsds/services"), {"Centro di ascolto", "Doposcuola", "Trasporto"}
        )

    def test_filters_combine_with_and(self):
        family = term("famiglie", "giuridico-legale")
        url = f"/api/hsds/services?taxonomy_term_id={family.id}&search=ascolto"
        self.assertEqual(self.names(url), {"Centro di ascolto"})
        coop = self.catalogue["coop"].id
        url = f"/api/hsds/services?taxonomy_term_id={family.id}&organization_id={coop}"
        self.assertEqual(self.names(url), set())

    def test_filters_by_taxonomy(self):
        taxonomy = term("aree-utenza", "anziani").taxonomy
        self.assertEqual(
            self.names(f"/api/hsds/services?taxonomy_id={taxonomy.id}"), {"Centro di ascolto"}
        )

    def test_filters_by_modification_date(self):
        Service.objects.filter(pk=self.listening.pk).update(updated_at="2020-01-01T00:00:00Z")
        names = self.names("/api/hsds/services?modified_after=2021-01-01")
        self.assertEqual(names, {"Doposcuola", "Trasporto"})

    def test_minimal_gives_ids_and_modification_dates(self):
        item = self.get("/api/hsds/services?minimal=true")["contents"][0]
        self.assertLessEqual(set(item), {"id", "name", "status", "last_modified"})

    def test_ndjson_streams_every_service_one_per_line(self):
        response = self.client.get("/api/hsds/services?format=ndjson&per_page=1")
        lines = b"".join(response.streaming_content).decode().splitlines()
        self.assertEqual(len(lines), 3)
        self.assertEqual(
            {json.loads(line)["name"] for line in lines}, self.names("/api/hsds/services")
        )

    def test_a_page_of_full_services_costs_the_same_queries_whatever_its_length(self):
        ServiceFactory.create_batch(4)
        with self.assertNumQueries(20):
            self.client.get("/api/hsds/services?full=true&per_page=2")
        with self.assertNumQueries(20):
            self.client.get("/api/hsds/services?full=true&per_page=7")

    def test_a_page_of_services_costs_two_queries(self):
        with self.assertNumQueries(2):
            self.client.get("/api/hsds/services")

    def test_bad_parameters_are_a_400_that_says_why(self):
        for query in (
            "page=0",
            "page=x",
            "per_page=-1",
            "minimal=forse",
            "modified_after=ieri",
            "taxonomy_term_id=x",
            "format=xml",
        ):
            data = self.get(f"/api/hsds/services?{query}", status=400)
            self.assertIn(query.split("=")[0], data["detail"])


class OneService(HsdsApiTestCase):
    def test_is_the_full_record(self):
        data = self.get(f"/api/hsds/services/{self.listening.id}")
        self.assertEqual(data["organization"]["name"], "Centro Ascolto ODV")
        self.assertEqual(len(data["service_at_locations"]), 1)

    def test_an_unpublished_or_unknown_id_is_a_404(self):
        self.get(f"/api/hsds/services/{self.catalogue['draft'].id}", status=404)
        self.get("/api/hsds/services/non-un-id", status=404)

    def test_writing_is_not_allowed(self):
        response = self.client.post("/api/hsds/services", {})
        self.assertEqual(response.status_code, 405)


class ServiceAtLocations(HsdsApiTestCase):
    def test_by_postcode_finds_what_is_at_or_serves_that_comune(self):
        self.assertEqual(self.names_of("postcode=04011"), {"Centro di ascolto"})
        self.assertEqual(self.names_of("postcode=04100"), set())

    def test_by_proximity_finds_locations_near_the_postcode(self):
        from facciamorete.territory.models import Municipality

        Municipality.objects.filter(istat_code="059001").update(latitude=41.59, longitude=12.65)
        self.assertEqual(self.names_of("postcode=04011&proximity=2000"), {"Centro di ascolto"})
        self.assertEqual(self.names_of("postcode=04011&proximity=10"), set())

    def test_a_page_costs_a_fixed_number_of_queries(self):
        with self.assertNumQueries(5):
            self.client.get("/api/hsds/service_at_locations")

    def test_proximity_needs_a_postcode(self):
        self.get("/api/hsds/service_at_locations?proximity=100", status=400)

    def names_of(self, query: str) -> set[str]:
        page = self.get(f"/api/hsds/service_at_locations?{query}")
        return {item["service"]["name"] for item in page["contents"]}


class Taxonomies(HsdsApiTestCase):
    def test_include_our_attribute_taxonomy_so_every_attribute_term_resolves(self):
        uris = {t["uri"] for t in self.get("/api/hsds/taxonomies")["contents"]}
        self.assertIn("https://facciamorete.it/taxonomies/attributi", uris)

    def test_terms_filter_by_taxonomy(self):
        taxonomy = term("aree-utenza", "anziani").taxonomy
        page = self.get(f"/api/hsds/taxonomy_terms?taxonomy_id={taxonomy.id}&per_page=200")
        self.assertEqual({t["code"] for t in page["contents"]}, {"anziani"})
