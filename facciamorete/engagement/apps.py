from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EngagementConfig(AppConfig):
    name = "facciamorete.engagement"
    verbose_name = _("Partecipazione: adesioni, notizie ed eventi")
