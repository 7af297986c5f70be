from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_index(sender, using, plan=None, **kwargs):
    """After every migrate: put back triggers a table rebuild may have dropped (SQLite)."""
    from django.db import connections

    from .schema import ensure_index

    connection = connections[using]
    tables = connection.introspection.table_names()
    if "directory_service" in tables and "search_needconcept" in tables:
        ensure_index(connection)


class SearchConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "facciamorete.search"
    verbose_name = _("Ricerca per bisogno")

    def ready(self):
        post_migrate.connect(_ensure_index, sender=self, dispatch_uid="search_ensure_index")
