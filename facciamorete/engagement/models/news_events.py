"""The network's news, its events and the people registered to them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from facciamorete.core.models import TimeStampedModel, UUIDModel, render_markdown
from facciamorete.core.submissions import SubmittedOnce
from facciamorete.organizations.models import unique_slug

from .base import PersonalDataQuerySet, new_access_token


class NewsQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__lte=timezone.now())


class NewsItem(TimeStampedModel):
    title = models.CharField(_("titolo"), max_length=200)
    slug = models.SlugField(_("indirizzo"), max_length=120, unique=True, blank=True)
    summary = models.CharField(_("sommario"), max_length=400)
    body = models.TextField(_("testo"), help_text=_("Formato Markdown."))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="news",
        verbose_name=_("ente"),
        help_text=_("Vuoto se la notizia è della rete."),
    )
    published_at = models.DateTimeField(_("pubblicata il"), default=timezone.now)
    is_published = models.BooleanField(_("pubblicata"), default=True)

    objects = NewsQuerySet.as_manager()

    class Meta:
        verbose_name = _("notizia")
        verbose_name_plural = _("notizie")
        ordering = ["-published_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(NewsItem, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("engagement:news_detail", args=[self.slug])

    def body_html(self):
        return mark_safe(render_markdown(self.body))  # noqa: S308 - sanitised by nh3


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self):
        return self.filter(Q(ends_at__gte=timezone.now()) | Q(starts_at__gte=timezone.now()))


class Event(UUIDModel, TimeStampedModel):
    title = models.CharField(_("titolo"), max_length=200)
    slug = models.SlugField(_("indirizzo"), max_length=120, unique=True, blank=True)
    summary = models.CharField(_("sommario"), max_length=400)
    description = models.TextField(_("descrizione"), help_text=_("Formato Markdown."))
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("organizzatore"),
        help_text=_("Vuoto se l'evento è organizzato dalla rete."),
    )
    place = models.CharField(_("luogo"), max_length=200)
    address = models.CharField(_("indirizzo del luogo"), max_length=250, blank=True)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("comune"),
    )
    starts_at = models.DateTimeField(_("inizio"))
    ends_at = models.DateTimeField(_("fine"), null=True, blank=True)
    seats = models.PositiveIntegerField(
        _("posti"),
        null=True,
        blank=True,
        help_text=_("Con un numero di posti ci si iscrive online; oltre, in lista d'attesa."),
    )
    is_published = models.BooleanField(_("pubblicato"), default=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")
        ordering = ["starts_at"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Event, self.title)
        super().save(*args, **kwargs)

    def clean(self):
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("La fine non può precedere l'inizio.")})

    def get_absolute_url(self):
        return reverse("engagement:event_detail", args=[self.slug])

    def description_html(self):
        return mark_safe(render_markdown(self.description))  # noqa: S308 - sanitised by nh3

    @property
    def organizer_name(self) -> str:
        return self.organization.name if self.organization else settings.SITE_NAME

    @property
    def takes_registrations(self) -> bool:
        return self.seats is not None and (self.ends_at or self.starts_at) >= timezone.now()

    def confirmed_count(self) -> int:
        return self.registrations.filter(status=EventRegistration.Status.CONFIRMED).count()

    def seats_left(self) -> int:
        return max(0, (self.seats or 0) - self.confirmed_count())


class EventRegistrationQuerySet(PersonalDataQuerySet):
    permission = "engagement.view_eventregistration"

    def active(self):
        return self.exclude(status=EventRegistration.Status.CANCELLED)


class EventRegistration(SubmittedOnce, TimeStampedModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confermata")
        WAITING = "waiting", _("In lista d'attesa")
        CANCELLED = "cancelled", _("Annullata")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("evento")
    )
    name = models.CharField(_("nome e cognome"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    status = models.CharField(_("stato"), max_length=10, choices=Status.choices)
    language = models.CharField(_("lingua"), max_length=10, default="it")
    access_token = models.CharField(
        max_length=40, unique=True, default=new_access_token, editable=False
    )

    objects = EventRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("iscrizione a un evento")
        verbose_name_plural = _("iscrizioni agli eventi")
        ordering = ["event", "created_at"]

    def __str__(self):
        return f"{self.name} – {self.event}"

    def get_absolute_url(self):
        return reverse("engagement:registration", args=[self.access_token])
