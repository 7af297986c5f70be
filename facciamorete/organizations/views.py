from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from facciamorete.directory.models import Location, Service
from facciamorete.territory.models import Municipality

from .models import Organization, OrganizationKind


def organization_list(request):
    organizations = (
        Organization.objects.published()
        .select_related("municipality")
        .annotate(service_count=Count("services", filter=Q(services__status=Service.Status.ACTIVE)))
        .prefetch_related("memberships")
        .order_by("name")
    )
    kind = request.GET.get("kind", "")
    municipality = request.GET.get("municipality", "")
    if kind in OrganizationKind.values:
        organizations = organizations.filter(kind=kind)
    if municipality:
        organizations = organizations.filter(municipality_id=municipality)
    groups: dict[str, list] = {}
    for organization in organizations:
        groups.setdefault(organization.get_kind_display(), []).append(organization)
    published = Organization.objects.published()
    kinds_in_use = set(published.values_list("kind", flat=True))
    context = {
        "groups": sorted(groups.items()),
        "count": sum(len(items) for items in groups.values()),
        "kinds": [
            (value, label) for value, label in OrganizationKind.choices if value in kinds_in_use
        ],
        "municipalities": Municipality.objects.filter(
            istat_code__in=published.values("municipality_id")
        ).order_by("name"),
        "selected_kind": kind,
        "selected_municipality": municipality,
    }
    return render(request, "organizations/organization_list.html", context)


def organization_detail(request, slug: str):
    organization = get_object_or_404(
        Organization.objects.published()
        .select_related("municipality")
        .prefetch_related(
            "activities",
            "phones",
            "memberships",
            Prefetch(
                "services",
                queryset=Service.objects.published().prefetch_related("families").order_by("name"),
            ),
            Prefetch("locations", queryset=Location.objects.select_related("municipality")),
        ),
        slug=slug,
    )
    return render(request, "organizations/organization_detail.html", {"org": organization})
