"""/servizi/?q=…: results in rank order, filters and counts still work, staff see why."""

from django.test import TestCase
from django.urls import reverse

from facciamorete.directory.tests.factories import (
    LocationFactory,
    ServiceFactory,
    UserFactory,
    municipality,
)
from facciamorete.search.models import NeedConcept, NeedPhrase

URL = reverse("directory:service_list")


class SearchingTheCatalogue(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.rent = ServiceFactory(
            name="Sportello affitto",
            description="Per chi non riesce a pagare l'affitto o ha ricevuto uno sfratto.",
            families=["socio-assistenziale"],
        )
        cls.bills = ServiceFactory(
            name="Aiuto per le bollette",
            description="Un contributo per le bollette e, a volte, per l'affitto.",
            families=["socio-assistenziale"],
        )
        cls.lawyer = ServiceFactory(
            name="Avvocati volontari",
            description="Consulenza legale gratuita su lavoro e casa.",
            families=["giuridico-legale"],
        )
        housing = NeedConcept.objects.create(
            slug="casa", name="Casa e affitto", keywords="affitto sfratto"
        )
        NeedPhrase.objects.create(concept=housing, language="en", text="rent")
        NeedPhrase.objects.create(concept=housing, language="uk", text="оренда")

    def names(self, response) -> list[str]:
        return [s.name for s in response.context["page"].object_list]

    def test_the_best_answer_comes_first(self):
        response = self.client.get(URL, {"q": "non riesco a pagare l'affitto"})
        self.assertEqual(self.names(response), ["Sportello affitto", "Aiuto per le bollette"])
        self.assertContains(response, "In ordine di pertinenza")

    def test_a_query_in_another_language_finds_the_italian_services(self):
        self.assertEqual(self.names(self.client.get(URL, {"q": "rent"}))[0], "Sportello affitto")
        self.assertEqual(self.names(self.client.get(URL, {"q": "оренду"}))[0], "Sportello affitto")

    def test_the_recognised_need_is_shown(self):
        response = self.client.get(URL, {"q": "rent"})
        self.assertContains(response, "Casa e affitto")

    def test_a_phrase_added_by_staff_works_at_the_next_search(self):
        self.assertEqual(self.names(self.client.get(URL, {"q": "chirie"})), [])
        NeedPhrase.objects.create(
            concept=NeedConcept.objects.get(slug="casa"), language="ro", text="chirie"
        )
        self.assertIn("Sportello affitto", self.names(self.client.get(URL, {"q": "chirie"})))

    def test_filters_narrow_a_search_and_counts_follow_it(self):
        response = self.client.get(URL, {"q": "affitto casa", "family": "giuridico-legale"})
        self.assertEqual(self.names(response), ["Avvocati volontari"])
        facets = {f["name"]: f for f in response.context["facets"]}
        families = {o["value"]: o["count"] for o in facets["family"]["options"]}
        self.assertEqual(families, {"socio-assistenziale": 2, "giuridico-legale": 1})

    def test_without_words_the_list_stays_alphabetical(self):
        response = self.client.get(URL, {"q": "  "})
        self.assertEqual(
            self.names(response),
            ["Aiuto per le bollette", "Avvocati volontari", "Sportello affitto"],
        )
        self.assertNotContains(response, "In ordine di pertinenza")

    def test_only_staff_see_why_a_result_is_there(self):
        self.assertNotContains(self.client.get(URL, {"q": "affitto"}), "Perché questo risultato")
        self.client.force_login(UserFactory(is_staff=True))
        response = self.client.get(URL, {"q": "affitto"})
        self.assertContains(response, "Perché questo risultato")
        self.assertContains(response, "Aggiornamento")


class TheCostOfASearch(TestCase):
    def test_the_number_of_queries_does_not_grow_with_the_results(self):
        for n in range(5):
            service = ServiceFactory(name=f"Doposcuola {n}", description="Compiti insieme.")
            LocationFactory(organization=service.organization).services.add(service)
        self.client.get(URL, {"q": "doposcuola"})  # the lexicon is compiled once per process
        with self.assertNumQueries(20):
            self.client.get(URL, {"q": "doposcuola"})
        for n in range(15):
            ServiceFactory(name=f"Doposcuola bis {n}", description="Compiti insieme.")
        with self.assertNumQueries(20):
            self.client.get(URL, {"q": "doposcuola"})


class NearerFirst(TestCase):
    @classmethod
    def setUpTestData(cls):
        cori, aprilia = municipality("059006"), municipality("059001")
        cls.far = ServiceFactory(name="Doposcuola Aprilia", description="Compiti insieme.")
        LocationFactory(
            organization=cls.far.organization,
            municipality=aprilia,
            latitude="41.594700",
            longitude="12.653800",
        ).services.add(cls.far)
        cls.near = ServiceFactory(name="Doposcuola Cori", description="Compiti insieme.")
        LocationFactory(
            organization=cls.near.organization,
            municipality=cori,
            latitude="41.642000",
            longitude="12.912000",
        ).services.add(cls.near)

    def names(self, params) -> list[str]:
        return [s.name for s in self.client.get(URL, params).context["page"].object_list]

    def test_with_a_point_the_nearest_of_equal_services_comes_first(self):
        near_cori = {"q": "doposcuola", "lat": "41.64", "lon": "12.91"}
        self.assertEqual(self.names(near_cori), ["Doposcuola Cori", "Doposcuola Aprilia"])
        near_aprilia = {"q": "doposcuola", "lat": "41.59", "lon": "12.65"}
        self.assertEqual(self.names(near_aprilia), ["Doposcuola Aprilia", "Doposcuola Cori"])

    def test_a_radius_keeps_only_services_within_it(self):
        params = {"q": "doposcuola", "lat": "41.64", "lon": "12.91", "radius_km": "5"}
        self.assertEqual(self.names(params), ["Doposcuola Cori"])

    def test_nonsense_coordinates_never_break_the_page(self):
        for lat, lon, radius in [("abc", "1", "5"), ("999", "999", "-3"), ("", "", "1e308")]:
            params = {"q": "doposcuola", "lat": lat, "lon": lon, "radius_km": radius}
            self.assertEqual(self.client.get(URL, params).status_code, 200)
