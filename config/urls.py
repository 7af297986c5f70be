from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from facciamorete.api.opendata import staff_page
from facciamorete.core.i18n import choose_language

admin.site.site_header = _("Facciamo Rete – area riservata")
admin.site.site_title = _("Facciamo Rete")
admin.site.index_title = _("Gestione della rete e del catalogo")

# Pages for people exist in every language: Italian at the plain address, the others under
# their prefix (/en/…, /ar/…). The staff area, the APIs and the language switch are not pages
# of that kind and stay unprefixed.
urlpatterns = [
    path("admin/hsds/", staff_page),
    path("admin/foglio-servizi/", include("facciamorete.directory.staff_urls")),
    path("admin/", admin.site.urls),
    path("api/", include("facciamorete.api.urls")),
    path("lingua/<str:code>/", choose_language, name="choose_language"),
]

urlpatterns += i18n_patterns(
    path("", include("facciamorete.core.urls")),
    path("", include("facciamorete.directory.urls")),
    path("", include("facciamorete.search.urls")),
    path("", include("facciamorete.referrals.urls")),
    path("", include("facciamorete.organizations.urls")),
    path("", include("facciamorete.engagement.urls")),
    prefix_default_language=False,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
