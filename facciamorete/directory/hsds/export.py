"""The catalogue as HSDS 3.0: full service records, streamed a chunk at a time.

Memory stays flat however large the catalogue: services are read `CHUNK` at a time, with
everything a record needs prefetched for that chunk only.
"""

import json
from collections.abc import Iterable, Iterator
from typing import IO

from django.conf import settings
from django.db.models import Prefetch

from facciamorete.core.models import TaxonomyTerm
from facciamorete.organizations.models import Organization

from ..models import Location, Phone, Schedule, Service, ServiceAtLocation
from .mapping import (
    COST_OPTION_LABELS,
    SERVICE_TAXONOMY_FIELDS,
    attribute_term,
    compact,
    derived_id,
)

CHUNK = 500

TERMS = TaxonomyTerm.objects.select_related("taxonomy")
LOCATIONS = Location.objects.select_related("municipality__province__region").prefetch_related(
    Prefetch("phones", queryset=Phone.objects.filter(contact=None, service=None)),
    Prefetch("schedules", queryset=Schedule.objects.filter(service=None)),
)


def service_queryset(queryset=None):
    queryset = Service.objects.published() if queryset is None else queryset
    return queryset.select_related("organization__municipality").prefetch_related(
        Prefetch("organization__phones", queryset=Phone.objects.filter(service=None)),
        Prefetch("organization__activities", queryset=TERMS),
        *(Prefetch(field, queryset=TERMS) for field in SERVICE_TAXONOMY_FIELDS.values()),
        "languages",
        "service_area_municipalities",
        "service_area_districts",
        "schedules",
        Prefetch("phones", queryset=Phone.objects.filter(contact=None)),
        "contacts__phones",
        "required_documents",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.prefetch_related(
                Prefetch("location", queryset=LOCATIONS)
            ),
        ),
    )


def iter_services(queryset=None, chunk: int = CHUNK) -> Iterator[dict]:
    """Full HSDS service records, in id order, `chunk` services per round of queries."""
    queryset = Service.objects.published() if queryset is None else queryset
    ids = list(queryset.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), chunk):
        batch = service_queryset(Service.objects.filter(id__in=ids[start : start + chunk]))
        for service in sorted(batch, key=lambda s: s.id):
            yield service_record(service)


def write_json(out: IO[str], records: Iterable[dict]) -> int:
    """Write a JSON array one record at a time; return how many were written."""
    count = 0
    out.write("[")
    for record in records:
        out.write(",\n" if count else "\n")
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        count += 1
    out.write("\n]\n")
    return count


# --- objects -------------------------------------------------------------------------------


def attribute(link_id, link_entity: str, code: str, value) -> dict:
    return {
        "id": derived_id(link_id, "attribute", code),
        "link_id": str(link_id),
        "link_type": code,
        "link_entity": link_entity,
        "taxonomy_term_id": attribute_term(code)["id"],
        "value": str(value),
        "taxonomy_term": attribute_term(code),
    }


def taxonomy_term(term: TaxonomyTerm) -> dict:
    taxonomy = term.taxonomy
    return {
        "id": str(term.id),
        "code": term.code,
        "name": term.name,
        "description": term.description or term.name,
        "parent_id": str(term.parent_id) if term.parent_id else None,
        "taxonomy": taxonomy.name,
        "taxonomy_id": str(taxonomy.id),
        "term_uri": term.term_uri,
        "language": "it",
        "taxonomy_detail": taxonomy_record(taxonomy),
    }


def taxonomy_record(taxonomy) -> dict:
    return compact(
        {
            "id": str(taxonomy.id),
            "name": taxonomy.name,
            "description": taxonomy.description,
            "uri": taxonomy.uri,
            "version": taxonomy.version,
        }
    )


def term_attribute(link_id, link_entity: str, term: TaxonomyTerm) -> dict:
    return {
        "id": derived_id(link_id, "term", term.id),
        "link_id": str(link_id),
        "link_type": term.taxonomy.slug,
        "link_entity": link_entity,
        "taxonomy_term_id": str(term.id),
        "value": term.code,
        "taxonomy_term": taxonomy_term(term),
    }


def phone(p: Phone) -> dict:
    return {
        "id": str(p.id),
        "organization_id": str(p.organization_id) if p.organization_id else None,
        "service_id": str(p.service_id) if p.service_id else None,
        "location_id": str(p.location_id) if p.location_id else None,
        "contact_id": str(p.contact_id) if p.contact_id else None,
        "number": p.number,
        "extension": int(p.extension) if p.extension.isdigit() else None,
        "type": p.type,
        "description": p.description,
    }


def schedule(s: Schedule) -> dict:
    attributes = []
    if s.closes_next_day:
        attributes.append(attribute(s.id, "schedule", "chiude-giorno-dopo", "true"))
    if s.open_on_holidays:
        attributes.append(attribute(s.id, "schedule", "aperto-festivi", "true"))
    return {
        "id": str(s.id),
        "service_id": str(s.service_id) if s.service_id else None,
        "location_id": str(s.location_id) if s.location_id else None,
        "freq": "WEEKLY",
        "wkst": "MO",
        "byday": s.byday,
        "opens_at": s.opens_at.strftime("%H:%M"),
        "closes_at": s.closes_at.strftime("%H:%M"),
        "valid_from": s.valid_from.isoformat() if s.valid_from else None,
        "valid_to": s.valid_to.isoformat() if s.valid_to else None,
        "description": s.description,
        "attributes": attributes,
    }


def organization(org: Organization) -> dict:
    attributes = [
        attribute(org.id, "organization", "tipo-ente", org.kind),
        attribute(org.id, "organization", "stato-ente", org.status),
        attribute(org.id, "organization", "comune-istat", org.municipality_id),
    ]
    for code, value in (
        ("codice-fiscale", org.tax_code),
        ("runts-sezione", org.runts_section),
        ("runts-numero", org.runts_number),
        ("pec", org.pec),
    ):
        if value:
            attributes.append(attribute(org.id, "organization", code, value))
    attributes += [term_attribute(org.id, "organization", t) for t in org.activities.all()]
    return {
        **organization_summary(org),
        "phones": [phone(p) for p in org.phones.all()],
        "attributes": attributes,
    }


def location(loc: Location) -> dict:
    comune = loc.municipality
    addresses = []
    if loc.address_1 and comune:
        addresses.append(
            {
                "id": derived_id(loc.id, "address"),
                "location_id": str(loc.id),
                "address_1": loc.address_1,
                "address_2": loc.address_2,
                "city": comune.name,
                "region": comune.province.region.name,
                "state_province": comune.province.abbreviation,
                "postal_code": loc.postal_code or comune.postal_codes.split(",")[0].strip(),
                "country": "IT",
                "address_type": "postal" if loc.location_type == "postal" else "physical",
            }
        )
    attributes = []
    if comune:
        attributes.append(attribute(loc.id, "location", "comune-istat", comune.istat_code))
    if loc.wheelchair_accessible:
        attributes.append(attribute(loc.id, "location", "sedia-rotelle", "true"))
    accessibility = []
    if loc.accessibility_description:
        accessibility.append(
            {
                "id": derived_id(loc.id, "accessibility"),
                "location_id": str(loc.id),
                "description": loc.accessibility_description,
            }
        )
    return {
        "id": str(loc.id),
        "location_type": loc.location_type,
        "organization_id": str(loc.organization_id),
        "name": loc.name,
        "description": loc.description,
        "transportation": loc.transportation,
        "url": loc.url,
        "latitude": float(loc.latitude) if loc.latitude is not None else None,
        "longitude": float(loc.longitude) if loc.longitude is not None else None,
        "addresses": addresses,
        "accessibility": accessibility,
        "phones": [phone(p) for p in loc.phones.all()],
        "schedules": [schedule(s) for s in loc.schedules.all()],
        "attributes": attributes,
    }


def service_at_location(sal: ServiceAtLocation) -> dict:
    return {
        "id": str(sal.id),
        "service_id": str(sal.service_id),
        "location_id": str(sal.location_id),
        "description": sal.description,
        "location": location(sal.location),
    }


def cost_options(service: Service) -> list[dict]:
    amount = service.cost_amount
    if service.cost_class == "free":
        amount = 0
    return [
        {
            "id": derived_id(service.id, "cost"),
            "service_id": str(service.id),
            "option": COST_OPTION_LABELS[service.cost_class],
            "currency": "EUR",
            "amount": float(amount) if amount is not None else None,
            "amount_description": service.cost_description,
        }
    ]


def service_areas(service: Service) -> list[dict]:
    areas = []
    for comune in service.service_area_municipalities.all():
        area_id = derived_id(service.id, "area", comune.istat_code)
        areas.append(
            {
                "id": area_id,
                "service_id": str(service.id),
                "name": comune.name,
                "extent_type": "comune",
                "attributes": [attribute(area_id, "service_area", "comune-istat", comune.pk)],
            }
        )
    for district in service.service_area_districts.all():
        area_id = derived_id(service.id, "area", district.code)
        areas.append(
            {
                "id": area_id,
                "service_id": str(service.id),
                "name": district.name,
                "extent_type": "distretto",
                "attributes": [attribute(area_id, "service_area", "distretto", district.code)],
            }
        )
    return areas


def service_attributes(service: Service) -> list[dict]:
    attributes = [attribute(service.id, "service", "classe-costo", service.cost_class)]
    if service.accessibility_description:
        attributes.append(
            attribute(service.id, "service", "accessibilita", service.accessibility_description)
        )
    for field in SERVICE_TAXONOMY_FIELDS.values():
        attributes += [
            term_attribute(service.id, "service", t) for t in getattr(service, field).all()
        ]
    return attributes


def service_record(service: Service) -> dict:
    """One full HSDS service record: the service with its organisation, locations and all."""
    record = {
        "id": str(service.id),
        "organization_id": str(service.organization_id),
        "name": service.name,
        "alternate_name": service.alternate_name,
        "description": service.description,
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "application_process": service.application_process,
        "fees_description": service.cost_description,
        "wait_time": service.wait_time,
        "eligibility_description": service.eligibility_description,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": service.assured_date.isoformat() if service.assured_date else None,
        "last_modified": service.updated_at.isoformat(),
        "organization": organization(service.organization),
        "phones": [phone(p) for p in service.phones.all()],
        "schedules": [schedule(s) for s in service.schedules.all()],
        "service_areas": service_areas(service),
        "service_at_locations": [
            service_at_location(s) for s in service.service_at_locations.all()
        ],
        "languages": [
            {
                "id": derived_id(service.id, "language", lang.code),
                "service_id": str(service.id),
                "name": lang.name,
                "code": lang.code,
            }
            for lang in service.languages.all()
        ],
        "cost_options": cost_options(service),
        "required_documents": [
            {"id": str(d.id), "service_id": str(service.id), "document": d.document, "uri": d.uri}
            for d in service.required_documents.all()
        ],
        "contacts": [
            {
                "id": str(c.id),
                "service_id": str(service.id),
                "name": c.name,
                "title": c.title,
                "department": c.department,
                "email": c.email,
                "phones": [phone(p) for p in c.phones.all()],
            }
            for c in service.contacts.all()
        ],
        "attributes": service_attributes(service),
    }
    return compact(record)


# --- summaries for lists: the scalar fields only, so a page costs one query ----------------


def organization_summary(org: Organization) -> dict:
    return compact(
        {
            "id": str(org.id),
            "name": org.name,
            "alternate_name": org.alternate_name,
            "description": org.description,
            "email": org.email,
            "website": org.website,
            "tax_id": org.tax_code,
            "legal_status": org.get_kind_display(),
            "uri": settings.SITE_URL.rstrip("/") + org.get_absolute_url(),
        }
    )


def service_summary(service: Service) -> dict:
    """A service_list item: the service's own fields and its organisation's."""
    return compact(
        {
            "id": str(service.id),
            "organization_id": str(service.organization_id),
            "name": service.name,
            "alternate_name": service.alternate_name,
            "description": service.description,
            "url": service.url,
            "email": service.email,
            "status": service.status,
            "application_process": service.application_process,
            "fees_description": service.cost_description,
            "wait_time": service.wait_time,
            "eligibility_description": service.eligibility_description,
            "minimum_age": service.minimum_age,
            "maximum_age": service.maximum_age,
            "assured_date": service.assured_date.isoformat() if service.assured_date else None,
            "last_modified": service.updated_at.isoformat(),
            "organization": organization_summary(service.organization),
        }
    )
