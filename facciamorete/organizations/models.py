"""The network's members and partners, and who may act for them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from facciamorete.core.models import TimeStampedModel, UUIDModel
from facciamorete.core.validators import normalize_tax_code, validate_tax_code


class OrganizationKind(models.TextChoices):
    ODV = "odv", _("Organizzazione di volontariato (ODV)")
    APS = "aps", _("Associazione di promozione sociale (APS)")
    SOCIAL_COOPERATIVE = "coop_sociale", _("Cooperativa sociale")
    SOCIAL_ENTERPRISE = "impresa_sociale", _("Impresa sociale")
    FOUNDATION = "fondazione", _("Fondazione")
    RELIGIOUS = "ente_religioso", _("Ente religioso")
    MUNICIPALITY = "comune", _("Ente pubblico – Comune")
    SCHOOL = "scuola", _("Ente pubblico – Scuola")
    HEALTH_AUTHORITY = "asl", _("Ente pubblico – ASL")
    OTHER_PUBLIC = "ente_pubblico", _("Ente pubblico – altro")
    BUSINESS = "impresa", _("Impresa")
    UNION = "sindacato", _("Organizzazione sindacale o di categoria")
    OTHER = "altro", _("Altro")


PUBLIC_KINDS = {
    OrganizationKind.MUNICIPALITY,
    OrganizationKind.SCHOOL,
    OrganizationKind.HEALTH_AUTHORITY,
    OrganizationKind.OTHER_PUBLIC,
}


class RunTSSection(models.TextChoices):
    """The sections of the Registro unico nazionale del Terzo settore (art. 46 D.Lgs. 117/2017)."""

    A = "a", _("a) Organizzazioni di volontariato")
    B = "b", _("b) Associazioni di promozione sociale")
    C = "c", _("c) Enti filantropici")
    D = "d", _("d) Imprese sociali, incluse le cooperative sociali")
    E = "e", _("e) Reti associative")
    F = "f", _("f) Società di mutuo soccorso")
    G = "g", _("g) Altri enti del Terzo settore")


class NetworkRole(models.TextChoices):
    MEMBER = "aderente", _("Aderente")
    PUBLIC_PARTNER = "partner_pubblico", _("Partner pubblico")
    PRIVATE_PARTNER = "partner_privato", _("Partner privato")


class OrganizationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Organization.Status.ACTIVE)

    def editable_by(self, user):
        """The organisations a staff user may edit: all for network admins, else their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(operators__user=user).distinct()


class Organization(UUIDModel, TimeStampedModel):
    class Status(models.TextChoices):
        PENDING = "pending", _("In attesa di approvazione")
        ACTIVE = "active", _("Attivo")
        SUSPENDED = "suspended", _("Sospeso")

    name = models.CharField(_("denominazione"), max_length=250)
    slug = models.SlugField(_("indirizzo"), max_length=120, unique=True, blank=True)
    alternate_name = models.CharField(_("nome breve o sigla"), max_length=120, blank=True)
    kind = models.CharField(_("tipo di ente"), max_length=20, choices=OrganizationKind.choices)
    tax_code = models.CharField(
        _("codice fiscale"),
        max_length=16,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_tax_code],
        error_messages={"unique": _("Esiste già un ente con questo codice fiscale.")},
    )
    runts_section = models.CharField(
        _("sezione RUNTS"), max_length=1, choices=RunTSSection.choices, blank=True
    )
    runts_number = models.CharField(_("numero di repertorio RUNTS"), max_length=30, blank=True)
    description = models.TextField(_("descrizione"))
    website = models.URLField(_("sito web"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="organizations",
        verbose_name=_("comune della sede"),
    )
    activities = models.ManyToManyField(
        "core.TaxonomyTerm",
        blank=True,
        related_name="organizations",
        limit_choices_to={"taxonomy__slug": "art5"},
        verbose_name=_("attività di interesse generale (art. 5)"),
    )
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.PENDING
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("ente")
        verbose_name_plural = _("enti")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.slug])

    @property
    def is_public_body(self) -> bool:
        return self.kind in PUBLIC_KINDS

    def clean(self):
        if self.tax_code:
            self.tax_code = normalize_tax_code(self.tax_code)
        if self.runts_number and not self.runts_section:
            raise ValidationError(
                {"runts_section": _("Indica la sezione RUNTS a cui si riferisce il numero.")}
            )
        if self.runts_section and self.is_public_body:
            raise ValidationError(
                {"runts_section": _("Gli enti pubblici non sono iscritti al RUNTS.")}
            )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Organization, self.alternate_name or self.name)
        if self.tax_code:
            self.tax_code = normalize_tax_code(self.tax_code)
        else:
            self.tax_code = None
        super().save(*args, **kwargs)

    def current_membership(self):
        today = timezone.localdate()
        for membership in self.memberships.all():
            if membership.is_current(today):
                return membership
        return None


def unique_slug(model, text: str, max_length: int = 100) -> str:
    base = slugify(text)[:max_length].strip("-") or "voce"
    slug, n = base, 2
    while model.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


class MembershipQuerySet(models.QuerySet):
    def current(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day)


class Membership(models.Model):
    """An organisation's role in the network over a span of time."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("ente")
    )
    role = models.CharField(_("ruolo nella rete"), max_length=20, choices=NetworkRole.choices)
    start_date = models.DateField(_("dal"))
    end_date = models.DateField(_("al"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adesione")
        verbose_name_plural = _("adesioni")
        ordering = ["-start_date"]

    def __str__(self):
        return f"{self.organization} – {self.get_role_display()}"

    def is_current(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("La data di fine non può precedere la data di inizio.")}
            )


class OrganizationOperator(models.Model):
    """A person who keeps an organisation's profile and services up to date."""

    class Role(models.TextChoices):
        OPERATOR = "operator", _("Operatore")
        ADMIN = "admin", _("Amministratore dell'ente")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="operators", verbose_name=_("ente")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_roles",
        verbose_name=_("utente"),
    )
    role = models.CharField(_("ruolo"), max_length=10, choices=Role.choices, default=Role.OPERATOR)

    class Meta:
        verbose_name = _("operatore dell'ente")
        verbose_name_plural = _("operatori dell'ente")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_operator")
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization}"
