"""/api/hsds/ (HSDS 3.0, read-only), /api/v1/ (the platform API), its schema and docs.

The routes are deliberately unnamed: they answer JSON, not pages, and the public-page
invariants (one <h1>, footer…) walk every named route.
"""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import hsds, opendata, views

READ = {"get": "list"}
ONE = {"get": "retrieve"}
WRITE_ONE = {"get": "retrieve", "put": "update", "patch": "partial_update"}


def read_only(prefix: str, viewset):
    return [
        path(f"v1/{prefix}/", viewset.as_view(READ)),
        path(f"v1/{prefix}/<str:pk>/", viewset.as_view(ONE)),
    ]


urlpatterns = [
    path("hsds/", hsds.root),
    path("hsds/services", hsds.services),
    path("hsds/services/<str:pk>", hsds.service),
    path("hsds/service_at_locations", hsds.service_at_locations),
    path("hsds/service_at_locations/<str:pk>", hsds.service_at_location),
    path("hsds/organizations", hsds.organizations),
    path("hsds/organizations/<str:pk>", hsds.organization),
    path("hsds/taxonomies", hsds.taxonomies),
    path("hsds/taxonomies/<str:pk>", hsds.taxonomy),
    path("hsds/taxonomy_terms", hsds.taxonomy_terms),
    path("hsds/taxonomy_terms/<str:pk>", hsds.taxonomy_term),
    *read_only("regions", views.RegionViewSet),
    *read_only("provinces", views.ProvinceViewSet),
    *read_only("municipalities", views.MunicipalityViewSet),
    *read_only("districts", views.DistrictViewSet),
    *read_only("taxonomies", views.TaxonomyViewSet),
    *read_only("taxonomy-terms", views.TaxonomyTermViewSet),
    path("v1/organizations/", views.OrganizationViewSet.as_view(READ)),
    path("v1/organizations/<uuid:pk>/", views.OrganizationViewSet.as_view(WRITE_ONE)),
    path("v1/services/", views.ServiceViewSet.as_view({"get": "list", "post": "create"})),
    path(
        "v1/services/<uuid:pk>/",
        views.ServiceViewSet.as_view({**WRITE_ONE, "delete": "destroy"}),
    ),
    path("schema/", SpectacularAPIView.as_view()),
    path("docs/", SpectacularSwaggerSplitView.as_view(url="/api/schema/")),
    path("open-data/hsds.json", opendata.public_json),
    path("open-data/hsds.zip", opendata.public_zip),
]
