import tempfile
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from facciamorete.territory.models import District, Municipality, Province, Region

HEADER = "codice_distretto,nome_distretto,asl,codice_istat,comune,capofila,fonte\n"


class ADistrictsFile(TestCase):
    @classmethod
    def setUpTestData(cls):
        Region.objects.create(code="12", name="Lazio")
        Province.objects.create(code="059", name="Latina", abbreviation="LT", region_id="12")
        for code, name in [
            ("059001", "Aprilia"),
            ("059005", "Cisterna di Latina"),
            ("059006", "Cori"),
            ("059011", "Latina"),
            ("059025", "San Felice Circeo"),
        ]:
            Municipality.objects.create(
                istat_code=code, name=name, slug=name.lower().replace(" ", "-"), province_id="059"
            )

    def setUp(self):
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        self.dir = Path(directory.name)

    def load(self, text: str, name: str = "distretti.csv") -> str:
        path = self.dir / name
        path.write_text(text, encoding="utf-8")
        out = StringIO()
        call_command("load_districts", str(path), stdout=out)
        return out.getvalue()

    def assertFails(self, text: str, *fragments: str) -> None:
        with self.assertRaises(CommandError) as raised:
            self.load(text)
        message = str(raised.exception)
        self.assertIn("non è stato scritto nulla", message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.assertEqual(District.objects.count(), 0)

    def test_a_valid_file_creates_its_districts_with_lead_and_source(self):
        output = self.load(
            HEADER
            + "XX1,Distretto di prova,ASL Prova,059001,Aprilia,sì,Delibera 1/2024\n"
            + "XX1,,,059006,Cori,,\n"
            + "XX2,Secondo,ASL Prova,059011,Latina,,\n"
        )
        xx1 = District.objects.get(code="XX1")
        self.assertEqual(xx1.lead_municipality.name, "Aprilia")
        self.assertEqual(xx1.source, "Delibera 1/2024")
        self.assertCountEqual(
            xx1.municipalities.values_list("name", flat=True), ["Aprilia", "Cori"]
        )
        self.assertIsNone(District.objects.get(code="XX2").lead_municipality)
        self.assertIn("2 inserimenti", output)

    def test_a_spreadsheet_export_with_semicolons_comments_and_lost_zeros_is_accepted(self):
        self.load(
            "# distretti di prova\n"
            "codice_distretto;nome_distretto;asl;codice_istat;comune\n"
            "XX1;Prova;ASL Prova;59005;CISTERNA DI LATINA\n"
        )
        self.assertEqual(District.objects.get(code="XX1").municipalities.get().istat_code, "059005")

    def test_loading_the_same_file_twice_changes_nothing(self):
        text = HEADER + "XX1,Prova,ASL Prova,059001,Aprilia,sì,\n"
        self.load(text)
        output = self.load(text)
        self.assertIn("Nessuna modifica", output)
        self.assertIn("1 senza modifiche", output)

    def test_a_new_version_of_the_file_moves_a_comune_and_changes_the_lead(self):
        self.load(HEADER + "XX1,Prova,ASL Prova,059001,Aprilia,sì,\nXX1,,,059006,Cori,,\n")
        self.load(
            HEADER + "XX1,Prova,ASL Prova,059006,Cori,sì,\nXX2,Altro,ASL Prova,059001,Aprilia,,\n"
        )
        self.assertEqual(District.objects.get(code="XX1").lead_municipality.name, "Cori")
        self.assertEqual(Municipality.objects.get(name="Aprilia").districts.get().code, "XX2")

    def test_an_unknown_istat_code_fails_naming_the_line_and_writes_nothing(self):
        self.assertFails(
            HEADER + "XX1,Prova,ASL Prova,059001,Aprilia,,\nXX1,,,059999,Nessuno,,\n",
            "Riga 3: il codice ISTAT 059999 non corrisponde a nessun comune.",
        )

    def test_a_name_that_does_not_match_the_code_fails_naming_the_line(self):
        self.assertFails(
            HEADER + "XX1,Prova,ASL Prova,059001,Latina,,\n",
            "Riga 2: il codice ISTAT 059001 è di «Aprilia», non di «Latina».",
        )

    def test_every_error_is_listed_not_only_the_first(self):
        self.assertFails(
            HEADER
            + "XX1,Prova,ASL Prova,059001,Aprilia,forse,\n"
            + "XX1,,,ABC,Cori,,\n"
            + "XX1,,,059011,Latina,,\n"
            + "XX1,,,059011,Latina,,\n",
            "Riga 2: capofila «forse» non valido",
            "Riga 3: «ABC» non è un codice ISTAT",
            "Riga 5: Latina è già alla riga 4.",
        )

    def test_a_district_with_two_leads_fails(self):
        self.assertFails(
            HEADER + "XX1,Prova,ASL Prova,059001,Aprilia,sì,\nXX1,,,059006,Cori,sì,\n",
            "Riga 3: XX1 ha già un comune capofila (riga 2).",
        )

    def test_a_district_without_its_asl_fails(self):
        self.assertFails(HEADER + "XX1,Prova,,059001,Aprilia,,\n", "Riga 2: XX1 senza asl")

    def test_a_comune_already_in_a_district_the_file_does_not_name_fails(self):
        self.load(HEADER + "XX1,Prova,ASL Prova,059001,Aprilia,,\n")
        with self.assertRaises(CommandError) as raised:
            self.load(HEADER + "YY1,Altro,ASL Altra,059001,Aprilia,,\n")
        self.assertIn("Riga 2: Aprilia è già nel distretto XX1", str(raised.exception))
        self.assertFalse(District.objects.filter(code="YY1").exists())

    def test_a_misspelt_column_fails_before_reading_the_rows(self):
        self.assertFails(
            "codice_distretto,nome_distretto,asl,codice_istat,comune,capofilla\n"
            "XX1,Prova,ASL Prova,059001,Aprilia,sì\n",
            "Riga 1: colonne sconosciute capofilla",
        )
