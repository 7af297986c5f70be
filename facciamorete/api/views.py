"""The platform API (/api/v1/): read for anyone, write for an organisation's own operators.

Writes are scoped by the same QuerySet methods as the staff area (`editable_by`), so another
organisation's rows are simply not there for a writer: 404, never a leak. Token or session.
"""

from django.forms.utils import ErrorDict
from django_filters import utils as filter_utils
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, permissions, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.filters import SearchFilter

from facciamorete.core.models import Taxonomy, TaxonomyTerm
from facciamorete.directory.models import Service
from facciamorete.organizations.models import Organization
from facciamorete.search.services import search_services
from facciamorete.territory.models import District, Municipality, Province, Region

from . import serializers
from .filters import ApiServiceFilter


class ReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [permissions.AllowAny]


class RegionViewSet(ReadOnlyViewSet):
    queryset = Region.objects.order_by("code")
    serializer_class = serializers.RegionSerializer


class ProvinceViewSet(ReadOnlyViewSet):
    queryset = Province.objects.order_by("code")
    serializer_class = serializers.ProvinceSerializer
    filterset_fields = ["region"]


class MunicipalityViewSet(ReadOnlyViewSet):
    queryset = Municipality.objects.order_by("name")
    serializer_class = serializers.MunicipalitySerializer
    filterset_fields = ["province"]
    filter_backends = [DjangoFilterBackend, SearchFilter]
    search_fields = ["name"]


class DistrictViewSet(ReadOnlyViewSet):
    queryset = District.objects.prefetch_related("municipalities").order_by("code")
    serializer_class = serializers.DistrictSerializer


class TaxonomyViewSet(ReadOnlyViewSet):
    queryset = Taxonomy.objects.order_by("name")
    serializer_class = serializers.TaxonomySerializer


class TaxonomyTermViewSet(ReadOnlyViewSet):
    queryset = TaxonomyTerm.objects.select_related("taxonomy").order_by("taxonomy", "order")
    serializer_class = serializers.TaxonomyTermSerializer
    filterset_fields = ["taxonomy"]


class CanWriteOwnRecords(permissions.DjangoModelPermissionsOrAnonReadOnly):
    """Reading is open; writing needs the role's model permission (operators have it)."""

    authenticated_users_only = False


class WritableViewSet(viewsets.GenericViewSet):
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [CanWriteOwnRecords]

    def get_queryset(self):
        manager = self.queryset.model.objects
        if self.request.method in permissions.SAFE_METHODS:
            return self.readable(manager)
        return manager.editable_by(self.request.user)


class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    WritableViewSet,
):
    """Organisations: anyone reads the listed ones; an operator updates their own."""

    queryset = Organization.objects.all()
    serializer_class = serializers.OrganizationSerializer
    filterset_fields = ["kind", "municipality"]
    filter_backends = [DjangoFilterBackend, SearchFilter]
    search_fields = ["name", "alternate_name"]

    def readable(self, manager):
        return manager.published().order_by("name", "id")


class ServiceViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    WritableViewSet,
):
    """Services: anyone reads the published ones; an operator adds, edits and removes their own.

    The list is the catalogue's search (`facciamorete.search`): with words in `q` the services
    come in rank order, page after page; without, by name. Filters combine with the words.
    """

    queryset = Service.objects.all()
    serializer_class = serializers.ServiceSerializer
    filterset_class = ApiServiceFilter

    def list(self, request, *args, **kwargs):
        found = search_services(request.query_params, queryset=self.get_queryset())
        # A bad filter value is a 400 that names it, as before; the words never are: whatever
        # `q` holds (NUL bytes, operators, 10,000 characters) the search reads what it can.
        errors = ErrorDict({k: e for k, e in found.filter.errors.items() if k != "q"})
        if errors:
            raise filter_utils.translate_validation(errors)
        page = self.paginate_queryset(found)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def readable(self, manager):
        return (
            manager.published()
            .order_by("name", "id")
            .prefetch_related(
                "families",
                "areas",
                "audiences",
                "languages",
                "service_area_municipalities",
                "service_area_districts",
            )
        )
