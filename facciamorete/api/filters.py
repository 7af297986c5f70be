"""The platform API's filters: the catalogue's own (`directory.filters.ServiceFilter`)."""

import django_filters
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _

from facciamorete.directory.filters import ServiceFilter


class WordsField(forms.CharField):
    """The words of a search: anything a person (or a script) types is accepted, NUL included;
    the search engine reads what it can of them."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [
            v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class WordsFilter(django_filters.CharFilter):
    field_class = WordsField


class ApiServiceFilter(ServiceFilter):
    q = WordsFilter(
        method="filter_text",
        label=_("Parole"),
        help_text=_(
            "Le parole di chi cerca, in una delle lingue del lessico dei bisogni: i servizi "
            "vengono in ordine di pertinenza, altrimenti per nome."
        ),
    )
    municipality = django_filters.CharFilter(
        method="filter_municipality",
        label=_("Comune"),
        help_text=_("Il codice ISTAT del comune (sei cifre), es. 059001."),
    )
    district = django_filters.CharFilter(
        method="filter_district",
        label=_("Distretto"),
        help_text=_("Il codice del distretto socio-sanitario, es. LT1."),
    )
    lat = django_filters.NumberFilter(
        method="filter_near", label=_("Latitudine"), help_text=_("Latitudine del punto (WGS84).")
    )
    lon = django_filters.NumberFilter(
        method="filter_near", label=_("Longitudine"), help_text=_("Longitudine del punto (WGS84).")
    )
    radius_km = django_filters.NumberFilter(
        method="filter_near",
        label=_("Entro km"),
        help_text=_("Solo i servizi con una sede entro questi km da lat/lon."),
    )

    class Meta(ServiceFilter.Meta):
        pass
