"""The catalogue leaves as HSDS 3.0 that any HSDS tool accepts, with our Italian facts on board."""

import io
import json
import tempfile
import zipfile
from pathlib import Path

from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from facciamorete.directory.hsds.export import iter_services, write_json
from facciamorete.directory.hsds.mapping import ATTRIBUTE_TAXONOMY_URI
from facciamorete.directory.hsds.tabular import write_zip

from .factories import ServiceFactory
from .hsds_fixtures import rich_catalogue
from .hsds_schema import SCHEMA_DIR, errors, needs_hsds_schemas, nulls


def facts(obj: dict) -> dict:
    """Our attributes of one HSDS object, as code -> value."""
    return {
        a["taxonomy_term"]["code"]: a["value"]
        for a in obj.get("attributes", [])
        if a["taxonomy_term"]["taxonomy_detail"]["uri"] == ATTRIBUTE_TAXONOMY_URI
    }


class TheJsonExport(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.catalogue = rich_catalogue()
        cls.records = {r["name"]: r for r in iter_services()}

    @needs_hsds_schemas
    def test_every_record_is_a_valid_hsds_service(self):
        for record in self.records.values():
            self.assertEqual(errors("service.json", record), [], record["name"])

    @needs_hsds_schemas
    def test_the_validator_rejects_a_broken_record(self):
        broken = dict(self.records["Centro di ascolto"], status="chiuso", id="non-un-uuid")
        self.assertEqual(len(errors("service.json", broken)), 2)

    def test_has_no_null_anywhere(self):
        self.assertEqual([p for r in self.records.values() for p in nulls(r)], [])

    def test_holds_only_what_a_visitor_sees(self):
        self.assertEqual(set(self.records), {"Centro di ascolto", "Doposcuola", "Trasporto"})

    def test_carries_the_organisation_with_its_italian_facts(self):
        org = self.records["Centro di ascolto"]["organization"]
        self.assertEqual(org["tax_id"], "00000010017")
        self.assertEqual(
            facts(org),
            {
                "tipo-ente": "odv",
                "stato-ente": "active",
                "comune-istat": "059005",
                "codice-fiscale": "00000010017",
                "runts-sezione": "a",
                "runts-numero": "12345",
                "pec": "centro@pec.example.it",
            },
        )

    def test_carries_families_and_areas_as_terms_of_our_published_taxonomies(self):
        terms = {
            (a["taxonomy_term"]["taxonomy_detail"]["uri"], a["taxonomy_term"]["code"])
            for a in self.records["Centro di ascolto"]["attributes"]
        }
        self.assertIn(("https://facciamorete.it/taxonomies/famiglie", "giuridico-legale"), terms)
        self.assertIn(("https://facciamorete.it/taxonomies/aree-utenza", "anziani"), terms)

    def test_gives_the_cost_as_a_cost_option_and_as_our_cost_class(self):
        listening = self.records["Centro di ascolto"]
        self.assertEqual(listening["cost_options"][0]["amount"], 12.5)
        self.assertEqual(listening["cost_options"][0]["currency"], "EUR")
        self.assertEqual(facts(listening)["classe-costo"], "copay")
        self.assertEqual(self.records["Doposcuola"]["cost_options"][0]["amount"], 0)

    def test_gives_the_address_the_comune_and_the_opening_hours_of_each_location(self):
        location = self.records["Centro di ascolto"]["service_at_locations"][0]["location"]
        address = location["addresses"][0]
        self.assertEqual((address["city"], address["postal_code"]), ("Aprilia", "04011"))
        self.assertEqual(facts(location), {"comune-istat": "059001", "sedia-rotelle": "true"})
        self.assertEqual(location["schedules"][0]["byday"], "MO,WE")

    def test_gives_service_areas_with_istat_and_district_codes(self):
        areas = self.records["Centro di ascolto"]["service_areas"]
        self.assertCountEqual(
            [facts(a) for a in areas], [{"comune-istat": "059006"}, {"distretto": "LT1"}]
        )

    def test_a_night_schedule_says_it_closes_the_next_day(self):
        schedule = self.records["Centro di ascolto"]["schedules"][0]
        self.assertEqual((schedule["opens_at"], schedule["closes_at"]), ("20:00", "08:00"))
        self.assertEqual(facts(schedule), {"chiude-giorno-dopo": "true", "aperto-festivi": "true"})

    def test_reads_a_fixed_number_of_queries_whatever_the_size(self):
        def queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                list(iter_services())
            return len(ctx)

        before = queries()
        ServiceFactory.create_batch(5)
        self.assertEqual(queries(), before)


class TheExportCommand(TestCase):
    @classmethod
    def setUpTestData(cls):
        rich_catalogue()

    def test_writes_a_json_array_of_services(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "servizi.json"
            call_command("export_hsds", str(out), stderr=io.StringIO())
            data = json.loads(out.read_text())
        self.assertEqual(len(data), 3)

    def test_writes_a_zip_of_csv_files_with_a_datapackage(self):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "servizi.zip"
            call_command("export_hsds", str(out), format="csv", stderr=io.StringIO())
            with zipfile.ZipFile(out) as archive:
                package = json.loads(archive.read("datapackage.json"))
                services = archive.read("services.csv").decode().splitlines()
        self.assertIn("services.csv", [r["path"] for r in package["resources"]])
        self.assertEqual(len(services), 1 + 3)

    def test_writing_json_to_a_stream_is_valid_json_even_when_empty(self):
        out = io.StringIO()
        self.assertEqual(write_json(out, iter([])), 0)
        self.assertEqual(json.loads(out.getvalue()), [])


@needs_hsds_schemas
class TheTabularExport(TestCase):
    """The tables and columns are HSDS's own: a subset of the official datapackage."""

    @classmethod
    def setUpTestData(cls):
        rich_catalogue()

    def test_uses_the_official_table_and_column_names(self):
        official = json.loads((Path(SCHEMA_DIR).parent / "datapackage.json").read_text())
        columns = {
            r["path"]: {f["name"] for f in r["schema"]["fields"]} for r in official["resources"]
        }
        out = io.BytesIO()
        write_zip(out, iter_services())
        with zipfile.ZipFile(out) as archive:
            for name in archive.namelist():
                if name == "datapackage.json":
                    continue
                header = archive.read(name).decode().splitlines()[0].split(",")
                self.assertLessEqual(set(header), columns[name], name)
