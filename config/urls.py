from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Facciamo Rete – area riservata")
admin.site.site_title = _("Facciamo Rete")
admin.site.index_title = _("Gestione della rete e del catalogo")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("facciamorete.core.urls")),
    path("", include("facciamorete.directory.urls")),
    path("", include("facciamorete.organizations.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
