"""Supporting the network: campaigns, pledges (money or help in kind) and donations received.

Payments happen outside the platform (bank transfer, cash at the desk); staff record what arrived
as a `Donation`, which has a printable receipt. Supporters' names and contacts are personal data:
public pages show totals and counts, and a name only when its owner agreed.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from facciamorete.core.models import TimeStampedModel, render_markdown
from facciamorete.core.submissions import SubmittedOnce
from facciamorete.core.validators import validate_tax_code
from facciamorete.organizations.models import Organization, unique_slug

from .base import PersonalDataQuerySet

ONE_CENT = Decimal("0.01")


class CampaignQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, organization__status="active")

    def open(self):
        today = timezone.localdate()
        return self.published().filter(starts_on__lte=today).exclude(ends_on__lt=today)


class Campaign(TimeStampedModel):
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="campaigns",
        verbose_name=_("ente beneficiario"),
        help_text=_("L'ente che riceve i fondi e rilascia le ricevute."),
    )
    title = models.CharField(_("titolo"), max_length=200)
    slug = models.SlugField(_("indirizzo"), max_length=120, unique=True, blank=True)
    summary = models.CharField(_("sommario"), max_length=300)
    story = models.TextField(_("la storia"), help_text=_("Formato Markdown."))
    project = models.CharField(_("progetto finanziato"), max_length=200)
    goal = models.DecimalField(
        _("obiettivo (EUR)"), max_digits=10, decimal_places=2, validators=[MinValueValidator(1)]
    )
    starts_on = models.DateField(_("dal"), default=timezone.localdate)
    ends_on = models.DateField(_("al"), null=True, blank=True)
    image = models.ImageField(_("immagine"), upload_to="campaigns/", blank=True)
    image_alt = models.CharField(_("descrizione dell'immagine"), max_length=200, blank=True)
    bank_details = models.TextField(
        _("come versare"), help_text=_("Intestatario, IBAN, causale da indicare.")
    )
    five_per_mille_code = models.CharField(
        _("codice fiscale per il 5 per mille"),
        max_length=16,
        blank=True,
        validators=[validate_tax_code],
        help_text=_("Solo se l'ente è iscritto agli elenchi del 5 per mille."),
    )
    is_published = models.BooleanField(_("pubblicata"), default=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campagna")
        verbose_name_plural = _("campagne")
        ordering = ["-starts_on"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Campaign, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("engagement:campaign", args=[self.slug])

    def story_html(self):
        return mark_safe(render_markdown(self.story))  # noqa: S308 - sanitised by nh3

    @property
    def is_open(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)

    def totals(self) -> dict:
        """Received, promised and not yet received, supporters, percentages of the goal."""
        received = self.donations.aggregate(total=Sum("amount"))["total"] or Decimal(0)
        pending = self.pledges.filter(status=Pledge.Status.OPEN, kind=Pledge.Kind.MONEY).aggregate(
            total=Sum("amount")
        )["total"] or Decimal(0)
        supporters = (
            self.pledges.exclude(status=Pledge.Status.CANCELLED).count()
            + self.donations.filter(pledge__isnull=True).count()
        )

        def percent(value):
            return min(100, int(value * 100 / self.goal)) if self.goal else 0

        return {
            "received": received,
            "pending": pending,
            "supporters": supporters,
            "received_percent": percent(received),
            "pending_percent": min(100 - percent(received), percent(pending)),
        }

    def public_names(self) -> list[str]:
        names = set(
            self.pledges.filter(show_name=True)
            .exclude(status=Pledge.Status.CANCELLED)
            .values_list("name", flat=True)
        ) | set(self.donations.filter(show_name=True).values_list("donor_name", flat=True))
        return sorted(names)


class PledgeQuerySet(PersonalDataQuerySet):
    permission = "engagement.view_pledge"


class Pledge(SubmittedOnce, TimeStampedModel):
    """A supporter's promise: an amount, or goods, a space or professional time."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Un contributo in denaro")
        GOODS = "goods", _("Beni o materiali")
        SPACE = "space", _("Uno spazio")
        TIME = "time", _("Tempo professionale")

    class Status(models.TextChoices):
        OPEN = "open", _("Promessa")
        FULFILLED = "fulfilled", _("Ricevuta")
        CANCELLED = "cancelled", _("Annullata")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="pledges", verbose_name=_("campagna")
    )
    kind = models.CharField(_("che cosa offri"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(
        _("importo (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
    )
    description = models.TextField(_("descrivi che cosa offri"), blank=True)
    name = models.CharField(_("nome e cognome o ragione sociale"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    show_name = models.BooleanField(
        _("il mio nome può comparire tra i sostenitori della campagna"), default=False
    )
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default="open")
    language = models.CharField(_("lingua"), max_length=10, default="it")

    objects = PledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("promessa di sostegno")
        verbose_name_plural = _("promesse di sostegno")
        ordering = ["-created_at"]

    def __str__(self):
        what = f"{self.amount} €" if self.amount else self.get_kind_display()
        return f"{self.name} – {what}"


class DonationQuerySet(PersonalDataQuerySet):
    permission = "engagement.view_donation"


class Donation(TimeStampedModel):
    """Money that arrived, recorded by staff; each has a numbered receipt."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bonifico")
        CASH = "cash", _("Contanti")
        POSTAL = "postal", _("Bollettino postale")
        OTHER = "other", _("Altro")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="donations", verbose_name=_("campagna")
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("ente che rilascia la ricevuta"),
    )
    pledge = models.ForeignKey(
        Pledge,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("promessa collegata"),
    )
    amount = models.DecimalField(
        _("importo (EUR)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(ONE_CENT)],
    )
    received_on = models.DateField(_("ricevuta il"), default=timezone.localdate)
    method = models.CharField(_("modalità"), max_length=10, choices=Method.choices)
    donor_name = models.CharField(_("donatore"), max_length=200)
    donor_tax_code = models.CharField(
        _("codice fiscale del donatore"), max_length=16, blank=True, validators=[validate_tax_code]
    )
    donor_address = models.CharField(_("indirizzo del donatore"), max_length=250, blank=True)
    donor_email = models.EmailField(_("e-mail del donatore"), blank=True)
    show_name = models.BooleanField(_("il nome può comparire tra i sostenitori"), default=False)
    receipt_year = models.PositiveSmallIntegerField(_("anno della ricevuta"), editable=False)
    receipt_number = models.PositiveIntegerField(_("numero della ricevuta"), editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("registrata da"),
    )

    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donazione ricevuta")
        verbose_name_plural = _("donazioni ricevute")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "receipt_year", "receipt_number"],
                name="unique_receipt_number",
            )
        ]

    def __str__(self):
        return f"{self.receipt} – {self.donor_name}"

    @property
    def receipt(self) -> str:
        return f"{self.receipt_number}/{self.receipt_year}"

    def save(self, *args, **kwargs):
        if self.receipt_number:
            return super().save(*args, **kwargs)
        # Receipts are numbered per issuing organisation and year, without gaps: the
        # organisation's row is locked while the next number is taken.
        with transaction.atomic():
            self.organization_id = self.campaign.organization_id
            list(Organization.objects.select_for_update().filter(pk=self.organization_id))
            self.receipt_year = self.received_on.year
            last = Donation.objects.filter(
                organization_id=self.organization_id, receipt_year=self.receipt_year
            ).aggregate(n=models.Max("receipt_number"))["n"]
            self.receipt_number = (last or 0) + 1
            super().save(*args, **kwargs)
