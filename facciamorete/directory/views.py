import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from facciamorete.search.services import search_services
from facciamorete.territory.models import Municipality

from .filters import ServiceFilter
from .models import CostClass, Location, Schedule, Service
from .schedules import weekly_hours


def service_list(request):
    published = (
        Service.objects.published()
        .select_related("organization")
        .prefetch_related(
            "families",
            Prefetch("locations", queryset=Location.objects.select_related("municipality")),
        )
    )
    found = search_services(request.GET, queryset=published)
    page = Paginator(found, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": found.filter,
        "page": page,
        "ranked": found.ranked,
        "analysis": found.analysis,
        "show_why": found.ranked and request.user.is_staff,
        "facets": _facets(found.filter, request.GET),
        "query_string": query.urlencode(),
        "active_filters": _active_filters(request.GET),
        "header_q": request.GET.get("q", ""),
    }
    return render(request, "directory/service_list.html", context)


def _facets(service_filter: ServiceFilter, params) -> list[dict]:
    counts = service_filter.facet_counts()
    facets = []
    choices = service_filter.choices
    for facet, label in [
        ("family", _("Famiglia di servizi")),
        ("area", _("Area di bisogno")),
        ("audience", _("Fascia di utenza")),
    ]:
        facets.append(_facet(facet, label, choices[facet], counts, params))
    comuni = Municipality.objects.filter(
        istat_code__in=[*counts["municipality"], params.get("municipality", "")]
    ).values_list("istat_code", "name")
    facets.append(_facet("municipality", _("Comune"), list(comuni), counts, params, single=True))
    facets.append(_facet("cost", _("Costo"), CostClass.choices, counts, params))
    facets.append(
        _facet("language", _("Lingua parlata dal personale"), choices["language"], counts, params)
    )
    facets.append(_facet("open_now", _("Orari"), [("true", _("Aperto adesso"))], counts, params))
    return [f for f in facets if f["options"]]


def _facet(name, label, choices, counts, params, single=False) -> dict:
    selected = set(params.getlist(name))
    options = [
        {
            "value": value,
            "label": text,
            "count": counts[name].get(value, 0),
            "selected": value in selected,
        }
        for value, text in choices
    ]
    options = [o for o in options if o["count"] or o["selected"]]
    if single:
        options.sort(key=lambda o: str(o["label"]))
    return {
        "name": name,
        "label": label,
        "options": options,
        "single": single,
        "open": bool(selected),
        # Term names are catalogue content, written in Italian whatever the page's language.
        "content_in_italian": name in {"family", "area", "audience"},
    }


def _active_filters(params) -> bool:
    return any(params.getlist(key) for key in params if key not in {"page"})


def service_detail(request, key: str):
    services = Service.objects.select_related("organization", "assured_by").prefetch_related(
        "families",
        "areas",
        "audiences",
        "languages",
        "required_documents",
        "contacts__phones",
        "phones",
        "closures",
        "service_area_municipalities",
        "service_area_districts",
        Prefetch("schedules", queryset=Schedule.objects.order_by("opens_at")),
        Prefetch(
            "locations",
            queryset=Location.objects.select_related("municipality").prefetch_related("phones"),
        ),
    )
    service = _find_service(services, key)
    if service.slug != key:
        return redirect(service, permanent=True)
    visible = Service.objects.published().filter(pk=service.pk).exists()
    can_edit = Service.objects.editable_by(request.user).filter(pk=service.pk).exists()
    if not visible and not can_edit:
        raise Http404
    now = timezone.now()
    context = {
        "service": service,
        "is_published": visible,
        "can_edit": can_edit,
        "hours": weekly_hours(service.schedules.all()),
        "open_now": service.is_open_at(now),
        "now": now,
    }
    return render(request, "directory/service_detail.html", context)


def _find_service(services, key: str) -> Service:
    try:
        lookup = {"pk": uuid.UUID(key)}
    except ValueError:
        lookup = {"slug": key}
    try:
        return services.get(**lookup)
    except Service.DoesNotExist:
        raise Http404 from None
