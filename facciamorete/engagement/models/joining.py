"""Joining the network: the charter's versions and the applications to join."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from facciamorete.core.models import TimeStampedModel, render_markdown
from facciamorete.core.submissions import SubmittedOnce
from facciamorete.core.validators import normalize_tax_code, validate_tax_code
from facciamorete.organizations.models import (
    PUBLIC_KINDS,
    NetworkRole,
    OrganizationKind,
    RunTSSection,
)

from .base import PersonalDataQuerySet, new_access_token, new_reference


# The network's goals as the seed states them ("Obiettivi").
class NetworkGoal(models.TextChoices):
    MOBILISE = (
        "mobilitare",
        _("Mobilitare la società civile su solidarietà, reciprocità, bene comune"),
    )
    PROTECTION = (
        "protezione",
        _("Elevare i livelli di protezione sociale e combattere le forme di esclusione"),
    )
    COHESION = "coesione", _("Rianimare la coesione sociale")


class CharterQuerySet(models.QuerySet):
    def current(self):
        return self.filter(published_on__lte=timezone.localdate()).order_by("-published_on").first()


class Charter(TimeStampedModel):
    """The network's charter, one row per version: an application records the one accepted."""

    version = models.CharField(_("versione"), max_length=20, unique=True)
    title = models.CharField(_("titolo"), max_length=200, default=_("Carta della rete"))
    text = models.TextField(_("testo"), help_text=_("Formato Markdown."))
    published_on = models.DateField(_("in vigore dal"))

    objects = CharterQuerySet.as_manager()

    class Meta:
        verbose_name = _("carta della rete")
        verbose_name_plural = _("carte della rete (versioni)")
        ordering = ["-published_on"]

    def __str__(self):
        return f"{self.title} v{self.version}"

    def text_html(self):
        return mark_safe(render_markdown(self.text))  # noqa: S308 - sanitised by nh3


class JoinApplicationQuerySet(PersonalDataQuerySet):
    permission = "engagement.view_joinapplication"

    def pending(self):
        return self.filter(status__in=JoinApplication.OPEN_STATUSES)


class JoinApplication(SubmittedOnce, TimeStampedModel):
    """An organisation's request to join the network as member or partner."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Da esaminare")
        NEEDS_INFO = "needs_info", _("Integrazioni richieste")
        APPROVED = "approved", _("Approvata")
        REJECTED = "rejected", _("Respinta")

    OPEN_STATUSES = (Status.SUBMITTED, Status.NEEDS_INFO)

    reference = models.CharField(
        _("riferimento"), max_length=12, unique=True, default=new_reference, editable=False
    )
    access_token = models.CharField(
        max_length=40, unique=True, default=new_access_token, editable=False
    )
    status = models.CharField(
        _("stato"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    role = models.CharField(_("ruolo richiesto"), max_length=20, choices=NetworkRole.choices)
    # The organisation, as it will appear in the registry.
    name = models.CharField(_("denominazione"), max_length=250)
    alternate_name = models.CharField(_("nome breve o sigla"), max_length=120, blank=True)
    kind = models.CharField(_("tipo di ente"), max_length=20, choices=OrganizationKind.choices)
    tax_code = models.CharField(_("codice fiscale"), max_length=16, validators=[validate_tax_code])
    runts_section = models.CharField(
        _("sezione RUNTS"), max_length=1, choices=RunTSSection.choices, blank=True
    )
    runts_number = models.CharField(_("numero di repertorio RUNTS"), max_length=30, blank=True)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("comune della sede"),
    )
    description = models.TextField(_("chi siete e che cosa fate"))
    website = models.URLField(_("sito web"), blank=True)
    email = models.EmailField(_("e-mail dell'ente"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    goals = models.JSONField(_("obiettivi della rete condivisi"), default=list)
    services_offered = models.TextField(_("servizi offerti"), blank=True)
    # The person who applies: personal data.
    contact_name = models.CharField(_("nome e cognome del referente"), max_length=200)
    contact_role = models.CharField(_("ruolo nell'ente"), max_length=120, blank=True)
    contact_email = models.EmailField(_("e-mail del referente"))
    contact_phone = models.CharField(_("telefono del referente"), max_length=30, blank=True)
    language = models.CharField(_("lingua"), max_length=10, default="it")
    charter = models.ForeignKey(
        Charter, on_delete=models.PROTECT, related_name="+", verbose_name=_("carta accettata")
    )
    charter_accepted_at = models.DateTimeField(_("carta accettata il"))
    # The review.
    review_message = models.TextField(_("messaggio al richiedente"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("esaminata da"),
    )
    reviewed_at = models.DateTimeField(_("esaminata il"), null=True, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ente creato"),
    )

    objects = JoinApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("domanda di adesione")
        verbose_name_plural = _("domande di adesione")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.reference} – {self.name}"

    def get_absolute_url(self):
        return reverse("engagement:application_status", args=[self.access_token])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def get_goal_labels(self) -> list[str]:
        labels = dict(NetworkGoal.choices)
        return [str(labels[g]) for g in self.goals if g in labels]

    def clean(self):
        if self.tax_code:
            self.tax_code = normalize_tax_code(self.tax_code)
        errors = {}
        public = self.kind in PUBLIC_KINDS
        if self.runts_number and not self.runts_section:
            errors["runts_section"] = _("Indica la sezione RUNTS a cui si riferisce il numero.")
        if self.runts_section and public:
            errors["runts_section"] = _("Gli enti pubblici non sono iscritti al RUNTS.")
        if self.role == NetworkRole.PUBLIC_PARTNER and self.kind and not public:
            errors["role"] = _("Solo un ente pubblico può essere partner pubblico.")
        if self.role in (NetworkRole.MEMBER, NetworkRole.PRIVATE_PARTNER) and public:
            errors["role"] = _("Un ente pubblico aderisce come partner pubblico.")
        if errors:
            raise ValidationError(errors)
