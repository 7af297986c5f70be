"""The demo network: `core/data/demo/` loaded into the database, idempotently.

Every object gets a stable UUID (uuid5 of the file's namespace and the object's key), so a second
run finds what the first one made, compares it field by field and writes nothing when nothing
differs. Each object passes `full_clean()`: the demo obeys the same rules as the staff area.
The files are the truth for the objects they describe: the children of a demo service (hours,
closures, contacts, phones, documents, places) are brought back to what the files say.
"""

import contextlib
import json
import os
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models, transaction

from facciamorete.core.models import TaxonomyTerm
from facciamorete.core.roles import COORDINATORS, OPERATORS, ensure_groups
from facciamorete.core.validators import normalize_phone
from facciamorete.directory.models import (
    Closure,
    Contact,
    Language,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
)
from facciamorete.directory.schedules import WEEKDAY_CODES
from facciamorete.organizations.models import Membership, Organization, OrganizationOperator
from facciamorete.territory.models import District, Municipality

DATA_DIR = Path(__file__).resolve().parent / "data" / "demo"
DEFAULT_PASSWORD = "facciamorete-demo"
REFERENCE_HINT = "esegui prima manage.py load_reference"
REQUIRED_TAXONOMIES = ("famiglie", "aree-utenza", "art5")
OPTIONAL_TAXONOMY = "fasce-utenza"

ORGANIZATION_FIELDS = ("name", "alternate_name", "kind", "description", "website", "email", "pec")
ORGANIZATION_KEYS = {
    *ORGANIZATION_FIELDS,
    *("key", "status", "tax_code", "runts", "municipality", "activities"),
    *("memberships", "phones", "locations"),
}
LOCATION_FIELDS = (
    *("location_type", "name", "description", "address_1", "address_2", "postal_code"),
    *("latitude", "longitude", "transportation", "wheelchair_accessible"),
    *("accessibility_description", "url"),
)
SERVICE_FIELDS = (
    *("name", "alternate_name", "description", "url", "email", "status"),
    *("eligibility_description", "minimum_age", "maximum_age", "application_process"),
    *("wait_time", "cost_class", "cost_amount", "cost_description"),
    *("accessibility_description", "assured_date"),
)
SERVICE_KEYS = {
    *SERVICE_FIELDS,
    *("key", "organization", "families", "areas", "audiences", "languages", "service_area"),
    *("at", "hours", "closures", "contacts", "phones", "required_documents"),
}
ROLE_LABELS = {
    "admin": "Amministratore della rete",
    "operator": "Operatore di ente",
    "coordinator": "Coordinatore di distretto",
}


class DemoDataError(Exception):
    """The demo files or the reference data are not what the loader needs."""


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)
    missing_audiences: set[str] = field(default_factory=set)
    groups_changed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.groups_changed)


# --- Reading the files -------------------------------------------------------------------------


def load_data(data_dir: Path = DATA_DIR) -> dict:
    """network.json (namespace, accounts, organisations) plus every services/*.json, in order."""
    data = json.loads((data_dir / "network.json").read_text(encoding="utf-8"))
    data["services"] = []
    for path in sorted((data_dir / "services").glob("*.json")):
        data["services"] += json.loads(path.read_text(encoding="utf-8"))
    for kind in ("organizations", "services"):
        keys = Counter(item["key"] for item in data[kind])
        duplicates = sorted(key for key, n in keys.items() if n > 1)
        if duplicates:
            raise DemoDataError(f"Chiavi ripetute in {kind}: {', '.join(duplicates)}")
    return data


def _check_keys(item: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(item) - allowed)
    if unknown:
        raise DemoDataError(f"{where}: chiavi sconosciute {', '.join(unknown)}")


def parse_days(text: str) -> str:
    """ "MO-FR" or "TU,TH" or "SA" → the canonical byday list, "MO,TU,WE,TH,FR"."""
    days: list[str] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        start = WEEKDAY_CODES.index(first)
        end = WEEKDAY_CODES.index(last) if last else start
        days += WEEKDAY_CODES[start : end + 1]
    return ",".join(sorted(set(days), key=WEEKDAY_CODES.index))


def parse_hours(entry: str | dict) -> dict:
    """ "MO-FR 09:00-13:00" (or a dict with "when" and extra fields) → Schedule field values."""
    extra = dict(entry) if isinstance(entry, dict) else {"when": entry}
    days, _, span = extra.pop("when").partition(" ")
    opens, _, closes = span.strip().partition("-")
    # An opening that ends "earlier" than it starts runs past midnight, like a night shelter.
    return {
        "byday": parse_days(days),
        "opens_at": opens,
        "closes_at": closes,
        "closes_next_day": closes < opens,
        "open_on_holidays": extra.pop("open_on_holidays", False),
        "description": extra.pop("description", ""),
    }


def parse_phone(entry: str | dict) -> dict:
    values = dict(entry) if isinstance(entry, dict) else {"number": entry}
    digits = "".join(ch for ch in values["number"] if ch.isdigit())
    values.setdefault("type", Phone.Type.CELL if digits.startswith("3") else Phone.Type.VOICE)
    # An unparsable number is left as it is: full_clean reports it with the model's message.
    with contextlib.suppress(phonenumbers.NumberParseException):
        values["number"] = normalize_phone(values["number"])
    return {"extension": "", "description": "", **values}


# --- Reference data ----------------------------------------------------------------------------


@dataclass
class Reference:
    municipalities: dict[str, Municipality]
    districts: dict[str, District]
    terms: dict[tuple[str, str], TaxonomyTerm]
    languages: dict[str, Language]

    def municipality(self, code: str) -> Municipality:
        return self.municipalities[code]

    def term(self, taxonomy: str, code: str) -> TaxonomyTerm:
        return self.terms[(taxonomy, code)]


def _used_codes(data: dict) -> dict[str, set[str]]:
    used: dict[str, set[str]] = {"places": set(), "languages": set()}
    for taxonomy in (*REQUIRED_TAXONOMIES, OPTIONAL_TAXONOMY):
        used[taxonomy] = set()
    for org in data["organizations"]:
        used["places"].add(org["municipality"])
        used["places"] |= {loc["municipality"] for loc in org.get("locations", [])}
        used["art5"] |= set(org.get("activities", []))
    for service in data["services"]:
        used["places"] |= set(service.get("service_area", []))
        used["famiglie"] |= set(service["families"])
        used["aree-utenza"] |= set(service.get("areas", []))
        used[OPTIONAL_TAXONOMY] |= set(service.get("audiences", []))
        used["languages"] |= set(service.get("languages", []))
    return used


def load_reference(data: dict) -> Reference:
    """Look up every comune, district, term and language the files name; create none of them."""
    used = _used_codes(data)
    ref = Reference(
        municipalities=Municipality.objects.in_bulk([c for c in used["places"] if c.isdigit()]),
        districts=District.objects.in_bulk([c for c in used["places"] if not c.isdigit()]),
        terms={
            (t.taxonomy.slug, t.code): t
            for t in TaxonomyTerm.objects.select_related("taxonomy").filter(
                taxonomy__slug__in=[*REQUIRED_TAXONOMIES, OPTIONAL_TAXONOMY]
            )
        },
        languages=Language.objects.in_bulk(sorted(used["languages"])),
    )
    missing = sorted(used["places"] - ref.municipalities.keys() - ref.districts.keys())
    missing += sorted(used["languages"] - ref.languages.keys())
    for taxonomy in REQUIRED_TAXONOMIES:
        missing += [
            f"{taxonomy}/{c}" for c in sorted(used[taxonomy]) if (taxonomy, c) not in ref.terms
        ]
    if missing:
        raise DemoDataError(
            f"Mancano dati di riferimento ({', '.join(missing[:12])}"
            f"{', …' if len(missing) > 12 else ''}): {REFERENCE_HINT}."
        )
    return ref


# --- Writing objects ---------------------------------------------------------------------------


def stable_id(namespace: uuid.UUID, kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(namespace, f"{kind}:{key}")


def _snapshot(obj: models.Model) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
    }


def _label(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name_plural)


def _defaults(model: type[models.Model], item: dict, names: tuple[str, ...]) -> dict:
    return {n: item[n] if n in item else model._meta.get_field(n).get_default() for n in names}


def _full_clean(obj: models.Model, where: str) -> None:
    try:
        obj.full_clean()
    except ValidationError as error:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        raise DemoDataError(f"{where}: {details}") from error


def sync(report: Report, model: type[models.Model], lookup: dict, values: dict, where: str):
    """Create or update one row so that it holds `values`; save only if something differs."""
    obj = model.objects.filter(**lookup).first()
    adding = obj is None
    if adding:
        obj = model(**lookup)
    before = None if adding else _snapshot(obj)
    for name, value in values.items():
        setattr(obj, name, value)
    _full_clean(obj, where)
    if adding or _snapshot(obj) != before:
        obj.save()
        (report.created if adding else report.updated)[_label(model)] += 1
    return obj


def sync_m2m(report: Report, obj: models.Model, name: str, targets: list) -> None:
    manager = getattr(obj, name)
    current = set(manager.values_list("pk", flat=True))
    if current != {t.pk for t in targets}:
        manager.set(targets)
        # Links of a new object are part of its creation, not a change to report separately.
        counter = report.updated if current else report.created
        counter[f"collegamenti ({obj._meta.get_field(name).verbose_name})"] += 1


def prune(report: Report, queryset: models.QuerySet, keep: list) -> None:
    """Delete the rows of `queryset` the files no longer describe."""
    stale = queryset.exclude(pk__in=[obj.pk for obj in keep])
    count = stale.count()
    if count:
        stale.delete()
        report.deleted[_label(queryset.model)] += count


# --- Accounts ----------------------------------------------------------------------------------


def _sync_user(report: Report, account: dict, password: str):
    user_model = get_user_model()
    email = account["email"].lower()
    user = user_model.objects.filter(email=email).first()
    adding = user is None
    user = user or user_model(email=email)
    before = None if adding else _snapshot(user)
    user.first_name, user.last_name = account["first_name"], account["last_name"]
    user.is_active, user.is_staff = True, True
    user.is_superuser = account["role"] == "admin"
    # check_password first: set_password makes a new salt, hence a "change", on every run.
    if adding or not user.check_password(password):
        user.set_password(password)
    _full_clean(user, f"account {email}")
    if adding or _snapshot(user) != before:
        user.save()
        (report.created if adding else report.updated)[_label(user_model)] += 1
    group = {"operator": OPERATORS, "coordinator": COORDINATORS}.get(account["role"])
    sync_m2m(report, user, "groups", [Group.objects.get(name=group)] if group else [])
    return user


def _sync_operator_link(report: Report, user, organization: Organization, role: str) -> None:
    link = sync(
        report,
        OrganizationOperator,
        {"organization": organization, "user": user},
        {"role": role},
        f"operatore {user.email}",
    )
    prune(report, OrganizationOperator.objects.filter(user=user), [link])


# --- Organisations -----------------------------------------------------------------------------


def _sync_phones(report: Report, ns, owner: dict, entries: list, key: str) -> list[Phone]:
    phones = []
    for i, entry in enumerate(entries):
        values = {"organization": None, "service": None, "location": None, "contact": None}
        values |= owner | parse_phone(entry)
        pk = stable_id(ns, "phone", f"{key}/{i}")
        phones.append(sync(report, Phone, {"pk": pk}, values, f"telefono {key}/{i}"))
    return phones


def _sync_locations(report: Report, ns, ref: Reference, org: Organization, item: dict) -> dict:
    locations = {}
    for loc in item.get("locations", []):
        where = f"sede {item['key']}/{loc['key']}"
        _check_keys(loc, {*LOCATION_FIELDS, "key", "municipality"}, where)
        values = _defaults(Location, loc, LOCATION_FIELDS) | {
            "organization": org,
            "municipality": ref.municipality(loc["municipality"])
            if loc.get("municipality")
            else None,
        }
        pk = stable_id(ns, "location", f"{item['key']}/{loc['key']}")
        locations[loc["key"]] = sync(report, Location, {"pk": pk}, values, where)
    prune(report, org.locations.all(), list(locations.values()))
    return locations


def _sync_memberships(report: Report, org: Organization, item: dict) -> None:
    kept = []
    for entry in item.get("memberships", []):
        lookup = {"organization": org, "role": entry["role"], "start_date": entry["start_date"]}
        values = {"end_date": entry.get("end_date")}
        kept.append(sync(report, Membership, lookup, values, f"adesione {item['key']}"))
    prune(report, org.memberships.all(), kept)


def sync_organization(report: Report, ns, ref: Reference, item: dict):
    where = f"ente {item['key']}"
    _check_keys(item, ORGANIZATION_KEYS, where)
    runts = item.get("runts") or {}
    values = _defaults(Organization, item, ORGANIZATION_FIELDS) | {
        "slug": item["key"],
        "status": item.get("status", Organization.Status.ACTIVE),
        "tax_code": item.get("tax_code") or None,
        "runts_section": runts.get("section", ""),
        "runts_number": runts.get("number", ""),
        "municipality": ref.municipality(item["municipality"]),
    }
    pk = stable_id(ns, "organization", item["key"])
    org = sync(report, Organization, {"pk": pk}, values, where)
    sync_m2m(report, org, "activities", [ref.term("art5", c) for c in item.get("activities", [])])
    _sync_memberships(report, org, item)
    phones = _sync_phones(report, ns, {"organization": org}, item.get("phones", []), item["key"])
    prune(report, org.phones.all(), phones)
    return org, _sync_locations(report, ns, ref, org, item)


# --- Services ----------------------------------------------------------------------------------


def _sync_schedules(report: Report, ns, service: Service, item: dict, places: dict) -> None:
    kept, key = [], item["key"]
    slots = [(None, "-", item.get("hours", []))]
    slots += [(places[at["location"]], at["location"], at.get("hours", [])) for at in item["at"]]
    for location, loc_key, hours in slots:
        for i, entry in enumerate(hours):
            values = {
                "service": service,
                "location": location,
                "valid_from": None,
                "valid_to": None,
            }
            values |= parse_hours(entry)
            pk = stable_id(ns, "schedule", f"{key}/{loc_key}/{i}")
            kept.append(sync(report, Schedule, {"pk": pk}, values, f"orario {key}/{loc_key}/{i}"))
    prune(report, service.schedules.all(), kept)


def _sync_places(report: Report, ns, service: Service, item: dict, places: dict) -> None:
    kept = []
    for at in item["at"]:
        where = f"servizio {item['key']}, sede {at['location']}"
        if at["location"] not in places:
            raise DemoDataError(f"{where}: la sede non è tra quelle dell'ente")
        values = {"service": service, "location": places[at["location"]]}
        values["description"] = at.get("description", "")
        pk = stable_id(ns, "sal", f"{item['key']}/{at['location']}")
        kept.append(sync(report, ServiceAtLocation, {"pk": pk}, values, where))
    prune(report, service.service_at_locations.all(), kept)
    _sync_schedules(report, ns, service, item, places)


def _sync_closures(report: Report, service: Service, item: dict) -> None:
    kept = []
    for entry in item.get("closures", []):
        lookup = {"service": service, "start_date": entry["start"], "end_date": entry["end"]}
        values = {"every_year": entry.get("every_year", False), "reason": entry.get("reason", "")}
        kept.append(sync(report, Closure, lookup, values, f"chiusura {item['key']}"))
    prune(report, service.closures.all(), kept)


def _sync_contacts(report: Report, ns, service: Service, item: dict) -> None:
    kept, key = [], item["key"]
    for i, entry in enumerate(item.get("contacts", [])):
        names = ("name", "title", "department", "email")
        values = _defaults(Contact, entry, names) | {"service": service}
        contact = sync(report, Contact, {"pk": stable_id(ns, "contact", f"{key}/{i}")}, values, key)
        phones = _sync_phones(
            report, ns, {"contact": contact}, entry.get("phones", []), f"{key}/contatto{i}"
        )
        prune(report, contact.phones.all(), phones)
        kept.append(contact)
    prune(report, service.contacts.all(), kept)
    phones = _sync_phones(report, ns, {"service": service}, item.get("phones", []), key)
    prune(report, service.phones.all(), phones)


def _sync_documents(report: Report, ns, service: Service, item: dict) -> None:
    kept = []
    for i, entry in enumerate(item.get("required_documents", [])):
        values = {"document": entry, "uri": ""} if isinstance(entry, str) else entry
        values = {"uri": "", **values, "service": service}
        pk = stable_id(ns, "document", f"{item['key']}/{i}")
        kept.append(sync(report, RequiredDocument, {"pk": pk}, values, f"documento {item['key']}"))
    prune(report, service.required_documents.all(), kept)


def _sync_service_terms(report: Report, ref: Reference, service: Service, item: dict) -> None:
    sync_m2m(report, service, "families", [ref.term("famiglie", c) for c in item["families"]])
    sync_m2m(report, service, "areas", [ref.term("aree-utenza", c) for c in item.get("areas", [])])
    audiences = []
    for code in item.get("audiences", []):
        if (OPTIONAL_TAXONOMY, code) in ref.terms:
            audiences.append(ref.term(OPTIONAL_TAXONOMY, code))
        else:
            report.missing_audiences.add(code)
    sync_m2m(report, service, "audiences", audiences)
    languages = [ref.languages[c] for c in item.get("languages", [])]
    sync_m2m(report, service, "languages", languages)
    area = item.get("service_area", [])
    comuni = [ref.municipality(c) for c in area if c.isdigit()]
    sync_m2m(report, service, "service_area_municipalities", comuni)
    districts = [ref.districts[c] for c in area if not c.isdigit()]
    sync_m2m(report, service, "service_area_districts", districts)


def sync_service(report: Report, ns, ref: Reference, item: dict, orgs: dict, assured_by) -> None:
    where = f"servizio {item['key']}"
    _check_keys(item, SERVICE_KEYS, where)
    org, places = orgs[item["organization"]]
    values = _defaults(Service, item, SERVICE_FIELDS) | {
        "organization": org,
        "slug": item["key"],
        "assured_by": assured_by if item.get("assured_date") else None,
    }
    service = sync(report, Service, {"pk": stable_id(ns, "service", item["key"])}, values, where)
    _sync_service_terms(report, ref, service, item)
    _sync_places(report, ns, service, item, places)
    _sync_closures(report, service, item)
    _sync_contacts(report, ns, service, item)
    _sync_documents(report, ns, service, item)


# --- The whole network -------------------------------------------------------------------------


@transaction.atomic
def seed_demo(*, password: str, data_dir: Path = DATA_DIR) -> Report:
    """Load the demo network; raise DemoDataError (and write nothing) if anything is wrong."""
    data = load_data(data_dir)
    ref = load_reference(data)
    ns = uuid.UUID(data["namespace"])
    report = Report(groups_changed=ensure_groups())
    users = {a["email"]: _sync_user(report, a, password) for a in data["accounts"]}
    coordinator = next(
        (users[a["email"]] for a in data["accounts"] if a["role"] == "coordinator"), None
    )
    orgs = {item["key"]: sync_organization(report, ns, ref, item) for item in data["organizations"]}
    for item in data["services"]:
        if item["organization"] not in orgs:
            raise DemoDataError(f"servizio {item['key']}: ente {item['organization']} sconosciuto")
        sync_service(report, ns, ref, item, orgs, coordinator)
    for account in data["accounts"]:
        if account.get("organization"):
            org = orgs[account["organization"]][0]
            role = account.get("organization_role", OrganizationOperator.Role.OPERATOR)
            _sync_operator_link(report, users[account["email"]], org, role)
    return report


def demo_accounts(data_dir: Path = DATA_DIR) -> list[dict]:
    """The demo logins as the files describe them, with the role in words."""
    data = json.loads((data_dir / "network.json").read_text(encoding="utf-8"))
    names = {org["key"]: org["name"] for org in data["organizations"]}
    return [
        {
            **a,
            "role_label": ROLE_LABELS[a["role"]],
            "organization_name": names.get(a.get("organization"), ""),
        }
        for a in data["accounts"]
    ]
