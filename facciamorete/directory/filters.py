"""One FilterSet for the catalogue: the `/servizi/` page uses it, and so will the API."""

import math
from collections import Counter
from functools import cached_property

import django_filters
from django.db.models import Count, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facciamorete.core.models import TaxonomyTerm
from facciamorete.territory.models import District, Municipality

from .models import CostClass, Language, Location, Service

TAXONOMY_FACETS = {"family": "famiglie", "area": "aree-utenza", "audience": "fasce-utenza"}
M2M_FIELDS = {"family": "families", "area": "areas", "audience": "audiences"}


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Parole"))
    family = django_filters.MultipleChoiceFilter(
        field_name="families__code", label=_("Famiglia di servizi"), distinct=True
    )
    area = django_filters.MultipleChoiceFilter(
        field_name="areas__code", label=_("Area di bisogno"), distinct=True
    )
    audience = django_filters.MultipleChoiceFilter(
        field_name="audiences__code", label=_("Fascia di utenza"), distinct=True
    )
    municipality = django_filters.CharFilter(method="filter_municipality", label=_("Comune"))
    district = django_filters.CharFilter(method="filter_district", label=_("Distretto"))
    cost = django_filters.MultipleChoiceFilter(
        field_name="cost_class", choices=CostClass.choices, label=_("Costo")
    )
    language = django_filters.MultipleChoiceFilter(
        field_name="languages__code", label=_("Lingua parlata"), distinct=True
    )
    open_now = django_filters.BooleanFilter(method="filter_open_now", label=_("Aperto ora"))
    lat = django_filters.NumberFilter(method="filter_near", label=_("Latitudine"))
    lon = django_filters.NumberFilter(method="filter_near", label=_("Longitudine"))
    radius_km = django_filters.NumberFilter(method="filter_near", label=_("Entro km"))

    class Meta:
        model = Service
        fields = []

    def __init__(self, *args, choices: dict[str, list] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices or self._load_choices()
        for facet, values in self.choices.items():
            self.filters[facet].extra["choices"] = values

    @staticmethod
    def _load_choices() -> dict[str, list]:
        """The values each facet accepts: the taxonomies' terms and the languages."""
        terms = TaxonomyTerm.objects.filter(taxonomy__slug__in=TAXONOMY_FACETS.values())
        by_taxonomy: dict[str, list] = {slug: [] for slug in TAXONOMY_FACETS.values()}
        for slug, code, name in terms.values_list("taxonomy__slug", "code", "name"):
            by_taxonomy[slug].append((code, name))
        choices = {facet: by_taxonomy[slug] for facet, slug in TAXONOMY_FACETS.items()}
        choices["language"] = list(Language.objects.values_list("code", "name"))
        return choices

    @cached_property
    def analysis(self):
        """The words of `q` understood by the search engine (see facciamorete.search)."""
        from facciamorete.search.services import analyze

        value = self.data.get("q", "") if self.is_bound else ""
        return analyze(value if isinstance(value, str) else "")

    def filter_text(self, queryset, name, value):
        """Services whose words, or whose needs, match the query; ranking is done apart."""
        from facciamorete.search.engines import get_engine

        analysis = self.analysis
        if analysis.blank:
            return queryset
        groups = analysis.all_groups
        if not groups:
            return queryset.none()
        sql, params = get_engine().match_sql(groups)
        return queryset.filter(id__in=RawSQL(sql, params))

    def filter_near(self, queryset, name, value):
        """Within radius_km of lat/lon: services with a place there (applied once, on lat)."""
        data = self.form.cleaned_data
        lat, lon, radius = data.get("lat"), data.get("lon"), data.get("radius_km")
        if name != "lat" or None in (lat, lon, radius) or radius <= 0:
            return queryset
        from facciamorete.search.services import distance_km

        origin, radius = (float(lat), float(lon)), min(float(radius), 1000.0)
        dlat = radius / 111.0
        dlon = radius / max(1.0, 111.0 * math.cos(math.radians(max(-89.0, min(89.0, origin[0])))))
        places = Location.objects.filter(
            latitude__range=(origin[0] - dlat, origin[0] + dlat),
            longitude__range=(origin[1] - dlon, origin[1] + dlon),
        ).values_list("id", "latitude", "longitude")
        near = [pk for pk, a, b in places if distance_km(origin, (float(a), float(b))) <= radius]
        at = Service.locations.through.objects.filter(location_id__in=near)
        return queryset.filter(id__in=at.values("service_id"))

    def qs_without_text(self):
        """The results with every filter but the words: what the ranking ranks within."""
        return self._without("q")

    def has_filters(self) -> bool:
        """Whether anything but the words (and the point, alone) narrows the catalogue."""
        ignored = {"q", "page", "lat", "lon", "why"}
        getlist = getattr(self.data, "getlist", None)
        for key in self.data:
            values = getlist(key) if getlist else self.data[key]
            values = values if isinstance(values, list | tuple) else [values]
            if key not in ignored and any(str(v).strip() for v in values):
                return True
        return False

    def filter_municipality(self, queryset, name, value):
        municipality = Municipality.objects.filter(istat_code=value.strip()).first()
        if municipality is None:
            return queryset.none()
        return queryset.filter(id__in=Service.objects.in_municipality(municipality).values("id"))

    def filter_district(self, queryset, name, value):
        district = District.objects.filter(code__iexact=value.strip()).first()
        if district is None:
            return queryset.none()
        served = Service.objects.filter(
            Q(service_area_districts=district)
            | Q(service_area_municipalities__districts=district)
            | Q(locations__municipality__districts=district)
        )
        return queryset.filter(id__in=served.values("id"))

    def filter_open_now(self, queryset, name, value):
        if value is None:
            return queryset
        open_ids = Service.objects.open_at(timezone.now()).values("id")
        return queryset.filter(id__in=open_ids) if value else queryset.exclude(id__in=open_ids)

    # Facet counts: for each facet, how many results its values would give together with the
    # other filters in force (the facet's own selection left out, so choices stay visible).

    def _without(self, facet: str):
        data = self.data.copy()
        data.pop(facet, None)
        other = type(self)(data, queryset=self.queryset, choices=self.choices)
        if "analysis" in self.__dict__ and facet != "q":
            other.analysis = self.analysis  # the query is understood once per request
        return other.qs

    def facet_counts(self) -> dict[str, Counter]:
        counts: dict[str, Counter] = {}
        for facet, field in M2M_FIELDS.items():
            through = getattr(Service, field).through
            rows = (
                through.objects.filter(service__in=self._without(facet).values("id"))
                .values_list("taxonomyterm__code")
                .annotate(n=Count("service", distinct=True))
            )
            counts[facet] = Counter(dict(rows))
        lang_rows = (
            Service.languages.through.objects.filter(
                service__in=self._without("language").values("id")
            )
            .values_list("language_id")
            .annotate(n=Count("service", distinct=True))
        )
        counts["language"] = Counter(dict(lang_rows))
        cost_rows = self._without("cost").values_list("cost_class").annotate(n=Count("id"))
        counts["cost"] = Counter(dict(cost_rows))
        counts["municipality"] = self._municipality_counts(self._without("municipality"))
        counts["open_now"] = Counter(
            {
                "true": self._without("open_now")
                .filter(id__in=Service.objects.open_at(timezone.now()).values("id"))
                .count()
            }
        )
        return counts

    @staticmethod
    def _municipality_counts(queryset) -> Counter:
        """Services per comune where they are offered: by service area, district or location."""
        ids = queryset.values("id")
        pairs: set[tuple] = set()
        pairs.update(
            Service.service_area_municipalities.through.objects.filter(service__in=ids).values_list(
                "service_id", "municipality_id"
            )
        )
        pairs.update(
            Service.service_area_districts.through.objects.filter(service__in=ids).values_list(
                "service_id", "district__municipalities"
            )
        )
        pairs.update(
            Service.locations.through.objects.filter(service__in=ids).values_list(
                "service_id", "location__municipality_id"
            )
        )
        return Counter(municipality for _service, municipality in pairs if municipality)
