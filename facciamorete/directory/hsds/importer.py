"""HSDS 3.0 full service records into the catalogue: an idempotent upsert by id, all or nothing.

Every object is validated with the same rules as the staff area (`full_clean`). Problems are
collected as (object, id, field, problem) rows; with any problem, or in a dry run, nothing is
written. Values our catalogue cannot hold (a foreign postcode, an unknown taxonomy) are left out
and reported as warnings, never silently.
"""

import datetime as dt
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from facciamorete.core.models import TaxonomyTerm
from facciamorete.core.validators import normalize_tax_code, validate_tax_code
from facciamorete.organizations.models import Organization, OrganizationKind
from facciamorete.territory.models import District, Municipality

from ..models import (
    Contact,
    CostClass,
    Language,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
)
from .mapping import (
    ATTRIBUTE_TAXONOMY_URI,
    ATTRIBUTE_TERMS,
    ORGANIZATION_TAXONOMY_FIELDS,
    SERVICE_TAXONOMY_FIELDS,
    attribute_term,
)

ATTRIBUTE_CODES_BY_ID = {attribute_term(code)["id"]: code for code in ATTRIBUTE_TERMS}
PROGRESS_EVERY = 500

# Foreign keys are set from objects already checked, so full_clean need not query them again.
CLEAN_EXCLUDE = {
    Organization: ["municipality", "logo"],
    Service: ["organization", "assured_by", "slug"],
    Location: ["organization", "municipality"],
    ServiceAtLocation: ["service", "location"],
    Schedule: ["service", "location"],
    Phone: ["organization", "service", "location", "contact"],
    Contact: ["service"],
    RequiredDocument: ["service"],
}


@dataclass(frozen=True)
class Problem:
    object: str
    id: str
    field: str
    problem: str

    def __str__(self):
        return f"{self.object}\t{self.id}\t{self.field}\t{self.problem}"


@dataclass
class ImportResult:
    services: int = 0
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    written: bool = False


def import_services(
    records: Iterable[dict],
    *,
    dry_run: bool = False,
    default_municipality: Municipality | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Upsert full HSDS service records. Writes nothing on a dry run or on any problem."""
    result = ImportResult()
    importer = _Importer(result, default_municipality)
    with transaction.atomic():
        try:
            for n, record in enumerate(records, 1):
                importer.service(record)
                result.services = n
                if progress and n % PROGRESS_EVERY == 0:
                    progress(n)
        except DatabaseError as exc:
            transaction.set_rollback(True)
            result.errors.append(Problem("database", "", "", str(exc)))
            return result
        result.written = not (dry_run or result.errors)
        if not result.written:
            transaction.set_rollback(True)
    return result


def _uuid(value) -> str | None:
    try:
        return str(uuid.UUID(str(value)))
    except (ValueError, TypeError, AttributeError):
        return None


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    return str(value).strip()


def _time(value) -> dt.time | None:
    try:
        return dt.time.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except InvalidOperation:
        return None


class _Importer:
    def __init__(self, result: ImportResult, default_municipality: Municipality | None):
        self.result = result
        self.default_municipality = default_municipality
        self.organizations: dict[str, Organization] = {}
        self.locations: dict[str, Location] = {}
        self.municipalities: dict[tuple, Municipality | None] = {}
        self.languages = {lang.code: lang for lang in Language.objects.all()}
        self.terms_by_code: dict[tuple[str, str], TaxonomyTerm] = {}
        self.terms_by_id: dict[str, TaxonomyTerm] = {}
        for term in TaxonomyTerm.objects.select_related("taxonomy"):
            self.terms_by_code[(term.taxonomy.uri.rstrip("/"), term.code)] = term
            self.terms_by_id[str(term.id)] = term

    # --- reporting ---------------------------------------------------------------------------

    def error(self, obj: str, obj_id, field_name: str, problem: str) -> None:
        self.result.errors.append(Problem(obj, str(obj_id or ""), field_name, problem))

    def warn(self, obj: str, obj_id, field_name: str, problem: str) -> None:
        self.result.warnings.append(Problem(obj, str(obj_id or ""), field_name, problem))

    def checked_id(self, obj: str, record: dict) -> str | None:
        obj_id = _uuid(record.get("id"))
        if obj_id is None:
            self.error(obj, record.get("id"), "id", "manca o non è un UUID")
        return obj_id

    def upsert(self, model, obj_id: str, values: dict, obj: str):
        """Create or update one row by id, validated like the staff area; None on problems."""
        instance = model.objects.filter(pk=obj_id).first()
        created = instance is None
        if created:
            instance = model(pk=obj_id)
        for name, value in values.items():
            setattr(instance, name, value)
        try:
            instance.full_clean(
                exclude=CLEAN_EXCLUDE.get(model), validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                self.error(obj, obj_id, name, " ".join(messages))
            return None
        instance.save()
        (self.result.created if created else self.result.updated)[obj] += 1
        return instance

    # --- attributes --------------------------------------------------------------------------

    def read_attributes(self, obj: str, obj_id, record: dict) -> tuple[dict, list[TaxonomyTerm]]:
        """Our facts (code -> value) and the taxonomy terms of our taxonomies."""
        facts: dict[str, str] = {}
        terms: list[TaxonomyTerm] = []
        for attr in record.get("attributes") or []:
            term = attr.get("taxonomy_term") or {}
            term_id = str(attr.get("taxonomy_term_id") or term.get("id") or "")
            taxonomy_uri = (term.get("taxonomy_detail") or {}).get("uri", "").rstrip("/")
            code = term.get("code")
            if taxonomy_uri == ATTRIBUTE_TAXONOMY_URI or term_id in ATTRIBUTE_CODES_BY_ID:
                code = code if code in ATTRIBUTE_TERMS else ATTRIBUTE_CODES_BY_ID.get(term_id)
                if code:
                    facts[code] = str(attr.get("value", ""))
                    continue
            found = self.terms_by_code.get((taxonomy_uri, code)) or self.terms_by_id.get(term_id)
            if found:
                terms.append(found)
            else:
                label = term.get("name") or attr.get("link_type") or term_id
                self.warn(obj, obj_id, "attributes", f"attributo «{label}» non conservato")
        return facts, terms

    # --- territory ---------------------------------------------------------------------------

    def comune_by_code(self, code: str) -> Municipality | None:
        key = ("istat", code)
        if key not in self.municipalities:
            self.municipalities[key] = Municipality.objects.filter(istat_code=code).first()
        return self.municipalities[key]

    def comune_by_address(self, city: str, postal_code: str) -> Municipality | None:
        key = ("address", city.casefold(), postal_code)
        if key not in self.municipalities:
            candidates = list(Municipality.objects.filter(name__iexact=city.strip()))
            if postal_code and len(candidates) > 1:
                candidates = [m for m in candidates if postal_code in m.postal_codes]
            self.municipalities[key] = candidates[0] if len(candidates) == 1 else None
        return self.municipalities[key]

    # --- objects -----------------------------------------------------------------------------

    def organization(self, record: dict, fallback: Municipality | None) -> Organization | None:
        org_id = self.checked_id("organization", record)
        if org_id is None:
            return None
        if org_id in self.organizations:
            return self.organizations[org_id]
        facts, terms = self.read_attributes("organization", org_id, record)
        existing = Organization.objects.filter(pk=org_id).first()
        comune = self.comune_by_code(facts["comune-istat"]) if "comune-istat" in facts else None
        comune = comune or fallback or (existing.municipality if existing else None)
        comune = comune or self.default_municipality
        if comune is None:
            self.error("organization", org_id, "municipality", "comune non riconosciuto")
            return None
        kind = facts.get("tipo-ente") or (existing.kind if existing else OrganizationKind.OTHER)
        tax_code = facts.get("codice-fiscale") or self.italian_tax_id(org_id, record)
        if tax_code:
            tax_code = normalize_tax_code(tax_code)
            clash = Organization.objects.filter(tax_code=tax_code).exclude(pk=org_id).exists()
            if clash:
                self.error("organization", org_id, "tax_id", "codice fiscale già di un altro ente")
                return None
        values = {
            "name": _text(record, "name"),
            "alternate_name": _text(record, "alternate_name")[:120],
            "description": _text(record, "description"),
            "email": _text(record, "email"),
            "website": _text(record, "website"),
            "kind": kind,
            "tax_code": tax_code or None,
            "runts_section": facts.get("runts-sezione", ""),
            "runts_number": facts.get("runts-numero", ""),
            "pec": facts.get("pec", ""),
            "municipality": comune,
            "status": facts.get("stato-ente") or (existing.status if existing else "active"),
        }
        org = self.upsert(Organization, org_id, values, "organization")
        if org is not None:
            for slug, field_name in ORGANIZATION_TAXONOMY_FIELDS.items():
                getattr(org, field_name).set([t for t in terms if t.taxonomy.slug == slug])
            self.phones(org, record.get("phones"), {"service": None}, organization=org)
            self.organizations[org_id] = org
        return org

    def italian_tax_id(self, org_id: str, record: dict) -> str:
        """HSDS `tax_id` is any country's: keep it only when it is an Italian codice fiscale."""
        tax_id = _text(record, "tax_id")
        if tax_id:
            try:
                validate_tax_code(normalize_tax_code(tax_id))
            except ValidationError:
                self.warn("organization", org_id, "tax_id", f"«{tax_id}» non è un codice fiscale")
                return ""
        return tax_id

    def location_comune(self, record: dict) -> Municipality | None:
        """A location's comune: by our ISTAT attribute, else by its address' city and CAP."""
        for attr in record.get("attributes") or []:
            term_id = str(attr.get("taxonomy_term_id") or "")
            if ATTRIBUTE_CODES_BY_ID.get(term_id) == "comune-istat":
                return self.comune_by_code(str(attr.get("value")))
        address = (record.get("addresses") or [{}])[0]
        city = _text(address, "city")
        return self.comune_by_address(city, _text(address, "postal_code")) if city else None

    def location(self, record: dict, org: Organization) -> Location | None:
        loc_id = self.checked_id("location", record)
        if loc_id is None:
            return None
        if loc_id in self.locations:
            return self.locations[loc_id]
        facts, _terms = self.read_attributes("location", loc_id, record)
        address = (record.get("addresses") or [{}])[0]
        comune = self.comune_by_code(facts["comune-istat"]) if "comune-istat" in facts else None
        city = _text(address, "city")
        postal_code = _text(address, "postal_code")
        if comune is None and city:
            comune = self.comune_by_address(city, postal_code)
        if comune is None and city:
            comune = self.default_municipality
            self.warn("location", loc_id, "city", f"comune «{city}» non riconosciuto")
        if postal_code and not (len(postal_code) == 5 and postal_code.isdigit()):
            self.warn("location", loc_id, "postal_code", f"CAP «{postal_code}» non italiano")
            postal_code = ""
        latitude, longitude = _decimal(record.get("latitude")), _decimal(record.get("longitude"))
        if latitude is not None and not (35 <= latitude <= 48 and 6 <= (longitude or 0) <= 19):
            self.warn("location", loc_id, "latitude", "coordinate fuori dall'Italia")
            latitude = longitude = None
        accessibility = (record.get("accessibility") or [{}])[0]
        location_type = record.get("location_type")
        values = {
            "organization": org,
            "location_type": location_type if location_type in Location.Type.values else "",
            "name": _text(record, "name") or _text(address, "address_1") or org.name,
            "description": _text(record, "description"),
            "address_1": _text(address, "address_1"),
            "address_2": _text(address, "address_2"),
            "postal_code": postal_code,
            "municipality": comune,
            "latitude": latitude,
            "longitude": longitude,
            "transportation": _text(record, "transportation")[:400],
            "url": _text(record, "url"),
            "wheelchair_accessible": facts.get("sedia-rotelle") == "true",
            "accessibility_description": _text(accessibility, "description"),
        }
        location = self.upsert(Location, loc_id, values, "location")
        if location is not None:
            self.locations[loc_id] = location
            scope = {"service": None, "contact": None}
            self.phones(location, record.get("phones"), scope, location=location)
            self.schedules(location, record.get("schedules"), {"service": None}, location=location)
        return location

    def known_links(self, record: dict) -> dict:
        """Links an object carries to an organisation or location already in this import."""
        links = {}
        org = self.organizations.get(_uuid(record.get("organization_id")))
        location = self.locations.get(_uuid(record.get("location_id")))
        if org:
            links["organization"] = org
        if location:
            links["location"] = location
        return links

    def phones(self, owner, records, scope: dict, **links) -> None:
        """Upsert `records` as phones of `owner`; drop its phones in `scope` not listed."""
        keep = []
        for record in records or []:
            phone_id = self.checked_id("phone", record)
            if phone_id is None:
                continue
            number = _text(record, "number").strip("\"' ")
            extension = record.get("extension")
            values = {
                "organization": None,
                "service": None,
                "location": None,
                "contact": None,
                **self.known_links(record),
                **links,
                "number": number,
                "extension": str(extension) if extension not in (None, "") else "",
                "type": record.get("type") if record.get("type") in Phone.Type.values else "voice",
                "description": _text(record, "description")[:200],
            }
            if self.upsert(Phone, phone_id, values, "phone"):
                keep.append(phone_id)
        owner.phones.filter(**scope).exclude(id__in=keep).delete()

    def schedules(self, owner, records, scope: dict, **links) -> None:
        keep = []
        for record in records or []:
            schedule_id = self.checked_id("schedule", record)
            if schedule_id is None:
                continue
            opens_at, closes_at = _time(record.get("opens_at")), _time(record.get("closes_at"))
            if record.get("freq", "WEEKLY") != "WEEKLY" or not (opens_at and closes_at):
                self.warn("schedule", schedule_id, "freq", "solo orari settimanali con ore")
                continue
            facts, _terms = self.read_attributes("schedule", schedule_id, record)
            values = {
                "service": None,
                "location": None,
                **self.known_links(record),
                **links,
                "byday": _text(record, "byday") or "MO,TU,WE,TH,FR,SA,SU",
                "opens_at": opens_at,
                "closes_at": closes_at,
                "closes_next_day": facts.get("chiude-giorno-dopo") == "true",
                "open_on_holidays": facts.get("aperto-festivi") == "true",
                "valid_from": _date(record.get("valid_from")),
                "valid_to": _date(record.get("valid_to")),
                "description": _text(record, "description")[:250],
            }
            if self.upsert(Schedule, schedule_id, values, "schedule"):
                keep.append(schedule_id)
        owner.schedules.filter(**scope).exclude(id__in=keep).delete()

    def service(self, record: dict) -> Service | None:
        service_id = self.checked_id("service", record)
        if service_id is None:
            return None
        org = self.service_organization(service_id, record)
        if org is None:
            return None
        facts, terms = self.read_attributes("service", service_id, record)
        cost_class, amount, cost_description = infer_cost(record, facts)
        for lang in record.get("languages") or []:
            self.language(lang)
        values = {
            "organization": org,
            "name": _text(record, "name"),
            "alternate_name": _text(record, "alternate_name"),
            "description": _text(record, "description") or _text(record, "name"),
            "url": _text(record, "url"),
            "email": _text(record, "email"),
            "status": record.get("status"),
            "eligibility_description": _text(record, "eligibility_description"),
            "minimum_age": record.get("minimum_age"),
            "maximum_age": record.get("maximum_age"),
            "application_process": _text(record, "application_process") or "-",
            "wait_time": _text(record, "wait_time")[:250],
            "cost_class": cost_class,
            "cost_amount": amount,
            "cost_description": cost_description,
            "accessibility_description": facts.get("accessibilita", ""),
            "assured_date": _date(record.get("assured_date")),
        }
        service = self.upsert(Service, service_id, values, "service")
        if service is None:
            return None
        for slug, field_name in SERVICE_TAXONOMY_FIELDS.items():
            getattr(service, field_name).set([t for t in terms if t.taxonomy.slug == slug])
        codes = {_text(lang, "code").lower() for lang in record.get("languages") or []}
        service.languages.set([self.languages[c] for c in codes if c in self.languages])
        self.service_areas(service, record.get("service_areas"))
        self.service_at_locations(service, record.get("service_at_locations"))
        self.phones(service, record.get("phones"), {"contact": None}, service=service)
        self.schedules(service, record.get("schedules"), {}, service=service)
        self.contacts(service, record.get("contacts"))
        self.documents(service, record.get("required_documents"))
        return service

    def service_organization(self, service_id: str, record: dict) -> Organization | None:
        org_record = record.get("organization")
        if org_record:
            locations = [
                sal.get("location") or {} for sal in record.get("service_at_locations") or []
            ]
            fallback = next(filter(None, map(self.location_comune, locations)), None)
            return self.organization(org_record, fallback)
        org_id = _uuid(record.get("organization_id"))
        org = self.organizations.get(org_id) or Organization.objects.filter(pk=org_id).first()
        if org is None:
            self.error("service", service_id, "organization", "ente mancante o sconosciuto")
        return org

    def language(self, record: dict) -> None:
        code = _text(record, "code").lower()
        if code and code not in self.languages and len(code) <= 3:
            name = _text(record, "name")[:60] or code
            self.languages[code] = Language.objects.create(code=code, name=name, native_name=name)

    def service_areas(self, service: Service, records) -> None:
        comuni, districts = [], []
        for record in records or []:
            facts, _terms = self.read_attributes("service_area", record.get("id"), record)
            if "comune-istat" in facts and self.comune_by_code(facts["comune-istat"]):
                comuni.append(self.comune_by_code(facts["comune-istat"]))
            elif "distretto" in facts and District.objects.filter(pk=facts["distretto"]).exists():
                districts.append(facts["distretto"])
            else:
                self.warn("service_area", record.get("id"), "name", "area non riconosciuta")
        service.service_area_municipalities.set(comuni)
        service.service_area_districts.set(districts)

    def contacts(self, service: Service, records) -> None:
        keep = []
        for record in records or []:
            contact_id = self.checked_id("contact", record)
            if contact_id is None:
                continue
            values = {
                "service": service,
                "name": _text(record, "name")[:200],
                "title": _text(record, "title")[:200],
                "department": _text(record, "department")[:200],
                "email": _text(record, "email"),
            }
            contact = self.upsert(Contact, contact_id, values, "contact")
            if contact:
                keep.append(contact_id)
                self.phones(contact, record.get("phones"), {}, contact=contact)
        service.contacts.exclude(id__in=keep).delete()

    def documents(self, service: Service, records) -> None:
        keep = []
        for record in records or []:
            doc_id = self.checked_id("required_document", record)
            values = {
                "service": service,
                "document": _text(record, "document")[:300],
                "uri": _text(record, "uri"),
            }
            if doc_id and self.upsert(RequiredDocument, doc_id, values, "required_document"):
                keep.append(doc_id)
        service.required_documents.exclude(id__in=keep).delete()

    def service_at_locations(self, service: Service, records) -> None:
        keep = []
        for record in records or []:
            sal_id = self.checked_id("service_at_location", record)
            loc_record = record.get("location")
            location = None
            if loc_record:
                location = self.location(loc_record, service.organization)
            elif record.get("location_id"):
                loc_id = _uuid(record["location_id"])
                location = self.locations.get(loc_id) or Location.objects.filter(pk=loc_id).first()
            if sal_id is None or location is None:
                if sal_id and not loc_record:
                    self.error("service_at_location", sal_id, "location_id", "sede sconosciuta")
                continue
            values = {
                "service": service,
                "location": location,
                "description": _text(record, "description"),
            }
            if self.upsert(ServiceAtLocation, sal_id, values, "service_at_location"):
                keep.append(sal_id)
        service.service_at_locations.exclude(id__in=keep).delete()


def infer_cost(record: dict, facts: dict) -> tuple[str, Decimal | None, str]:
    """Cost class, amount and description: our attribute when present, else from cost_options.

    An amount of 0 means free; an option or description naming ISEE or compartecipazione means a
    means-tested co-payment; an amount above 0 means paid.
    """
    options = record.get("cost_options") or []
    amounts = [a for a in (_decimal(o.get("amount")) for o in options) if a is not None]
    description = _text(record, "fees_description") or next(
        (_text(o, "amount_description") for o in options if o.get("amount_description")), ""
    )
    words = " ".join(
        [description, _text(record, "fees")]
        + [f"{_text(o, 'option')} {_text(o, 'amount_description')}" for o in options]
    ).casefold()
    positive = next((a for a in amounts if a > 0), None)
    cost_class = facts.get("classe-costo")
    if cost_class not in CostClass.values:
        if any(a == 0 for a in amounts):
            cost_class = CostClass.FREE
        elif "isee" in words or "compartecipazione" in words:
            cost_class = CostClass.COPAY
        elif positive is not None:
            cost_class = CostClass.PAID
        else:
            cost_class = CostClass.FREE
    amount = None if cost_class == CostClass.FREE or positive is None else positive
    return cost_class, amount, description
