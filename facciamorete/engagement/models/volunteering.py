"""Volunteers and professionals, the organisations' opportunities, interest on both sides, hours.

A volunteer's name and contacts are personal data: coordinators and network admins see them.
Organisations see a profile without name or contacts (`public_label`, skills, languages, comuni,
availability). When an organisation confirms a collaboration, the volunteer receives the
organisation's contacts and gets in touch: the volunteer decides what to share.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from facciamorete.core.models import TimeStampedModel, render_markdown
from facciamorete.core.submissions import SubmittedOnce
from facciamorete.organizations.models import unique_slug

from .base import PersonalDataQuerySet, new_access_token


class Weekday(models.TextChoices):
    MON = "mo", _("lunedì")
    TUE = "tu", _("martedì")
    WED = "we", _("mercoledì")
    THU = "th", _("giovedì")
    FRI = "fr", _("venerdì")
    SAT = "sa", _("sabato")
    SUN = "su", _("domenica")


class DayPart(models.TextChoices):
    MORNING = "morning", _("mattina")
    AFTERNOON = "afternoon", _("pomeriggio")
    EVENING = "evening", _("sera")


class Profession(models.TextChoices):
    SOCIAL_WORKER = "assistente_sociale", _("Assistente sociale")
    LAWYER = "avvocato", _("Avvocato/a")
    PSYCHOLOGIST = "psicologo", _("Psicologo/a")
    MEDIATOR = "mediatore", _("Mediatore/mediatrice culturale")
    TEACHER = "insegnante", _("Insegnante")
    EDUCATOR = "educatore", _("Educatore/educatrice")
    HEALTH = "sanitario", _("Medico/a, infermiere/a o altra professione sanitaria")
    OTHER = "altro", _("Altra professione")


def skill_words(text: str) -> set[str]:
    """The skills typed as a list ("italiano L2, guida, computer") as comparable words."""
    return {word.strip() for word in re.split(r"[,;\n]+", text.lower()) if word.strip()}


class VolunteerQuerySet(PersonalDataQuerySet):
    permission = "engagement.view_volunteer"

    def active(self):
        return self.filter(is_active=True)


class Volunteer(SubmittedOnce, TimeStampedModel):
    class Kind(models.TextChoices):
        VOLUNTEER = "volontario", _("Volontario/a")
        PROFESSIONAL = "professionista", _("Professionista")

    kind = models.CharField(_("come vuoi collaborare"), max_length=15, choices=Kind.choices)
    profession = models.CharField(
        _("professione"), max_length=20, choices=Profession.choices, blank=True
    )
    name = models.CharField(_("nome e cognome"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    skills = models.TextField(
        _("competenze"),
        help_text=_("Separate da virgole: per esempio guida, italiano L2, computer."),
    )
    languages = models.ManyToManyField(
        "directory.Language", blank=True, related_name="+", verbose_name=_("lingue che parli")
    )
    weekdays = models.JSONField(_("giorni in cui sei disponibile"), default=list)
    day_parts = models.JSONField(_("momenti della giornata"), default=list)
    municipalities = models.ManyToManyField(
        "territory.Municipality", related_name="+", verbose_name=_("comuni in cui puoi andare")
    )
    about = models.TextField(_("qualcosa di te"), blank=True)
    is_active = models.BooleanField(_("disponibile"), default=True)
    language = models.CharField(_("lingua"), max_length=10, default="it")
    access_token = models.CharField(
        max_length=40, unique=True, default=new_access_token, editable=False
    )

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volontario o professionista")
        verbose_name_plural = _("volontari e professionisti")
        ordering = ["-created_at"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("engagement:volunteer", args=[self.access_token])

    @property
    def public_label(self) -> str:
        """How an organisation sees a volunteer who has not come forward: no name, no contact."""
        role = self.get_profession_display() if self.profession else self.get_kind_display()
        return f"{role} n. {self.pk}"

    def availability_display(self) -> str:
        days, parts = dict(Weekday.choices), dict(DayPart.choices)
        return "{} · {}".format(
            ", ".join(str(days[d]) for d in self.weekdays if d in days),
            ", ".join(str(parts[p]) for p in self.day_parts if p in parts),
        )

    def clean(self):
        if self.kind == self.Kind.PROFESSIONAL and not self.profession:
            raise ValidationError({"profession": _("Indica la tua professione.")})


class OpportunityQuerySet(models.QuerySet):
    def published(self):
        today = timezone.localdate()
        return self.filter(is_published=True, organization__status="active").exclude(
            closes_on__lt=today
        )


class Opportunity(TimeStampedModel):
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="opportunities",
        verbose_name=_("ente"),
    )
    title = models.CharField(_("che cosa"), max_length=200)
    slug = models.SlugField(_("indirizzo"), max_length=120, unique=True, blank=True)
    description = models.TextField(_("descrizione"), help_text=_("Formato Markdown."))
    municipality = models.ForeignKey(
        "territory.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("dove")
    )
    when = models.CharField(
        _("quando"), max_length=200, help_text=_("Per esempio: il sabato mattina.")
    )
    weekdays = models.JSONField(_("giorni"), default=list, blank=True)
    day_parts = models.JSONField(_("momenti della giornata"), default=list, blank=True)
    skills_wanted = models.TextField(_("competenze cercate"), help_text=_("Separate da virgole."))
    languages = models.ManyToManyField(
        "directory.Language", blank=True, related_name="+", verbose_name=_("lingue utili")
    )
    closes_on = models.DateField(_("aperta fino al"), null=True, blank=True)
    is_published = models.BooleanField(_("pubblicata"), default=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunità di collaborazione")
        verbose_name_plural = _("opportunità di collaborazione")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Opportunity, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("engagement:opportunity", args=[self.slug])

    def description_html(self):
        return mark_safe(render_markdown(self.description))  # noqa: S308 - sanitised by nh3


class InterestQuerySet(models.QuerySet):
    def of_organizations(self, organizations):
        return self.filter(opportunity__organization__in=organizations)


class Interest(TimeStampedModel):
    """A volunteer and an opportunity that may go together; either side may start it."""

    class Status(models.TextChoices):
        OPEN = "open", _("In attesa")
        CONFIRMED = "confirmed", _("Confermata dall'ente")
        DECLINED = "declined", _("Non confermata")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="interests", verbose_name=_("volontario")
    )
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="interests",
        verbose_name=_("opportunità"),
    )
    volunteer_interested = models.BooleanField(_("interesse del volontario"), default=False)
    organization_interested = models.BooleanField(_("proposta dell'ente"), default=False)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices, default="open")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deciso da"),
    )

    objects = InterestQuerySet.as_manager()

    class Meta:
        verbose_name = _("incontro tra volontario e opportunità")
        verbose_name_plural = _("incontri tra volontari e opportunità")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "opportunity"], name="unique_interest")
        ]

    def __str__(self):
        return f"{self.volunteer.public_label} – {self.opportunity}"


class HoursLog(TimeStampedModel):
    """Hours a volunteer gave on a confirmed collaboration; the organisation confirms them."""

    interest = models.ForeignKey(
        Interest, on_delete=models.CASCADE, related_name="hours", verbose_name=_("collaborazione")
    )
    day = models.DateField(_("giorno"))
    hours = models.DecimalField(
        _("ore"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(24)],
    )
    note = models.CharField(_("che cosa hai fatto"), max_length=200, blank=True)
    confirmed = models.BooleanField(_("confermate dall'ente"), default=False)

    class Meta:
        verbose_name = _("ore di collaborazione")
        verbose_name_plural = _("ore di collaborazione")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day}: {self.hours}"

    def clean(self):
        if self.day and self.day > timezone.localdate():
            raise ValidationError({"day": _("Si registrano le ore già date, non quelle future.")})
