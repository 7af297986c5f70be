"""The tabular form of HSDS 3.0: one CSV per object and a `datapackage.json`, in a ZIP.

Writing flattens full service records into tables (each object once, by id). Reading does the
reverse: the tables are put back together into full service records, so one importer serves
both forms.
"""

import csv
import io
import json
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from .mapping import HSDS_VERSION

# object name -> (file, fields we write, in the order of the HSDS schema)
TABLES = {
    "organization": (
        "organizations.csv",
        ["id", "name", "alternate_name", "description", "email", "website", "tax_id",
         "legal_status", "uri"],
    ),
    "service": (
        "services.csv",
        ["id", "organization_id", "name", "alternate_name", "description", "url", "email",
         "status", "application_process", "fees_description", "wait_time",
         "eligibility_description", "minimum_age", "maximum_age", "assured_date",
         "last_modified"],
    ),
    "location": (
        "locations.csv",
        ["id", "location_type", "url", "organization_id", "name", "description",
         "transportation", "latitude", "longitude"],
    ),
    "service_at_location": (
        "service_at_location.csv",
        ["id", "service_id", "location_id", "description"],
    ),
    "address": (
        "addresses.csv",
        ["id", "location_id", "address_1", "address_2", "city", "region", "state_province",
         "postal_code", "country", "address_type"],
    ),
    "accessibility": ("accessibility.csv", ["id", "location_id", "description"]),
    "phone": (
        "phones.csv",
        ["id", "location_id", "service_id", "organization_id", "contact_id", "number",
         "extension", "type", "description"],
    ),
    "schedule": (
        "schedules.csv",
        ["id", "service_id", "location_id", "valid_from", "valid_to", "wkst", "freq", "byday",
         "description", "opens_at", "closes_at"],
    ),
    "service_area": ("service_areas.csv", ["id", "service_id", "name", "extent_type"]),
    "language": ("languages.csv", ["id", "service_id", "name", "code"]),
    "cost_option": (
        "cost_options.csv",
        ["id", "service_id", "option", "currency", "amount", "amount_description"],
    ),
    "required_document": ("required_documents.csv", ["id", "service_id", "document", "uri"]),
    "contact": ("contacts.csv", ["id", "service_id", "name", "title", "department", "email"]),
    "attribute": (
        "attributes.csv",
        ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"],
    ),
    "taxonomy": ("taxonomies.csv", ["id", "name", "description", "uri", "version"]),
    "taxonomy_term": (
        "taxonomy_terms.csv",
        ["id", "code", "name", "description", "parent_id", "taxonomy", "language",
         "taxonomy_id", "term_uri"],
    ),
}  # fmt: skip

NUMBER_FIELDS = {"minimum_age", "maximum_age", "latitude", "longitude", "amount", "extension"}
FILE_NAMES = {name: path for name, (path, _fields) in TABLES.items()}


# --- writing ---------------------------------------------------------------------------------


class _Tables:
    """CSV writers on temporary files, one per object; each id written once."""

    def __init__(self, directory: Path):
        self.files = {}
        self.writers = {}
        self.seen: dict[str, set] = defaultdict(set)
        for name, (path, fields) in TABLES.items():
            stream = (directory / path).open("w", encoding="utf-8", newline="")
            self.files[name] = stream
            self.writers[name] = csv.DictWriter(stream, fields, extrasaction="ignore")
            self.writers[name].writeheader()

    def add(self, name: str, obj: dict) -> None:
        if obj["id"] in self.seen[name]:
            return
        if name in ("organization", "location", "taxonomy", "taxonomy_term"):
            self.seen[name].add(obj["id"])
        self.writers[name].writerow(obj)

    def close(self):
        for stream in self.files.values():
            stream.close()


def _attributes(tables: _Tables, obj: dict) -> None:
    for attr in obj.get("attributes", []):
        term = attr.get("taxonomy_term")
        if term:
            if "taxonomy_detail" in term:
                tables.add("taxonomy", term["taxonomy_detail"])
            tables.add("taxonomy_term", term)
        tables.add("attribute", attr)


def _flatten(tables: _Tables, service: dict) -> None:
    org = service.get("organization")
    if org and org["id"] not in tables.seen["organization"]:
        tables.add("organization", org)
        _attributes(tables, org)
        for phone in org.get("phones", []):
            tables.add("phone", phone)
    tables.add("service", service)
    _attributes(tables, service)
    for name, key in (
        ("phone", "phones"),
        ("language", "languages"),
        ("cost_option", "cost_options"),
        ("required_document", "required_documents"),
    ):
        for obj in service.get(key, []):
            tables.add(name, obj)
    for name, key in (("schedule", "schedules"), ("service_area", "service_areas")):
        for obj in service.get(key, []):
            tables.add(name, obj)
            _attributes(tables, obj)
    for contact in service.get("contacts", []):
        tables.add("contact", contact)
        for phone in contact.get("phones", []):
            tables.add("phone", phone)
    for sal in service.get("service_at_locations", []):
        tables.add("service_at_location", sal)
        location = sal.get("location")
        if location and location["id"] not in tables.seen["location"]:
            tables.add("location", location)
            _attributes(tables, location)
            for name, key in (
                ("address", "addresses"),
                ("accessibility", "accessibility"),
                ("phone", "phones"),
            ):
                for obj in location.get(key, []):
                    tables.add(name, obj)
            for schedule in location.get("schedules", []):
                tables.add("schedule", schedule)
                _attributes(tables, schedule)


def datapackage() -> dict:
    resources = []
    for name, (path, fields) in TABLES.items():
        schema_fields = []
        for field in fields:
            spec = {"name": field, "type": "number" if field in NUMBER_FIELDS else "string"}
            if field == "id" or field.endswith("_id"):
                spec["format"] = "uuid"
            if field == "id":
                spec["constraints"] = {"required": True, "unique": True}
            schema_fields.append(spec)
        resources.append(
            {
                "name": name,
                "path": path,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "profile": "tabular-data-resource",
                "schema": {"fields": schema_fields, "primaryKey": "id"},
            }
        )
    return {
        "name": "facciamo-rete-hsds",
        "title": "Facciamo Rete – catalogo dei servizi (HSDS 3.0)",
        "profile": "tabular-data-package",
        "version": HSDS_VERSION,
        "license": {"name": "CC-BY-4.0"},
        "resources": resources,
    }


def write_zip(out: IO[bytes], records: Iterable[dict]) -> int:
    """Write the tabular form of `records` as a ZIP; return how many services."""
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        tables = _Tables(directory)
        try:
            for record in records:
                _flatten(tables, record)
                count += 1
        finally:
            tables.close()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("datapackage.json", json.dumps(datapackage(), indent=2))
            for path, _fields in TABLES.values():
                archive.write(directory / path, path)
    return count


# --- reading ---------------------------------------------------------------------------------


def _rows(text: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    return [{k: v for k, v in row.items() if k and v not in (None, "")} for row in reader]


def read_zip(archive: zipfile.ZipFile) -> list[dict]:
    names = {Path(n).name: n for n in archive.namelist()}

    def opener(path: str) -> str | None:
        return archive.read(names[path]).decode("utf-8") if path in names else None

    return assemble(_load(opener))


def read_directory(directory: Path) -> list[dict]:
    def opener(path: str) -> str | None:
        file = directory / path
        return file.read_text(encoding="utf-8") if file.exists() else None

    return assemble(_load(opener))


def _load(opener) -> dict[str, list[dict]]:
    """Every table we read, found through `datapackage.json` (else by its HSDS file name)."""
    paths = dict(FILE_NAMES)
    package = opener("datapackage.json")
    if package:
        for resource in json.loads(package).get("resources", []):
            if resource.get("name") in paths and resource.get("path"):
                paths[resource["name"]] = Path(resource["path"]).name
    tables = {}
    for name, path in paths.items():
        text = opener(path)
        tables[name] = _rows(text) if text else []
    return tables


def assemble(tables: dict[str, list[dict]]) -> list[dict]:
    """Put the tables back together as full service records."""
    by = defaultdict(lambda: defaultdict(list))
    for name, key in (
        ("service_at_location", "service_id"),
        ("address", "location_id"),
        ("accessibility", "location_id"),
        ("service_area", "service_id"),
        ("language", "service_id"),
        ("cost_option", "service_id"),
        ("required_document", "service_id"),
        ("contact", "service_id"),
        ("attribute", "link_id"),
    ):
        for row in tables[name]:
            by[name][row.get(key)].append(row)
    for row in tables["phone"]:
        owner = next(
            (k, row[k])
            for k in ("contact_id", "service_id", "location_id", "organization_id", "id")
            if row.get(k)
        )
        by["phone"][owner].append(row)
    for row in tables["schedule"]:
        key = ("service_id", row["service_id"]) if row.get("service_id") else None
        key = key or ("location_id", row.get("location_id"))
        by["schedule"][key].append(row)
    taxonomies = {row["id"]: row for row in tables["taxonomy"]}
    terms = {}
    for row in tables["taxonomy_term"]:
        term = dict(row)
        if row.get("taxonomy_id") in taxonomies:
            term["taxonomy_detail"] = taxonomies[row["taxonomy_id"]]
        terms[row["id"]] = term

    def attributes(obj_id) -> list[dict]:
        out = []
        for attr in by["attribute"][obj_id]:
            attr = dict(attr)
            if attr.get("taxonomy_term_id") in terms:
                attr["taxonomy_term"] = terms[attr["taxonomy_term_id"]]
            out.append(attr)
        return out

    def with_attributes(rows: list[dict]) -> list[dict]:
        return [{**row, "attributes": attributes(row["id"])} for row in rows]

    organizations = {}
    for row in tables["organization"]:
        phones = by["phone"][("organization_id", row["id"])]
        organizations[row["id"]] = {**row, "phones": phones, "attributes": attributes(row["id"])}
    locations = {}
    for row in tables["location"]:
        locations[row["id"]] = {
            **row,
            "addresses": by["address"][row["id"]],
            "accessibility": by["accessibility"][row["id"]],
            "phones": by["phone"][("location_id", row["id"])],
            "schedules": with_attributes(by["schedule"][("location_id", row["id"])]),
            "attributes": attributes(row["id"]),
        }
    records = []
    for row in tables["service"]:
        sid = row["id"]
        record = {
            **row,
            "phones": by["phone"][("service_id", sid)],
            "schedules": with_attributes(by["schedule"][("service_id", sid)]),
            "service_areas": with_attributes(by["service_area"][sid]),
            "languages": by["language"][sid],
            "cost_options": by["cost_option"][sid],
            "required_documents": by["required_document"][sid],
            "contacts": [
                {**c, "phones": by["phone"][("contact_id", c["id"])]} for c in by["contact"][sid]
            ],
            "service_at_locations": [
                {**sal, "location": locations[sal["location_id"]]}
                if sal.get("location_id") in locations
                else sal
                for sal in by["service_at_location"][sid]
            ],
            "attributes": attributes(sid),
        }
        if row.get("organization_id") in organizations:
            record["organization"] = organizations[row["organization_id"]]
        records.append(record)
    return records
