"""The home page: what the network is, a search box, the six families, live counts."""

from django.test import TestCase

from facciamorete.core.models import Page
from facciamorete.directory.models import Service
from facciamorete.directory.tests.factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceFactory,
    municipality,
    term,
)


class TheHomePage(TestCase):
    @classmethod
    def setUpTestData(cls):
        for code in [
            "socio-assistenziale",
            "socio-sanitario",
            "giuridico-legale",
            "formativo",
            "educativo",
            "ricreativo",
        ]:
            term("famiglie", code)
        cls.service = ServiceFactory(families=["formativo"])
        cls.service.service_area_municipalities.add(municipality("059001"))
        other = ServiceFactory(families=["formativo", "ricreativo"])
        LocationFactory(
            organization=other.organization, municipality=municipality("059006")
        ).services.add(other)
        ServiceFactory(status=Service.Status.INACTIVE, families=["educativo"])
        OrganizationFactory(status="pending")
        Page.objects.create(
            slug="missione", title="Missione", body="…", summary="Una rete di enti che si aiutano."
        )

    def test_tells_what_the_network_is_and_offers_a_search_box(self):
        response = self.client.get("/")
        self.assertContains(response, "Una rete di enti che si aiutano.")
        self.assertContains(response, 'action="/servizi/"')
        self.assertContains(response, 'name="q"')

    def test_counts_organisations_services_and_comuni_that_are_live(self):
        response = self.client.get("/")
        context = response.context
        self.assertEqual(context["organization_count"], 3)  # the inactive service's org is active
        self.assertEqual(context["service_count"], 2)
        self.assertEqual(context["municipality_count"], 2)

    def test_enters_the_catalogue_by_each_of_the_six_families(self):
        response = self.client.get("/")
        for code in [
            "socio-assistenziale",
            "socio-sanitario",
            "giuridico-legale",
            "formativo",
            "educativo",
            "ricreativo",
        ]:
            self.assertContains(response, f"/servizi/?family={code}")
        families = {t.code: t.service_count for t in response.context["families"]}
        self.assertEqual(families["formativo"], 2)
        self.assertEqual(families["educativo"], 0)

    def test_needs_few_queries(self):
        with self.assertNumQueries(8):
            self.client.get("/")


class TheContactPage(TestCase):
    def test_shows_the_networks_contacts_and_a_feedback_link(self):
        with self.settings(CONTACT_EMAIL="info@rete.example", CONTACT_PHONE="06 1234567"):
            response = self.client.get("/contatti/")
        self.assertContains(response, 'href="mailto:info@rete.example"')
        self.assertContains(response, "06 1234567")
        self.assertContains(response, 'id="feedback"')

    def test_without_contacts_sends_people_to_the_organisations_instead(self):
        with self.settings(CONTACT_EMAIL="", CONTACT_PHONE="", CONTACT_ADDRESS=""):
            response = self.client.get("/contatti/")
        self.assertContains(response, "non sono ancora stati pubblicati")
        self.assertNotContains(response, "mailto:")

    def test_every_page_links_contacts_and_feedback_in_the_footer(self):
        response = self.client.get("/")
        self.assertContains(response, 'href="/contatti/"')
        self.assertContains(response, 'href="/contatti/#feedback"')
