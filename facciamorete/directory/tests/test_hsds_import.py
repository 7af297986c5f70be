"""HSDS 3.0 comes in: our own export round-trips, others' files import, nothing half-done."""

import copy
import io
import json
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import TestCase

from facciamorete.core.models import TaxonomyTerm
from facciamorete.directory.hsds.export import iter_services
from facciamorete.directory.hsds.importer import import_services
from facciamorete.directory.hsds.reader import read_records
from facciamorete.directory.hsds.tabular import write_zip
from facciamorete.directory.models import CostClass, Location, Phone, Schedule, Service
from facciamorete.organizations.models import Organization

from .factories import municipality, term
from .hsds_fixtures import rich_catalogue, wipe_catalogue
from .hsds_schema import SCHEMA_DIR, needs_hsds_schemas


def without_timestamps(records: list[dict]) -> list[dict]:
    records = copy.deepcopy(records)
    for record in records:
        record.pop("last_modified", None)
    return records


class ARoundTrip(TestCase):
    @classmethod
    def setUpTestData(cls):
        rich_catalogue()
        cls.exported = list(iter_services())

    def test_export_then_import_into_an_empty_catalogue_gives_the_same_export(self):
        wipe_catalogue()
        result = import_services(self.exported)
        self.assertEqual(result.errors, [])
        self.assertTrue(result.written)
        self.assertEqual(
            without_timestamps(list(iter_services())), without_timestamps(self.exported)
        )

    def test_through_the_tabular_zip_gives_the_same_export_too(self):
        archive = io.BytesIO()
        write_zip(archive, self.exported)
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "servizi.zip"
            path.write_bytes(archive.getvalue())
            records = read_records(path)
        wipe_catalogue()
        result = import_services(records)
        self.assertEqual(result.errors, [])
        self.assertEqual(
            without_timestamps(list(iter_services())), without_timestamps(self.exported)
        )

    def test_importing_the_same_file_twice_creates_nothing_new(self):
        counts = (Service.objects.count(), Phone.objects.count(), Schedule.objects.count())
        result = import_services(self.exported)
        self.assertEqual(result.created, {})
        self.assertEqual(result.updated["service"], 3)
        after = (Service.objects.count(), Phone.objects.count(), Schedule.objects.count())
        self.assertEqual(after, counts)

    def test_an_import_removes_the_phones_a_service_no_longer_lists(self):
        records = copy.deepcopy(self.exported)
        listening = next(r for r in records if r["name"] == "Centro di ascolto")
        listening["phones"] = []
        import_services(records)
        self.assertFalse(Phone.objects.filter(service__name="Centro di ascolto").exists())


class ADryRun(TestCase):
    @classmethod
    def setUpTestData(cls):
        rich_catalogue()
        cls.exported = list(iter_services())

    def test_reports_what_it_would_do_and_writes_nothing(self):
        wipe_catalogue()
        result = import_services(self.exported, dry_run=True)
        self.assertEqual(result.created["service"], 3)
        self.assertFalse(result.written)
        self.assertFalse(Service.objects.exists())

    def test_lists_each_problem_with_object_id_and_field(self):
        records = copy.deepcopy(self.exported)
        records[1]["status"] = "chiuso"
        records[2]["id"] = "42"
        result = import_services(records, dry_run=True)
        problems = {(p.object, p.id, p.field) for p in result.errors}
        self.assertEqual(
            problems, {("service", records[1]["id"], "status"), ("service", "42", "id")}
        )


class AnImportWithProblems(TestCase):
    @classmethod
    def setUpTestData(cls):
        rich_catalogue()
        cls.exported = list(iter_services())

    def test_writes_nothing_at_all_not_even_the_good_records(self):
        wipe_catalogue()
        records = copy.deepcopy(self.exported)
        records[-1]["name"] = ""
        result = import_services(records)
        self.assertFalse(result.written)
        self.assertEqual([(p.object, p.field) for p in result.errors], [("service", "name")])
        self.assertFalse(Service.objects.exists())
        self.assertFalse(Organization.objects.exists())

    def test_refuses_a_codice_fiscale_that_belongs_to_another_organisation(self):
        record = copy.deepcopy(next(r for r in self.exported if r["name"] == "Centro di ascolto"))
        record["organization"]["id"] = "11111111-1111-4111-8111-111111111111"
        record["organization_id"] = record["organization"]["id"]
        result = import_services([record])
        self.assertIn("tax_id", [p.field for p in result.errors])


def minimal_service(**extra) -> dict:
    """A record as another HSDS publisher might write it: no attributes of ours."""
    record = {
        "id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e01",
        "name": "Sportello famiglie",
        "description": "Orientamento per le famiglie.",
        "status": "active",
        "organization": {
            "id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e02",
            "name": "Comune di Cori",
            "description": "Il Comune.",
        },
        "service_at_locations": [
            {
                "id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e03",
                "location": {
                    "id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e04",
                    "location_type": "physical",
                    "addresses": [
                        {
                            "id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e05",
                            "address_1": "Via Roma 1",
                            "city": "cori",
                            "state_province": "LT",
                            "postal_code": "04010",
                            "country": "IT",
                            "address_type": "physical",
                        }
                    ],
                },
            }
        ],
    }
    record.update(extra)
    return record


class AnotherPublishersFile(TestCase):
    @classmethod
    def setUpTestData(cls):
        municipality("059006")
        municipality("059022")
        cls.family = term("famiglie", "educativo")

    def imported(self, **extra) -> Service:
        result = import_services([minimal_service(**extra)])
        self.assertEqual(result.errors, [])
        return Service.objects.get()

    def test_recognises_the_comune_from_city_and_postal_code(self):
        service = self.imported()
        self.assertEqual(service.organization.municipality.name, "Cori")
        self.assertEqual(Location.objects.get().municipality.name, "Cori")

    def test_an_amount_of_zero_means_free(self):
        service = self.imported(
            cost_options=[{"id": "0" * 8 + "-0000-4000-8000-" + "0" * 12, "amount": 0}]
        )
        self.assertEqual(service.cost_class, CostClass.FREE)

    def test_naming_isee_means_a_means_tested_co_payment(self):
        service = self.imported(
            cost_options=[
                {"id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e06", "amount": 20, "option": "Con ISEE"}
            ]
        )
        self.assertEqual((service.cost_class, service.cost_amount), (CostClass.COPAY, Decimal(20)))

    def test_an_amount_above_zero_means_paid(self):
        service = self.imported(
            cost_options=[{"id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e06", "amount": 7.5}]
        )
        self.assertEqual(
            (service.cost_class, service.cost_amount), (CostClass.PAID, Decimal("7.5"))
        )

    def test_a_term_is_matched_by_taxonomy_uri_and_code_whatever_its_id(self):
        attribute = {
            "id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e07",
            "taxonomy_term": {
                "id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e08",
                "code": "educativo",
                "name": "Educativo",
                "description": "Educativo",
                "taxonomy_detail": {"uri": "https://facciamorete.it/taxonomies/famiglie"},
            },
        }
        service = self.imported(attributes=[attribute])
        self.assertEqual(list(service.families.all()), [self.family])

    def test_an_unknown_comune_is_an_error_unless_a_default_is_given(self):
        record = minimal_service()
        record["service_at_locations"][0]["location"]["addresses"][0]["city"] = "Atlantide"
        result = import_services([record])
        self.assertEqual(
            [(p.object, p.field) for p in result.errors], [("organization", "municipality")]
        )
        result = import_services([record], default_municipality=municipality("059022"))
        self.assertEqual(result.errors, [])
        self.assertIn(("location", "city"), [(p.object, p.field) for p in result.warnings])
        self.assertEqual(Organization.objects.get().municipality.name, "Rocca Massima")

    def test_an_unknown_taxonomy_is_reported_as_not_kept(self):
        attribute = {
            "id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e07",
            "taxonomy_term": {"id": "5a0a9f5c-6a6e-4d1f-9d0c-2f7c2b9a1e08", "name": "Altro"},
        }
        import_services([minimal_service(attributes=[attribute])])
        self.assertFalse(TaxonomyTerm.objects.filter(name="Altro").exists())


@needs_hsds_schemas
class TheOfficialExamples(TestCase):
    """Open Referral's examples import without errors (their UK addresses become warnings)."""

    @classmethod
    def setUpTestData(cls):
        cls.default = municipality("059001")
        cls.examples = Path(SCHEMA_DIR).parent / "examples"

    def assert_imports_cleanly(self, path: Path, services: int):
        result = import_services(read_records(path), default_municipality=self.default)
        self.assertEqual(result.errors, [])
        self.assertTrue(result.written)
        self.assertEqual(Service.objects.count(), services)

    def test_the_full_service_record_imports(self):
        self.assert_imports_cleanly(self.examples / "service_full.json", 1)

    def test_the_page_of_services_imports(self):
        self.assert_imports_cleanly(self.examples / "service_list.json", 1)

    def test_the_tabular_example_imports(self):
        self.assert_imports_cleanly(self.examples / "csv", 1)


class TheImportCommand(TestCase):
    @classmethod
    def setUpTestData(cls):
        rich_catalogue()
        cls.exported = list(iter_services())

    def run_command(self, records, *args) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "servizi.json"
            path.write_text(json.dumps(records))
            call_command("import_hsds", str(path), *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_a_dry_run_says_that_nothing_was_saved(self):
        _out, err = self.run_command(self.exported, "--dry-run")
        self.assertIn("3 servizi letti", err)
        self.assertIn("nulla è stato salvato", err)

    def test_prints_one_line_per_problem_and_fails(self):
        records = copy.deepcopy(self.exported)
        records[0]["status"] = "chiuso"
        with self.assertRaises(SystemExit):
            out, _err = self.run_command(records)
        self.assertEqual(Service.objects.get(id=records[0]["id"]).status, "active")

    def test_an_unreadable_file_is_a_clear_error(self):
        with tempfile.NamedTemporaryFile("w", suffix=".json") as file:
            file.write("{non json")
            file.flush()
            with self.assertRaisesMessage(CommandError, "File illeggibile"):
                call_command("import_hsds", file.name)

    def test_a_zip_without_tables_imports_nothing(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "vuoto.zip"
            with zipfile.ZipFile(path, "w") as archive:
                archive.writestr("leggimi.txt", "niente")
            self.assertEqual(read_records(path), [])
