from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from facciamorete.api.opendata import staff_page

admin.site.site_header = _("Facciamo Rete – area riservata")
admin.site.site_title = _("Facciamo Rete")
admin.site.index_title = _("Gestione della rete e del catalogo")

urlpatterns = [
    path("admin/hsds/", staff_page),
    path("admin/", admin.site.urls),
    path("api/", include("facciamorete.api.urls")),
    path("", include("facciamorete.core.urls")),
    path("", include("facciamorete.directory.urls")),
    path("", include("facciamorete.search.urls")),
    path("", include("facciamorete.referrals.urls")),
    path("", include("facciamorete.organizations.urls")),
    path("", include("facciamorete.engagement.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
