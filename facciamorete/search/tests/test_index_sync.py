"""The index follows every write to the catalogue, bulk ones included, with no manual rebuild."""

from django.core.management import call_command
from django.test import TestCase

from facciamorete.directory.models import Service
from facciamorete.directory.tests.factories import OrganizationFactory, ServiceFactory, term
from facciamorete.search.services import search_services


def found(query: str) -> list[str]:
    return [s.name for s in search_services({"q": query})]


class TheIndex(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = OrganizationFactory(name="Associazione Girasole")
        cls.service = ServiceFactory(
            organization=cls.org,
            name="Sportello per l'affitto",
            description="Aiuto con il canone e gli sfratti.",
        )

    def test_a_new_service_is_found_at_once(self):
        self.assertEqual(found("sfratti"), ["Sportello per l'affitto"])

    def test_services_written_in_bulk_are_found(self):
        Service.objects.bulk_create(
            [
                Service(
                    organization=self.org,
                    name=f"Ciclofficina {n}",
                    slug=f"ciclofficina-{n}",
                    description="Riparazione di biciclette.",
                    application_process="Passa in sede.",
                )
                for n in range(3)
            ]
        )
        self.assertEqual(len(found("biciclette")), 3)

    def test_an_edited_service_is_found_by_its_new_words_only(self):
        Service.objects.filter(pk=self.service.pk).update(description="Orto condiviso.")
        self.assertEqual(found("orto"), ["Sportello per l'affitto"])
        self.assertEqual(found("sfratti"), [])

    def test_a_deleted_service_is_gone(self):
        self.service.delete()
        self.assertEqual(found("sfratti"), [])

    def test_a_renamed_organisation_is_found_by_its_new_name(self):
        self.org.name = "Cooperativa Ginestra"
        self.org.save()
        self.assertEqual(found("ginestra"), ["Sportello per l'affitto"])

    def test_a_service_is_found_by_the_names_of_its_families(self):
        self.service.families.add(term("famiglie", "giuridico-legale"))
        self.assertIn("Sportello per l'affitto", found("giuridico"))

    def test_the_rebuild_command_rebuilds_the_same_index(self):
        call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(found("sfratti"), ["Sportello per l'affitto"])
