from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "facciamorete.directory"
    verbose_name = _("Catalogo dei servizi")
