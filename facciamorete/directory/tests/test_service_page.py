"""A service's page answers "a chi rivolgersi e come"."""

import datetime as dt
from decimal import Decimal

from django.test import TestCase

from facciamorete.directory.models import Closure, CostClass, Phone, RequiredDocument, Service

from .factories import (
    LocationFactory,
    ScheduleFactory,
    ServiceFactory,
    UserFactory,
    language,
    operator_of,
    term,
)


class AServicePage(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.service = ServiceFactory(
            name="Centro diurno per anziani",
            description="Attività, pasto e compagnia dal lunedì al venerdì.",
            eligibility_description="Persone anziane autosufficienti residenti nel distretto.",
            minimum_age=65,
            application_process="Domanda al segretariato sociale del Comune.",
            wait_time="Circa due settimane",
            cost_class=CostClass.COPAY,
            cost_description="Quota in base all'ISEE del nucleo.",
            assured_date=dt.date(2026, 10, 1),
        )
        cls.service.areas.add(term("aree-utenza", "anziani"))
        cls.service.languages.add(language("it"), language("ro"))
        location = LocationFactory(
            organization=cls.service.organization,
            name="Centro Le Querce",
            address_1="Via dei Rutuli 5",
            wheelchair_accessible=True,
        )
        location.services.add(cls.service)
        ScheduleFactory(service=cls.service)
        Closure.objects.create(
            service=cls.service,
            start_date=dt.date(2026, 8, 1),
            end_date=dt.date(2026, 8, 31),
            every_year=True,
        )
        RequiredDocument.objects.create(service=cls.service, document="Attestazione ISEE")
        Phone.objects.create(service=cls.service, number="06 9281234")

    def test_says_what_for_whom_how_cost_where_when_and_contacts(self):
        response = self.client.get(self.service.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        for text in [
            "Centro diurno per anziani",
            "Attività, pasto e compagnia",
            "autosufficienti residenti",
            "da 65 anni",
            "Domanda al segretariato sociale",
            "Attestazione ISEE",
            "Circa due settimane",
            "Compartecipazione in base all&#x27;ISEE",
            "Via dei Rutuli 5, 04011 Aprilia",
            "Accessibile in sedia a rotelle",
            "09:00–13:00",
            "Chiuso ogni anno dal 1 agosto al 31 agosto",
            "+39 06 928 1234",
            "română",
            "Informazioni verificate il 1 ottobre 2026",
        ]:
            self.assertContains(response, text, msg_prefix=text)
        self.assertContains(response, 'href="tel:+39069281234"')
        self.assertContains(response, "openstreetmap.org/?mlat=41.594800")

    def test_is_reached_by_its_uuid_too_and_redirects_to_the_readable_address(self):
        response = self.client.get(f"/servizi/{self.service.pk}/")
        self.assertRedirects(response, self.service.get_absolute_url(), status_code=301)

    def test_has_a_stable_number_of_queries(self):
        with self.assertNumQueries(16):
            self.client.get(self.service.get_absolute_url())

    def test_a_paid_service_shows_its_price(self):
        service = ServiceFactory(cost_class=CostClass.PAID, cost_amount=Decimal("25.50"))
        self.assertContains(self.client.get(service.get_absolute_url()), "25,50 €")


class AServiceThatIsNotPublic(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.service = ServiceFactory(status=Service.Status.INACTIVE)

    def test_is_not_found_by_a_visitor(self):
        self.assertEqual(self.client.get(self.service.get_absolute_url()).status_code, 404)

    def test_is_not_found_by_an_operator_of_another_organisation(self):
        other = operator_of(ServiceFactory().organization, "altro@example.org")
        self.client.force_login(other)
        self.assertEqual(self.client.get(self.service.get_absolute_url()).status_code, 404)

    def test_is_previewed_by_its_own_operator_with_a_warning(self):
        self.client.force_login(operator_of(self.service.organization, "mio@example.org"))
        response = self.client.get(self.service.get_absolute_url())
        self.assertContains(response, "non è visibile al pubblico")

    def test_an_unknown_address_gives_a_helpful_404(self):
        response = self.client.get("/servizi/non-esiste/")
        self.assertContains(response, "Pagina non trovata", status_code=404)
        self.assertContains(response, "Cerca tra i servizi", status_code=404)

    def test_a_plain_user_without_rights_cannot_preview(self):
        self.client.force_login(UserFactory(email="persona@example.org"))
        self.assertEqual(self.client.get(self.service.get_absolute_url()).status_code, 404)
