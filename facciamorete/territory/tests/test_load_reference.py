from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.test import TestCase

from facciamorete.core.models import Taxonomy, TaxonomyTerm
from facciamorete.territory.models import District, Municipality, Province, Region


def load_reference(*args: str) -> str:
    out = StringIO()
    call_command("load_reference", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    language = apps.get_model("directory", "Language")
    models = (Region, Province, Municipality, District, Taxonomy, TaxonomyTerm, language)
    return {model.__name__: model.objects.count() for model in models}


class LoadingTheReferenceData(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.first_output = load_reference()

    def test_aprilia_is_059001_in_the_province_of_latina_in_lazio_with_cap_04011(self):
        aprilia = Municipality.objects.select_related("province__region").get(name="Aprilia")
        self.assertEqual(aprilia.istat_code, "059001")
        self.assertEqual(aprilia.province.name, "Latina")
        self.assertEqual(aprilia.province.abbreviation, "LT")
        self.assertEqual(aprilia.province.region.name, "Lazio")
        self.assertEqual(aprilia.postal_code_list(), ["04011"])
        self.assertEqual(aprilia.cadastral_code, "A341")

    def test_italy_has_20_regions_107_provinces_and_7896_comuni(self):
        self.assertEqual(Region.objects.count(), 20)
        self.assertEqual(Province.objects.count(), 107)
        self.assertEqual(Municipality.objects.count(), 7896)
        self.assertEqual(Municipality.objects.filter(province__abbreviation="LT").count(), 33)

    def test_accented_names_are_read_as_istat_writes_them(self):
        self.assertTrue(Municipality.objects.filter(name="Forlì").exists())
        self.assertTrue(Municipality.objects.filter(name="Paternò").exists())
        self.assertTrue(Region.objects.filter(name="Valle d'Aosta/Vallée d'Aoste").exists())

    def test_comuni_sharing_a_name_get_their_province_in_the_address(self):
        castro = Municipality.objects.filter(name="Castro").values_list("slug", flat=True)
        self.assertCountEqual(castro, ["castro-bg", "castro-le"])
        # "Paterno" and "Paternò" would share an address too.
        self.assertEqual(Municipality.objects.get(name="Paternò").slug, "paterno-ct")
        self.assertEqual(Municipality.objects.get(name="Latina").slug, "latina")

    def test_a_comune_with_several_postal_codes_lists_them_all(self):
        latina = Municipality.objects.get(name="Latina")
        self.assertIn("04100", latina.postal_code_list())

    def test_roma_keeps_every_one_of_its_postal_codes(self):
        roma = Municipality.objects.get(name="Roma")
        self.assertGreaterEqual(len(roma.postal_code_list()), 70)
        self.assertIn("00184", roma.postal_code_list())

    def test_the_first_run_says_what_it_loaded(self):
        self.assertIn("Comuni: 7896 inserimenti", self.first_output)
        self.assertIn("Dati di riferimento caricati", self.first_output)

    def test_a_second_run_changes_nothing_and_says_so(self):
        before = counts()
        output = load_reference()
        self.assertEqual(counts(), before)
        self.assertIn("nessuna modifica", output)
        self.assertNotIn("inserimenti", output)

    def test_a_comune_edited_by_hand_is_put_back_on_the_next_run(self):
        Municipality.objects.filter(istat_code="059001").update(name="Aprilla", postal_codes="")
        output = load_reference()
        aprilia = Municipality.objects.get(istat_code="059001")
        self.assertEqual((aprilia.name, aprilia.postal_codes), ("Aprilia", "04011"))
        self.assertIn("Comuni: 0 inserimenti, 1 aggiornamento", output)

    def test_a_comune_no_longer_listed_is_kept_and_counted(self):
        Municipality.objects.create(
            istat_code="059999", name="Soppresso", slug="soppresso", province_id="059"
        )
        output = load_reference("--verbosity", "2")
        self.assertTrue(Municipality.objects.filter(istat_code="059999").exists())
        self.assertIn("1 comuni nel database non sono più nell'elenco ISTAT", output)

    def test_the_languages_of_the_district_are_loaded(self):
        language = apps.get_model("directory", "Language")
        codes = set(language.objects.values_list("code", flat=True))
        self.assertLessEqual({"it", "en", "ro", "ar", "uk", "fr", "es", "pa"}, codes)
        self.assertEqual(language.objects.get(code="pa").native_name, "ਪੰਜਾਬੀ")
