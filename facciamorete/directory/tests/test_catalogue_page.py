"""The /servizi/ catalogue: what a visitor finds, filters and counts."""

import datetime as dt
from decimal import Decimal
from unittest import mock

from django.test import TestCase
from django.urls import reverse

from facciamorete.directory.models import CostClass, Service
from facciamorete.organizations.models import Organization

from .factories import (
    LocationFactory,
    OrganizationFactory,
    ScheduleFactory,
    ServiceFactory,
    district_lt1,
    language,
    municipality,
    term,
)

URL = reverse("directory:service_list")


class TheCatalogue(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.aprilia, cls.cori = municipality("059001"), municipality("059006")
        cls.rent = ServiceFactory(
            name="Sportello emergenza affitto",
            description="Aiuto per chi non riesce a pagare l'affitto.",
            families=["socio-assistenziale"],
            cost_class=CostClass.FREE,
        )
        cls.rent.service_area_municipalities.add(cls.aprilia)
        cls.rent.languages.add(language("it"), language("ar"))
        cls.lawyer = ServiceFactory(
            name="Consulenza legale gratuita",
            description="Un avvocato risponde su permessi di soggiorno e lavoro.",
            families=["giuridico-legale"],
        )
        cls.lawyer.languages.add(language("pa"))
        LocationFactory(organization=cls.lawyer.organization, municipality=cls.cori).services.add(
            cls.lawyer
        )
        cls.course = ServiceFactory(
            name="Corso di italiano per adulti",
            families=["formativo"],
            cost_class=CostClass.PAID,
            cost_amount=Decimal("30.00"),
        )
        cls.course.service_area_districts.add(district_lt1())
        cls.inactive = ServiceFactory(name="Servizio cessato", status=Service.Status.DEFUNCT)
        pending = OrganizationFactory(status=Organization.Status.PENDING)
        cls.of_pending_org = ServiceFactory(
            name="Servizio di un ente in attesa", organization=pending
        )

    def names(self, response) -> list[str]:
        return [s.name for s in response.context["page"].object_list]

    def test_lists_every_published_service_and_nothing_else(self):
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            self.names(response),
            [
                "Consulenza legale gratuita",
                "Corso di italiano per adulti",
                "Sportello emergenza affitto",
            ],
        )
        self.assertContains(response, "3 servizi trovati")
        self.assertNotContains(response, "Servizio cessato")
        self.assertNotContains(response, "ente in attesa")

    def test_words_search_names_and_descriptions(self):
        self.assertEqual(
            self.names(self.client.get(URL, {"q": "affitto"})), ["Sportello emergenza affitto"]
        )
        self.assertEqual(
            self.names(self.client.get(URL, {"q": "permessi soggiorno"})),
            ["Consulenza legale gratuita"],
        )

    def test_filters_by_family(self):
        response = self.client.get(URL, {"family": "giuridico-legale"})
        self.assertEqual(self.names(response), ["Consulenza legale gratuita"])

    def test_values_of_one_filter_add_up_and_filters_combine(self):
        response = self.client.get(URL, {"family": ["giuridico-legale", "formativo"]})
        self.assertEqual(len(self.names(response)), 2)
        response = self.client.get(
            URL, {"family": ["giuridico-legale", "formativo"], "cost": "paid"}
        )
        self.assertEqual(self.names(response), ["Corso di italiano per adulti"])

    def test_a_comune_finds_services_by_area_district_or_location(self):
        self.assertEqual(
            self.names(self.client.get(URL, {"municipality": "059006"})),
            ["Consulenza legale gratuita", "Corso di italiano per adulti"],
        )
        self.assertEqual(
            self.names(self.client.get(URL, {"municipality": "059001"})),
            ["Corso di italiano per adulti", "Sportello emergenza affitto"],
        )

    def test_filters_by_district(self):
        self.assertEqual(
            self.names(self.client.get(URL, {"district": "LT1"})),
            [
                "Consulenza legale gratuita",
                "Corso di italiano per adulti",
                "Sportello emergenza affitto",
            ],
        )

    def test_filters_by_language_spoken(self):
        self.assertEqual(
            self.names(self.client.get(URL, {"language": "pa"})), ["Consulenza legale gratuita"]
        )

    def test_open_now_keeps_only_services_open_at_this_moment(self):
        ScheduleFactory(service=self.rent, byday="MO", opens_at=dt.time(9), closes_at=dt.time(13))
        monday_ten = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
        with mock.patch("django.utils.timezone.now", return_value=monday_ten):
            response = self.client.get(URL, {"open_now": "true"})
        self.assertEqual(self.names(response), ["Sportello emergenza affitto"])

    def test_facet_counts_say_how_many_results_each_choice_gives(self):
        response = self.client.get(URL, {"family": "formativo"})
        facets = {f["name"]: f for f in response.context["facets"]}
        families = {o["value"]: o["count"] for o in facets["family"]["options"]}
        self.assertEqual(
            families, {"socio-assistenziale": 1, "giuridico-legale": 1, "formativo": 1}
        )
        costs = {o["value"]: o["count"] for o in facets["cost"]["options"]}
        self.assertEqual(costs, {"paid": 1})
        comuni = {o["label"]: o["count"] for o in facets["municipality"]["options"]}
        self.assertEqual(comuni["Cori"], 1)
        self.assertContains(
            response,
            '<span lang="it">socio assistenziale</span> <span class="fr-count">(1)</span>',
            html=False,
        )

    def test_unknown_filter_values_never_break_the_page(self):
        response = self.client.get(
            URL,
            {
                "family": "nonesiste",
                "cost": "x",
                "open_now": "forse",
                "municipality": "999999",
                "page": "abc",
            },
        )
        self.assertEqual(response.status_code, 200)

    def test_the_address_of_a_filtered_list_can_be_shared(self):
        query = "?family=formativo&cost=paid"
        self.assertEqual(self.names(self.client.get(URL + query)), ["Corso di italiano per adulti"])

    def test_paginates_twenty_at_a_time_keeping_the_filters(self):
        for n in range(25):
            ServiceFactory(name=f"Zeta servizio {n:02}", families=["ricreativo"])
        first = self.client.get(URL, {"family": "ricreativo"})
        self.assertEqual(len(first.context["page"].object_list), 20)
        self.assertContains(first, "family=ricreativo&amp;page=2")
        second = self.client.get(URL, {"family": "ricreativo", "page": 2})
        self.assertEqual(len(second.context["page"].object_list), 5)

    def test_the_number_of_queries_does_not_grow_with_the_results(self):
        for _n in range(10):
            service = ServiceFactory(families=["ricreativo", "educativo"])
            LocationFactory(organization=service.organization).services.add(service)
        with self.assertNumQueries(16):
            self.client.get(URL)
        for _n in range(10):
            ServiceFactory(families=["ricreativo"])
        with self.assertNumQueries(16):
            self.client.get(URL)

    def test_the_family_terms_have_codes_the_filter_understands(self):
        self.assertEqual(term("famiglie", "formativo").code, "formativo")
