from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "facciamorete.referrals"
    verbose_name = _("Richieste di aiuto e invii")
    default_auto_field = "django.db.models.BigAutoField"
