from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render

from facciamorete.directory.filters import ServiceFilter
from facciamorete.directory.models import Service
from facciamorete.organizations.models import Organization

from .models import Page, TaxonomyTerm


def _terms_with_counts(taxonomy_slug: str, relation: str):
    published = Q(**{f"{relation}__status": Service.Status.ACTIVE}) & Q(
        **{f"{relation}__organization__status": Organization.Status.ACTIVE}
    )
    return TaxonomyTerm.objects.of(taxonomy_slug).annotate(
        service_count=Count(relation, filter=published, distinct=True)
    )


def home(request):
    services = Service.objects.published()
    context = {
        "mission": Page.objects.published().filter(slug="missione").first(),
        "families": _terms_with_counts("famiglie", "services_in_family"),
        "areas": _terms_with_counts("aree-utenza", "services_in_area"),
        "organization_count": Organization.objects.published().count(),
        "service_count": services.count(),
        "municipality_count": len(ServiceFilter._municipality_counts(services)),
    }
    return render(request, "core/home.html", context)


def network(request):
    pages = Page.objects.published().filter(section=Page.Section.NETWORK)
    return render(request, "core/network.html", {"pages": pages})


def contact(request):
    context = {
        "intro": Page.objects.published().filter(slug="contatti").first(),
        "email": settings.CONTACT_EMAIL,
        "phone": settings.CONTACT_PHONE,
        "address": settings.CONTACT_ADDRESS,
    }
    return render(request, "core/contact.html", context)


def page(request, slug: str, section: str):
    page = get_object_or_404(Page.objects.published(), slug=slug)
    if page.section != section:
        return redirect(page, permanent=True)
    siblings = Page.objects.published().filter(section=page.section).only("slug", "title")
    return render(request, "core/page.html", {"page": page, "siblings": siblings})
