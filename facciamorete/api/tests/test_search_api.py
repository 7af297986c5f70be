"""The search through the APIs: /api/v1/services/?q=… and the HSDS API's `search`, over the demo
network, as a program that calls them sees it."""

import uuid

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from facciamorete.directory.models import Service
from facciamorete.search.services import search_services

HOSTILE = [
    '"',
    '"unbalanced',
    "avvocato*",
    "NEAR(casa affitto)",
    "casa AND OR NOT -affitto",
    "(((",
    "\x00\x00avvocato\x00",
    "💥🏠 casa 🇮🇹",
    "مساعدة legal допомога ਮਦਦ",
    "' OR 1=1; DROP TABLE directory_service; --",
    "a" * 10_000,
    "casa " * 2_000,
    "%_\\",
    "   ",
]


def silently(command):
    call_command(command, verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


class SearchApiTestCase(TestCase):
    client_class = APIClient

    @classmethod
    def setUpTestData(cls):
        silently("load_reference")
        silently("seed_demo")
        silently("load_lexicon")
        cls.slug_of = dict(Service.objects.values_list("id", "slug"))

    def page(self, url: str) -> dict:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url[:200])
        return response.json()

    def slugs(self, url: str) -> list[str]:
        return [self.slug_of[uuid.UUID(s["id"])] for s in self.page(url)["results"]]

    def hsds_slugs(self, url: str) -> list[str]:
        return [self.slug_of[uuid.UUID(s["id"])] for s in self.page(url)["contents"]]


class ThePlatformApiSearch(SearchApiTestCase):
    def test_a_question_in_english_finds_the_legal_services_first(self):
        first = self.slugs("/api/v1/services/?q=free+lawyer")[:5]
        self.assertIn("consulenza-legale-forum", first)
        self.assertIn("consulenza-legale-donne", first)

    def test_a_question_in_arabic_finds_free_legal_advice_first(self):
        first = self.slugs("/api/v1/services/?q=مساعدة قانونية")[:5]
        self.assertIn("consulenza-legale-forum", first)

    def test_answers_in_rank_order_each_result_with_its_uuid(self):
        page = self.page("/api/v1/services/?q=free+lawyer")
        ids = [s["id"] for s in page["results"]]
        for value in ids:
            self.assertEqual(str(uuid.UUID(value)), value)
        ranked = [str(r.service_id) for r in search_services({"q": "free lawyer"}).results]
        self.assertEqual(ids, ranked[:20])
        self.assertEqual(page["count"], len(ranked))
        names = [s["name"] for s in page["results"]]
        self.assertNotEqual(names, sorted(names))  # not the alphabetical list

    def test_keeps_the_envelope_and_the_order_by_name_without_words(self):
        page = self.page("/api/v1/services/")
        self.assertEqual(set(page), {"count", "next", "previous", "results"})
        names = [s["name"] for s in page["results"]]
        expected = list(
            Service.objects.published().order_by("name", "id").values_list("name", flat=True)[:20]
        )
        self.assertEqual(names, expected)

    def test_filters_combine_with_the_words(self):
        found = self.page("/api/v1/services/?q=free+lawyer&language=pa")["results"]
        self.assertTrue(found)
        self.assertTrue(all("pa" in s["languages"] for s in found))
        self.assertNotIn(
            "consulenza-legale-forum", [self.slug_of[uuid.UUID(s["id"])] for s in found]
        )
        found = self.page("/api/v1/services/?q=free+lawyer&cost=paid")["results"]
        self.assertTrue(all(s["cost_class"] == "paid" for s in found))
        first = self.slugs("/api/v1/services/?q=free+lawyer&district=LT1&family=giuridico-legale")
        self.assertIn("consulenza-legale-forum", first[:5])
        far_away = "/api/v1/services/?q=free+lawyer&lat=45.46&lon=9.19&radius_km=10"
        self.assertEqual(self.page(far_away)["count"], 0)
        self.assertEqual(
            self.page("/api/v1/services/?q=free+lawyer&municipality=999999")["count"], 0
        )

    def test_pages_follow_the_rank_order(self):
        query = "aiuto per la famiglia"
        ranked = [str(r.service_id) for r in search_services({"q": query}).results]
        self.assertGreater(len(ranked), 20, "the query should give more than one page")
        first = self.page(f"/api/v1/services/?q={query}")
        second = self.client.get(first["next"]).json()
        ids = [s["id"] for s in first["results"] + second["results"]]
        self.assertEqual(ids, ranked[:40])
        self.assertEqual(len(set(ids)), len(ids))
        self.assertEqual(first["count"], second["count"])

    def test_a_page_takes_the_same_number_of_queries_whatever_it_holds(self):
        query = "aiuto per la famiglia"
        last = -(-self.page(f"/api/v1/services/?q={query}")["count"] // 20)  # also warms up
        self.assertGreater(last, 1)
        counts = []
        for page in (1, 2, last):
            with CaptureQueriesContext(connection) as queries:
                found = self.page(f"/api/v1/services/?q={query}&page={page}")["results"]
            counts.append((len(found), len(queries)))
        self.assertEqual(counts[0][0], 20)
        self.assertEqual({n for _found, n in counts}, {counts[0][1]}, counts)

    def test_hostile_words_never_break_it(self):
        for q in HOSTILE:
            with self.subTest(q=q[:30]):
                response = self.client.get("/api/v1/services/", {"q": q})
                self.assertEqual(response.status_code, 200)
                self.assertIn("results", response.json())

    def test_a_bad_filter_value_is_still_a_400_that_names_it(self):
        response = self.client.get("/api/v1/services/?q=avvocato&family=nessuna")
        self.assertEqual(response.status_code, 400)
        self.assertIn("family", response.json())


class TheHsdsApiSearch(SearchApiTestCase):
    def test_search_finds_a_misspelt_italian_word(self):
        first = self.hsds_slugs("/api/hsds/services?search=assitenza+domicilare")[:5]
        self.assertIn("assistenza-domiciliare-anziani-aprilia", first)

    def test_search_understands_other_languages_in_rank_order(self):
        page = self.page("/api/hsds/services?search=free+lawyer&per_page=10")
        ranked = [str(r.service_id) for r in search_services({"q": "free lawyer"}).results]
        self.assertEqual([s["id"] for s in page["contents"]], ranked[:10])
        self.assertEqual(page["total_items"], len(ranked))
        self.assertIn(
            "consulenza-legale-forum",
            self.hsds_slugs("/api/hsds/services?search=مساعدة قانونية&minimal=true")[:5],
        )

    def test_search_combines_with_the_other_filters(self):
        forum = Service.objects.get(slug="consulenza-legale-forum").organization_id
        url = f"/api/hsds/services?search=free+lawyer&organization_id={forum}"
        slugs = self.hsds_slugs(url)
        self.assertEqual(slugs[0], "consulenza-legale-forum")
        self.assertEqual(
            set(Service.objects.filter(slug__in=slugs).values_list("organization_id", flat=True)),
            {forum},
        )

    def test_places_come_in_the_rank_order_of_their_services(self):
        page = self.page("/api/hsds/service_at_locations?search=assitenza+domicilare")
        services = [self.slug_of[uuid.UUID(s["service"]["id"])] for s in page["contents"]]
        self.assertIn("assistenza-domiciliare-anziani-aprilia", services[:5])
        ranked = [
            self.slug_of[r.service_id]
            for r in search_services({"q": "assitenza domicilare"}).results
        ]
        order = {slug: i for i, slug in enumerate(ranked)}
        self.assertEqual(services, sorted(services, key=order.__getitem__))

    def test_full_records_and_ndjson_keep_the_rank_order(self):
        ranked = [str(r.service_id) for r in search_services({"q": "free lawyer"}).results]
        full = self.page("/api/hsds/services?search=free+lawyer&full=true&per_page=5")
        self.assertEqual([s["id"] for s in full["contents"]], ranked[:5])
        response = self.client.get("/api/hsds/services?search=free+lawyer&format=ndjson")
        lines = b"".join(response.streaming_content).decode().splitlines()
        self.assertEqual(len(lines), len(ranked))

    def test_a_page_takes_the_same_number_of_queries_whatever_it_holds(self):
        self.page("/api/hsds/services?search=aiuto")  # the lexicon is read once per process
        counts = []
        for page in (1, 2):
            with CaptureQueriesContext(connection) as queries:
                self.page(f"/api/hsds/services?search=aiuto+per+la+famiglia&per_page=5&page={page}")
            counts.append(len(queries))
        self.assertEqual(counts[0], counts[1])

    def test_hostile_words_never_break_it(self):
        for q in HOSTILE:
            for path in ("/api/hsds/services", "/api/hsds/service_at_locations"):
                with self.subTest(path=path, q=q[:30]):
                    response = self.client.get(path, {"search": q})
                    self.assertEqual(response.status_code, 200)
                    self.assertIn("contents", response.json())
