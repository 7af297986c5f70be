"""The HSDS 3.0 API: a read-only, public face of the published catalogue.

Paths and parameters follow Open Referral's `openapi.json`; every list answers with the HSDS
page envelope, or with one JSON object per line for `format=ndjson`. Any site may call it.
"""

import datetime as dt
import json
import math
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import wraps

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.http import require_GET

from facciamorete.core.models import Taxonomy, TaxonomyTerm
from facciamorete.directory.hsds import export
from facciamorete.directory.hsds.mapping import (
    ATTRIBUTE_TAXONOMY,
    ATTRIBUTE_TERMS,
    HSDS_PROFILE,
    HSDS_VERSION,
    attribute_term,
)
from facciamorete.directory.models import Phone, Service, ServiceAtLocation
from facciamorete.organizations.models import Organization
from facciamorete.search.services import analyze, rank
from facciamorete.territory.models import Municipality

OPENAPI_URL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
PER_PAGE, MAX_PER_PAGE = 50, 200
TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no", ""}


class BadParameter(Exception):
    pass


def hsds_endpoint(view):
    """GET only, `Access-Control-Allow-Origin: *`, a bad parameter is a 400 that says why."""

    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except BadParameter as exc:
            response = JsonResponse({"detail": str(exc)}, status=400)
        except Http404:
            response = JsonResponse({"detail": "Not found."}, status=404)
        response["Access-Control-Allow-Origin"] = "*"
        return response

    return wrapper


@dataclass
class Params:
    search: str
    page: int
    per_page: int
    ndjson: bool
    full: bool
    minimal: bool
    full_service: bool
    modified_after: dt.datetime | None

    @classmethod
    def parse(cls, request) -> "Params":
        get = request.GET
        fmt = get.get("format", "json")
        if fmt not in ("json", "ndjson"):
            raise BadParameter("format: json or ndjson")
        return cls(
            search=get.get("search", "").strip()[:200],
            page=_int(get, "page", 1),
            per_page=min(_int(get, "per_page", PER_PAGE), MAX_PER_PAGE),
            ndjson=fmt == "ndjson",
            full=_bool(get, "full"),
            minimal=_bool(get, "minimal"),
            full_service=_bool(get, "full_service"),
            modified_after=_moment(get.get("modified_after")),
        )


def _int(get, name: str, default: int) -> int:
    value = get.get(name, "")
    if value == "":
        return default
    if not value.isdigit() or int(value) < 1 or len(value) > 9:
        raise BadParameter(f"{name}: a whole number from 1")
    return int(value)


def _bool(get, name: str) -> bool:
    value = get.get(name, "").lower()
    if value not in TRUE | FALSE:
        raise BadParameter(f"{name}: true or false")
    return value in TRUE


def _moment(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = parse_datetime(value)
        if moment is None and (day := parse_date(value)) is not None:
            moment = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise BadParameter("modified_after: a date or date-time, e.g. 2026-01-31T08:00:00Z")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment


def _uuid_param(get, name: str) -> str | None:
    value = get.get(name)
    if value is None:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise BadParameter(f"{name}: a UUID") from exc


def _uuid_or_404(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError as exc:
        raise Http404 from exc


def paginate(
    params: Params, items: Sequence, render: Callable[[list], list[dict]]
) -> JsonResponse | StreamingHttpResponse:
    """The HSDS page envelope; with format=ndjson every result, one JSON object per line."""
    if params.ndjson:
        return StreamingHttpResponse(_ndjson(items, render), content_type="application/x-ndjson")
    total = len(items) if isinstance(items, list) else items.count()
    pages = max(1, math.ceil(total / params.per_page))
    start = (params.page - 1) * params.per_page
    contents = render(list(items[start : start + params.per_page])) if start < total else []
    return JsonResponse(
        {
            "total_items": total,
            "total_pages": pages,
            "page_number": params.page,
            "size": len(contents),
            "first_page": params.page == 1,
            "last_page": params.page >= pages,
            "empty": not contents,
            "contents": contents,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _ndjson(items: Sequence, render, chunk: int = 500) -> Iterable[str]:
    for start in range(0, len(items) if isinstance(items, list) else items.count(), chunk):
        for obj in render(list(items[start : start + chunk])):
            yield json.dumps(obj, ensure_ascii=False) + "\n"


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


# --- root ----------------------------------------------------------------------------------


@hsds_endpoint
def root(request):
    return _json({"version": HSDS_VERSION, "profile": HSDS_PROFILE, "openapi_url": OPENAPI_URL})


# --- services ------------------------------------------------------------------------------


def filter_services(queryset, request, params: Params):
    """taxonomy_term_id, taxonomy_id, organization_id, modified_after: all together (`search`
    is the catalogue's search, applied by `search_in`)."""
    get = request.GET
    if term_id := _uuid_param(get, "taxonomy_term_id"):
        tagged = Q(families=term_id) | Q(areas=term_id) | Q(audiences=term_id)
        queryset = queryset.filter(id__in=Service.objects.filter(tagged).values("id"))
    if taxonomy_id := _uuid_param(get, "taxonomy_id"):
        tagged = (
            Q(families__taxonomy=taxonomy_id)
            | Q(areas__taxonomy=taxonomy_id)
            | Q(audiences__taxonomy=taxonomy_id)
        )
        queryset = queryset.filter(id__in=Service.objects.filter(tagged).values("id"))
    if organization_id := _uuid_param(get, "organization_id"):
        queryset = queryset.filter(organization_id=organization_id)
    if params.modified_after:
        queryset = queryset.filter(updated_at__gte=params.modified_after)
    return queryset


SERVICE_FILTERS = ("taxonomy_term_id", "taxonomy_id", "organization_id", "modified_after")


def search_in(services, params: Params, *, narrowed: bool) -> list | None:
    """The ids of `services` that match `search`, best first: the catalogue's search (the same
    analysis, lexicon of needs, typo tolerance and ranking as /servizi/ and /api/v1/services/).
    None when `search` has no words to search for: then nothing is narrowed.

    `narrowed` says other filters narrow the catalogue: the engine then ranks within them
    rather than taking the best matches of the whole catalogue."""
    analysis = analyze(params.search)
    if analysis.blank:
        return None
    return [result.service_id for result in rank(services, analysis, filtered=narrowed)]


def in_rank_order(queryset, ids: list, field: str = "id"):
    """`queryset` narrowed to `ids`, in their order."""
    if not ids:
        return queryset.none()
    position = Case(
        *[When(**{field: pk}, then=Value(i)) for i, pk in enumerate(ids)],
        output_field=IntegerField(),
    )
    return queryset.filter(**{f"{field}__in": ids}).order_by(position, "id")


def render_services(params: Params) -> Callable[[list], list[dict]]:
    if params.minimal:
        return lambda page: [
            {
                "id": str(s.id),
                "name": s.name,
                "status": s.status,
                "last_modified": s.updated_at.isoformat(),
            }
            for s in page
        ]
    if params.full:
        return full_services
    return lambda page: [export.service_summary(s) for s in page]


def full_services(page: list) -> list[dict]:
    ids = [s.id for s in page]
    found = {s.id: s for s in export.service_queryset(Service.objects.filter(id__in=ids))}
    return [export.service_record(found[i]) for i in ids]


@hsds_endpoint
def services(request):
    params = Params.parse(request)
    queryset = filter_services(Service.objects.published(), request, params)
    queryset = queryset.select_related("organization").order_by("name", "id")
    narrowed = any(request.GET.get(name) for name in SERVICE_FILTERS)
    if (ranked := search_in(queryset, params, narrowed=narrowed)) is not None:
        queryset = in_rank_order(queryset, ranked)
    return paginate(params, queryset, render_services(params))


@hsds_endpoint
def service(request, pk):
    queryset = export.service_queryset(Service.objects.published())
    found = queryset.filter(pk=_uuid_or_404(pk)).first()
    if found is None:
        raise Http404
    return _json(export.service_record(found))


# --- service at locations ------------------------------------------------------------------


def near(postcode: str, meters: int) -> list:
    """Ids of published service-at-locations within `meters` of the postcode's comune."""
    comuni = Municipality.objects.filter(
        postal_codes__contains=postcode, latitude__isnull=False
    ).values_list("latitude", "longitude")
    if not comuni:
        return []
    lat = sum(float(c[0]) for c in comuni) / len(comuni)
    lon = sum(float(c[1]) for c in comuni) / len(comuni)
    dlat = meters / 111_320
    dlon = meters / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    candidates = ServiceAtLocation.objects.filter(
        location__latitude__range=(lat - dlat, lat + dlat),
        location__longitude__range=(lon - dlon, lon + dlon),
    ).values_list("id", "location__latitude", "location__longitude")
    return [pk for pk, la, lo in candidates if _meters(lat, lon, float(la), float(lo)) <= meters]


def _meters(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(a))


def covering(postcode: str) -> Q:
    """Where the postcode lies: at the location, or in the service's area (comune/district)."""
    comuni = Municipality.objects.filter(postal_codes__contains=postcode)
    return (
        Q(location__postal_code=postcode)
        | Q(location__municipality__in=comuni)
        | Q(service__service_area_municipalities__in=comuni)
        | Q(service__service_area_districts__municipalities__in=comuni)
    )


def sal_record(sal: ServiceAtLocation) -> dict:
    return export.compact(
        {**export.service_at_location(sal), "service": export.service_summary(sal.service)}
    )


@hsds_endpoint
def service_at_locations(request):
    params = Params.parse(request)
    get = request.GET
    published = filter_services(Service.objects.published(), request, params)
    queryset = ServiceAtLocation.objects.filter(service__in=published.values("id"))
    postcode = get.get("postcode", "").strip()
    if postcode and not (postcode.isdigit() and len(postcode) == 5):
        raise BadParameter("postcode: an Italian CAP of five digits")
    if get.get("proximity"):
        meters = _int(get, "proximity", 0)
        if not postcode:
            raise BadParameter("proximity needs a postcode")
        queryset = queryset.filter(id__in=near(postcode, meters))
    elif postcode:
        queryset = queryset.filter(
            id__in=ServiceAtLocation.objects.filter(covering(postcode)).values("id")
        )
    queryset = queryset.select_related("service__organization").prefetch_related(
        Prefetch("location", queryset=export.LOCATIONS)
    )
    queryset = queryset.order_by("service__name", "id")
    # With words: the places of the services found, the best service's first.
    narrowed = postcode or any(get.get(name) for name in SERVICE_FILTERS)
    if narrowed:
        published = published.filter(id__in=queryset.values("service_id"))
    if (ranked := search_in(published, params, narrowed=bool(narrowed))) is not None:
        queryset = in_rank_order(queryset, ranked, field="service_id")
    return paginate(params, queryset, lambda page: [sal_record(s) for s in page])


@hsds_endpoint
def service_at_location(request, pk):
    queryset = ServiceAtLocation.objects.filter(
        service__in=Service.objects.published().values("id")
    )
    found = (
        queryset.select_related("service__organization")
        .prefetch_related(Prefetch("location", queryset=export.LOCATIONS))
        .filter(pk=_uuid_or_404(pk))
        .first()
    )
    if found is None:
        raise Http404
    return _json(sal_record(found))


# --- organizations -------------------------------------------------------------------------


ORG_PREFETCH = (
    Prefetch("phones", queryset=Phone.objects.filter(service=None)),
    Prefetch("activities", queryset=export.TERMS),
)


def organization_record(org: Organization, params: Params) -> dict:
    if params.full or params.full_service:
        record = export.organization(org)
    else:
        record = export.organization_summary(org)
    if params.full_service:
        services = export.service_queryset(org.services.published().order_by("name", "id"))
        record["services"] = [export.service_record(s) for s in services]
    return export.compact(record)


@hsds_endpoint
def organizations(request):
    params = Params.parse(request)
    queryset = Organization.objects.published().order_by("name", "id")
    for word in params.search.split()[:10]:
        queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
    if params.full or params.full_service:
        queryset = queryset.select_related("municipality").prefetch_related(*ORG_PREFETCH)
    return paginate(params, queryset, lambda page: [organization_record(o, params) for o in page])


@hsds_endpoint
def organization(request, pk):
    params = Params.parse(request)
    params.full = True
    queryset = Organization.objects.published().prefetch_related(*ORG_PREFETCH)
    found = queryset.filter(pk=_uuid_or_404(pk)).first()
    if found is None:
        raise Http404
    return _json(organization_record(found, params))


# --- taxonomies ----------------------------------------------------------------------------


def all_taxonomies() -> list[dict]:
    return [export.taxonomy_record(t) for t in Taxonomy.objects.order_by("name")] + [
        ATTRIBUTE_TAXONOMY
    ]


def all_terms() -> list[dict]:
    terms = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy__name", "order")
    return [export.taxonomy_term(t) for t in terms] + [attribute_term(c) for c in ATTRIBUTE_TERMS]


def _search(items: list[dict], words: str) -> list[dict]:
    for word in words.casefold().split()[:10]:
        items = [i for i in items if word in f"{i['name']} {i['description']}".casefold()]
    return items


@hsds_endpoint
def taxonomies(request):
    params = Params.parse(request)
    return paginate(params, _search(all_taxonomies(), params.search), lambda page: page)


@hsds_endpoint
def taxonomy(request, pk):
    pk = _uuid_or_404(pk)
    found = next((t for t in all_taxonomies() if t["id"] == pk), None)
    if found is None:
        raise Http404
    return _json(found)


@hsds_endpoint
def taxonomy_terms(request):
    params = Params.parse(request)
    terms = _search(all_terms(), params.search)
    if taxonomy_id := _uuid_param(request.GET, "taxonomy_id"):
        terms = [t for t in terms if t["taxonomy_id"] == taxonomy_id]
    if parent_id := _uuid_param(request.GET, "parent_id"):
        terms = [t for t in terms if t.get("parent_id") == parent_id]
    if _bool(request.GET, "top_only"):
        terms = [t for t in terms if not t.get("parent_id")]
    return paginate(params, [export.compact(t) for t in terms], lambda page: page)


@hsds_endpoint
def taxonomy_term(request, pk):
    pk = _uuid_or_404(pk)
    found = next((t for t in all_terms() if t["id"] == pk), None)
    if found is None:
        raise Http404
    return _json(export.compact(found))
