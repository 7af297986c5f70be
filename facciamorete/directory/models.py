"""The service catalogue, shaped after Open Referral HSDS 3.0 (same names where they fit)."""

import contextlib
import datetime as dt

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from facciamorete.core.models import TimeStampedModel, UUIDModel
from facciamorete.core.validators import (
    normalize_phone,
    validate_latitude_in_italy,
    validate_longitude_in_italy,
    validate_phone,
)
from facciamorete.organizations.models import unique_slug

from .schedules import WEEKDAY_CODES, ScheduleQuerySet


class Language(models.Model):
    """A language by its ISO 639-1 code, named in Italian and in itself."""

    code = models.CharField(_("codice ISO 639-1"), max_length=3, primary_key=True)
    name = models.CharField(_("nome"), max_length=60)
    native_name = models.CharField(_("nome nella lingua"), max_length=60)

    class Meta:
        verbose_name = _("lingua")
        verbose_name_plural = _("lingue")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CostClass(models.TextChoices):
    FREE = "free", _("Gratuito")
    COPAY = "copay", _("Compartecipazione in base all'ISEE")
    PAID = "paid", _("A pagamento")


class ServiceQuerySet(models.QuerySet):
    def published(self):
        """What a visitor sees: active services of active organisations."""
        return self.filter(
            status=Service.Status.ACTIVE,
            organization__status="active",
        )

    def editable_by(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(organization__operators__user=user).distinct()

    def open_at(self, moment: dt.datetime):
        open_ids = Schedule.objects.open_at(moment).values("service_id")
        return self.filter(id__in=open_ids)

    def in_municipality(self, municipality):
        """Services offered in a comune: by their service area or by where they are."""
        return self.filter(
            Q(service_area_municipalities=municipality)
            | Q(service_area_districts__municipalities=municipality)
            | Q(locations__municipality=municipality)
        ).distinct()


class Service(UUIDModel, TimeStampedModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Attivo")
        INACTIVE = "inactive", _("Non attivo")
        DEFUNCT = "defunct", _("Cessato")
        TEMPORARILY_CLOSED = "temporarily closed", _("Temporaneamente chiuso")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="services",
        verbose_name=_("ente"),
    )
    name = models.CharField(_("nome"), max_length=250)
    slug = models.SlugField(_("indirizzo"), max_length=120, unique=True, blank=True)
    alternate_name = models.CharField(_("nome alternativo"), max_length=250, blank=True)
    description = models.TextField(_("descrizione"))
    url = models.URLField(_("pagina web"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(
        _("stato"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    families = models.ManyToManyField(
        "core.TaxonomyTerm",
        related_name="services_in_family",
        limit_choices_to={"taxonomy__slug": "famiglie"},
        verbose_name=_("famiglie"),
    )
    areas = models.ManyToManyField(
        "core.TaxonomyTerm",
        blank=True,
        related_name="services_in_area",
        limit_choices_to={"taxonomy__slug": "aree-utenza"},
        verbose_name=_("aree di utenza"),
    )
    audiences = models.ManyToManyField(
        "core.TaxonomyTerm",
        blank=True,
        related_name="services_for_audience",
        limit_choices_to={"taxonomy__slug": "fasce-utenza"},
        verbose_name=_("fasce di utenza"),
    )
    # Eligibility
    eligibility_description = models.TextField(_("chi può accedere"), blank=True)
    minimum_age = models.PositiveSmallIntegerField(
        _("età minima"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    maximum_age = models.PositiveSmallIntegerField(
        _("età massima"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    # How to access
    application_process = models.TextField(_("come accedere"))
    wait_time = models.CharField(_("tempi di attesa"), max_length=250, blank=True)
    # Cost
    cost_class = models.CharField(
        _("costo"), max_length=5, choices=CostClass.choices, default=CostClass.FREE
    )
    cost_amount = models.DecimalField(
        _("importo in euro"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    cost_description = models.TextField(_("dettagli sul costo"), blank=True)
    languages = models.ManyToManyField(
        Language, blank=True, related_name="services", verbose_name=_("lingue parlate")
    )
    accessibility_description = models.TextField(_("accessibilità"), blank=True)
    service_area_municipalities = models.ManyToManyField(
        "territory.Municipality",
        blank=True,
        related_name="services_in_area",
        verbose_name=_("comuni serviti"),
    )
    service_area_districts = models.ManyToManyField(
        "territory.District",
        blank=True,
        related_name="services_in_area",
        verbose_name=_("distretti serviti"),
    )
    assured_date = models.DateField(_("ultima verifica"), null=True, blank=True)
    assured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verificato da"),
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = _("servizio")
        verbose_name_plural = _("servizi")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("directory:service_detail", args=[self.slug])

    def clean(self):
        errors = {}
        if (
            self.minimum_age is not None
            and self.maximum_age is not None
            and self.maximum_age < self.minimum_age
        ):
            errors["maximum_age"] = _("L'età massima non può essere inferiore all'età minima.")
        if self.cost_class == CostClass.PAID and not self.cost_amount:
            errors["cost_amount"] = _("Per un servizio a pagamento indica l'importo in euro.")
        if self.cost_class == CostClass.FREE and self.cost_amount:
            errors["cost_amount"] = _("Un servizio gratuito non ha un importo: lascia vuoto.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Service, self.name)
        super().save(*args, **kwargs)

    def is_open_at(self, moment: dt.datetime) -> bool:
        return self.schedules.open_at(moment).exists()

    @property
    def age_range(self) -> str:
        low, high = self.minimum_age, self.maximum_age
        if low is not None and high is not None:
            return _("da %(low)s a %(high)s anni") % {"low": low, "high": high}
        if low is not None:
            return _("da %(low)s anni") % {"low": low}
        if high is not None:
            return _("fino a %(high)s anni") % {"high": high}
        return ""


class Location(UUIDModel, TimeStampedModel):
    class Type(models.TextChoices):
        PHYSICAL = "physical", _("Sede fisica")
        VIRTUAL = "virtual", _("Online")
        POSTAL = "postal", _("Solo recapito postale")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="locations",
        verbose_name=_("ente"),
    )
    location_type = models.CharField(
        _("tipo"), max_length=10, choices=Type.choices, default=Type.PHYSICAL
    )
    name = models.CharField(_("nome della sede"), max_length=250)
    description = models.TextField(_("descrizione"), blank=True)
    address_1 = models.CharField(_("indirizzo"), max_length=250, blank=True)
    address_2 = models.CharField(_("presso, scala, piano"), max_length=250, blank=True)
    postal_code = models.CharField(_("CAP"), max_length=5, blank=True)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("comune"),
    )
    latitude = models.DecimalField(
        _("latitudine"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_latitude_in_italy],
    )
    longitude = models.DecimalField(
        _("longitudine"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[validate_longitude_in_italy],
    )
    transportation = models.CharField(_("come arrivare"), max_length=400, blank=True)
    wheelchair_accessible = models.BooleanField(_("accessibile in sedia a rotelle"), default=False)
    accessibility_description = models.TextField(_("accessibilità"), blank=True)
    url = models.URLField(_("indirizzo web (per sedi online)"), blank=True)

    class Meta:
        verbose_name = _("sede")
        verbose_name_plural = _("sedi")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} – {self.municipality}" if self.municipality_id else self.name

    def clean(self):
        errors = {}
        if self.location_type == self.Type.PHYSICAL:
            if not self.address_1:
                errors["address_1"] = _("Una sede fisica ha bisogno di un indirizzo.")
            if not self.municipality_id:
                errors["municipality"] = _("Indica il comune della sede.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude" if self.longitude is None else "latitude"] = _(
                "Indica sia la latitudine sia la longitudine, oppure nessuna delle due."
            )
        if self.postal_code and not (len(self.postal_code) == 5 and self.postal_code.isdigit()):
            errors["postal_code"] = _("Il CAP è fatto di 5 cifre.")
        if errors:
            raise ValidationError(errors)

    @property
    def full_address(self) -> str:
        parts = [self.address_1, self.address_2]
        town = " ".join(p for p in [self.postal_code, str(self.municipality or "")] if p)
        return ", ".join(p for p in [*parts, town] if p)

    def map_url(self) -> str:
        if self.latitude is None or self.longitude is None:
            return ""
        return settings.MAP_LINK_TEMPLATE.format(lat=self.latitude, lon=self.longitude)


class ServiceAtLocation(UUIDModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="service_at_locations"
    )
    description = models.TextField(_("note per questa sede"), blank=True)

    class Meta:
        verbose_name = _("servizio in sede")
        verbose_name_plural = _("sedi del servizio")
        constraints = [
            models.UniqueConstraint(fields=["service", "location"], name="unique_service_location")
        ]

    def __str__(self):
        return f"{self.service} @ {self.location}"

    def clean(self):
        if (
            self.service_id
            and self.location_id
            and self.location.organization_id != self.service.organization_id
        ):
            raise ValidationError(
                {"location": _("La sede deve appartenere allo stesso ente del servizio.")}
            )


Service.add_to_class(
    "locations",
    models.ManyToManyField(
        Location,
        through=ServiceAtLocation,
        related_name="services",
        blank=True,
        verbose_name=_("sedi"),
    ),
)


class Schedule(UUIDModel):
    """A weekly opening (HSDS `schedule`, freq WEEKLY): on the given days, from opens to closes.

    Several rows make a timetable ("Mon–Fri 9–13" and "Tue, Thu 15–18"); a `Closure` takes
    periods out ("closed in August"). A row that closes the next day runs past midnight.
    """

    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("servizio"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="schedules",
        verbose_name=_("sede"),
    )
    byday = models.CharField(
        _("giorni"),
        max_length=20,
        help_text=_("Codici dei giorni separati da virgola: MO,TU,WE,TH,FR,SA,SU."),
    )
    opens_at = models.TimeField(_("apre alle"))
    closes_at = models.TimeField(_("chiude alle"))
    closes_next_day = models.BooleanField(
        _("chiude dopo mezzanotte"),
        default=False,
        help_text=_("Per esempio un dormitorio aperto dalle 20 alle 8 del giorno dopo."),
    )
    open_on_holidays = models.BooleanField(_("aperto anche nei giorni festivi"), default=False)
    valid_from = models.DateField(_("valido dal"), null=True, blank=True)
    valid_to = models.DateField(_("valido fino al"), null=True, blank=True)
    description = models.CharField(_("nota"), max_length=250, blank=True)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        verbose_name = _("orario")
        verbose_name_plural = _("orari")
        ordering = ["opens_at"]

    def __str__(self):
        return f"{self.byday} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @property
    def days(self) -> list[str]:
        return [d for d in self.byday.split(",") if d]

    def clean(self):
        errors = {}
        days = [d.strip().upper() for d in self.byday.split(",") if d.strip()]
        wrong = [d for d in days if d not in WEEKDAY_CODES]
        if not days or wrong:
            errors["byday"] = _("Scegli almeno un giorno della settimana.")
        else:
            self.byday = ",".join(sorted(set(days), key=WEEKDAY_CODES.index))
        if self.opens_at and self.closes_at:
            if self.closes_at == self.opens_at:
                errors["closes_at"] = _("L'orario di chiusura coincide con quello di apertura.")
            elif self.closes_at < self.opens_at and not self.closes_next_day:
                errors["closes_at"] = _(
                    "L'orario di chiusura è prima di quello di apertura. Se il servizio chiude "
                    "dopo mezzanotte, spunta «chiude dopo mezzanotte»."
                )
            elif self.closes_at > self.opens_at and self.closes_next_day:
                errors["closes_next_day"] = _(
                    "Chiude dopo mezzanotte solo se l'orario di chiusura è prima di quello di "
                    "apertura (per esempio dalle 20:00 alle 08:00)."
                )
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("La data di fine validità precede quella di inizio.")
        if not self.service_id and not self.location_id:
            errors["service"] = _("Un orario appartiene a un servizio o a una sede.")
        if errors:
            raise ValidationError(errors)


class Closure(models.Model):
    """A period when a service is closed: once (dates) or every year (e.g. 1–31 August)."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="closures", verbose_name=_("servizio")
    )
    start_date = models.DateField(_("dal"))
    end_date = models.DateField(_("al"))
    every_year = models.BooleanField(_("ogni anno"), default=False)
    reason = models.CharField(_("motivo"), max_length=200, blank=True)
    # Month*100+day of start and end, so that a yearly closure can be matched in SQL.
    start_md = models.PositiveSmallIntegerField(editable=False, default=0)
    end_md = models.PositiveSmallIntegerField(editable=False, default=0)

    class Meta:
        verbose_name = _("chiusura")
        verbose_name_plural = _("chiusure")
        ordering = ["start_date"]

    def __str__(self):
        return self.reason or f"{self.start_date} – {self.end_date}"

    def save(self, *args, **kwargs):
        self.start_md = self.start_date.month * 100 + self.start_date.day
        self.end_md = self.end_date.month * 100 + self.end_date.day
        super().save(*args, **kwargs)

    def clean(self):
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La fine della chiusura precede l'inizio.")})


class Contact(UUIDModel):
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("servizio")
    )
    name = models.CharField(_("nome"), max_length=200, blank=True)
    title = models.CharField(_("ruolo"), max_length=200, blank=True)
    department = models.CharField(_("ufficio"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        verbose_name = _("referente")
        verbose_name_plural = _("referenti")

    def __str__(self):
        return self.name or self.title or self.department or str(_("Referente"))


class Phone(UUIDModel):
    class Type(models.TextChoices):
        VOICE = "voice", _("Telefono")
        CELL = "cell", _("Cellulare")
        TEXT = "text", _("SMS")
        FAX = "fax", _("Fax")
        VIDEO = "video", _("Videochiamata")
        TEXTPHONE = "textphone", _("Telefono per persone sorde (DTS)")

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="phones",
    )
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="phones"
    )
    number = models.CharField(_("numero"), max_length=30, validators=[validate_phone])
    extension = models.CharField(_("interno"), max_length=10, blank=True)
    type = models.CharField(_("tipo"), max_length=10, choices=Type.choices, default=Type.VOICE)
    description = models.CharField(_("nota"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("telefono")
        verbose_name_plural = _("telefoni")

    def __str__(self):
        return self.number

    def save(self, *args, **kwargs):
        with contextlib.suppress(phonenumbers.NumberParseException):
            self.number = normalize_phone(self.number)
        super().save(*args, **kwargs)

    @property
    def tel_uri(self) -> str:
        return "tel:" + "".join(ch for ch in self.number if ch.isdigit() or ch == "+")


class RequiredDocument(UUIDModel):
    service = models.ForeignKey(
        Service,
        on_delete=models.CASCADE,
        related_name="required_documents",
        verbose_name=_("servizio"),
    )
    document = models.CharField(_("documento"), max_length=300)
    uri = models.URLField(_("modulo o informazioni"), blank=True)

    class Meta:
        verbose_name = _("documento da portare")
        verbose_name_plural = _("documenti da portare")

    def __str__(self):
        return self.document
