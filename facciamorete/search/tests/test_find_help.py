"""/trova-aiuto/: three questions without JavaScript, then the services for the answers."""

from django.test import TestCase
from django.urls import reverse

from facciamorete.directory.tests.factories import LocationFactory, ServiceFactory, municipality
from facciamorete.search.models import NeedConcept

URL = reverse("search:find_help")


class FindingHelpStepByStep(TestCase):
    @classmethod
    def setUpTestData(cls):
        NeedConcept.objects.create(
            slug="casa-affitto", name="Casa e affitto", keywords="affitto sfratto", icon="it-pa"
        )
        NeedConcept.objects.create(slug="nascosto", name="Nascosto", in_orientation=False)
        service = ServiceFactory(name="Sportello affitto", description="Affitto e sfratti.")
        LocationFactory(organization=service.organization, municipality=municipality("059006"))
        service.locations.add(service.organization.locations.get())

    def test_the_first_step_asks_who_the_help_is_for(self):
        response = self.client.get(URL)
        self.assertContains(response, "Passo 1 di 3")
        self.assertContains(response, 'name="chi"')

    def test_the_second_step_offers_the_needs_as_buttons(self):
        response = self.client.get(URL, {"chi": "adulto", "situazione": "straniero"})
        self.assertContains(response, "Passo 2 di 3")
        self.assertContains(response, 'name="bisogno" value="casa-affitto"')
        self.assertNotContains(response, "Nascosto")
        self.assertContains(response, '<input type="hidden" name="situazione" value="straniero">')

    def test_the_third_step_asks_where_among_the_comuni_with_services(self):
        response = self.client.get(URL, {"chi": "adulto", "bisogno": "casa-affitto"})
        self.assertContains(response, "Passo 3 di 3")
        self.assertContains(response, '<option value="059006">Cori</option>', html=True)

    def test_the_answers_lead_to_the_ranked_services(self):
        answers = {"chi": "adulto", "bisogno": "casa-affitto", "dove": "059006", "fine": "1"}
        response = self.client.get(URL, answers, follow=True)
        self.assertEqual(
            response.redirect_chain[0][0], "/servizi/?q=Casa+e+affitto&municipality=059006"
        )
        self.assertContains(response, "Sportello affitto")

    def test_made_up_answers_start_again(self):
        response = self.client.get(URL, {"chi": "<script>", "bisogno": "nope", "fine": "1"})
        self.assertContains(response, "Passo 1 di 3")


class TheHandout(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.service = ServiceFactory(
            name="Sportello affitto",
            description="Affitto e sfratti.",
            application_process="Si telefona per un appuntamento.",
        )
        ServiceFactory(name="Corso di cucito", description="Ago e filo.")

    def test_prints_the_results_of_a_search_with_how_to_get_there(self):
        response = self.client.get(reverse("search:handout"), {"q": "affitto"})
        self.assertContains(response, "Sportello affitto")
        self.assertContains(response, "Si telefona per un appuntamento.")
        self.assertNotContains(response, "Corso di cucito")

    def test_carries_a_qr_code_of_the_list_drawn_on_the_page(self):
        response = self.client.get(reverse("search:handout"), {"q": "affitto"})
        self.assertContains(response, 'class="segno"><title>Codice QR</title>')
        self.assertContains(response, "/servizi/?q=affitto")

    def test_the_results_page_links_its_handout(self):
        response = self.client.get(reverse("directory:service_list"), {"q": "affitto"})
        self.assertContains(response, reverse("search:handout") + "?q=affitto")
