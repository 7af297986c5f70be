import re
from pathlib import Path

from django.conf import settings
from django.test import TestCase

from facciamorete.core.models import Taxonomy, TaxonomyTerm
from facciamorete.territory.management.vocabularies import taxonomies_load


def codes(slug: str) -> list[str]:
    return list(TaxonomyTerm.objects.of(slug).order_by("order").values_list("code", flat=True))


class TheShippedTaxonomies(TestCase):
    @classmethod
    def setUpTestData(cls):
        taxonomies_load()

    def test_the_four_taxonomies_are_loaded_each_with_its_source_and_a_stable_uri(self):
        slugs = set(Taxonomy.objects.values_list("slug", flat=True))
        self.assertEqual(slugs, {"famiglie", "aree-utenza", "fasce-utenza", "art5"})
        for taxonomy in Taxonomy.objects.all():
            with self.subTest(taxonomy.slug):
                self.assertGreater(len(taxonomy.source), 40)
                self.assertEqual(
                    taxonomy.uri, f"https://facciamorete.it/taxonomies/{taxonomy.slug}"
                )

    def test_the_six_families_of_the_founding_text_come_in_its_order(self):
        self.assertEqual(
            codes("famiglie"),
            [
                "socio-assistenziale",
                "socio-sanitario",
                "giuridico-legale",
                "formativo",
                "educativo",
                "ricreativo",
            ],
        )
        self.assertIn("Facciamo Rete", Taxonomy.objects.get(slug="famiglie").source)

    def test_istats_seven_areas_carry_our_codes_and_say_so(self):
        areas = Taxonomy.objects.get(slug="aree-utenza")
        self.assertEqual(len(codes("aree-utenza")), 7)
        self.assertFalse(areas.official_codes)
        self.assertIn("ISTAT", areas.source)
        self.assertEqual(
            TaxonomyTerm.objects.of("aree-utenza").get(code="immigrati-rom-sinti-caminanti").name,
            "Immigrati, Rom, Sinti e Caminanti",
        )

    def test_art5_activities_are_coded_by_the_letters_of_the_law(self):
        self.assertEqual(codes("art5"), list("abcdefghijklmnopqrstuvwxyz"))
        self.assertTrue(Taxonomy.objects.get(slug="art5").official_codes)
        self.assertEqual(TaxonomyTerm.objects.of("art5").get(code="y").name, "Protezione civile")

    def test_lazios_fasce_di_utenza_ship_no_invented_terms_and_say_they_are_unconfirmed(self):
        fasce = Taxonomy.objects.get(slug="fasce-utenza")
        self.assertIn("584", fasce.source)
        self.assertIn("NON VERIFICATO", fasce.source)
        self.assertEqual(codes("fasce-utenza"), [])

    def test_every_icon_exists_in_the_bootstrap_italia_sprite(self):
        sprite = next(
            Path(settings.BASE_DIR, "static", "vendor").glob("bootstrap-italia-*/svg/sprites.svg")
        )
        available = set(re.findall(r'id="(it-[a-z0-9-]+)"', sprite.read_text(encoding="utf-8")))
        icons = set(TaxonomyTerm.objects.exclude(icon="").values_list("icon", flat=True))
        self.assertTrue(icons)
        self.assertLessEqual(icons, available)

    def test_a_reload_fixes_edited_terms_and_keeps_terms_the_files_dropped(self):
        families = Taxonomy.objects.get(slug="famiglie")
        TaxonomyTerm.objects.filter(taxonomy=families, code="formativo").update(name="Formazione")
        TaxonomyTerm.objects.create(taxonomy=families, code="dismesso", name="Dismesso", order=9)
        tallies = {t.label: t for t in taxonomies_load()}
        self.assertEqual(
            TaxonomyTerm.objects.of("famiglie").get(code="formativo").name, "Formativo"
        )
        self.assertTrue(TaxonomyTerm.objects.of("famiglie").filter(code="dismesso").exists())
        self.assertEqual(tallies["Termini delle tassonomie"].updated, 1)
        self.assertEqual(tallies["Termini delle tassonomie"].absent, 1)

    def test_a_second_load_changes_nothing(self):
        self.assertFalse(any(tally.changed for tally in taxonomies_load()))
