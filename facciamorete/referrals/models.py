"""From need to answer: help desks, requests for help, households, referrals, consent, unmet needs.

Personal data lives in HelpRequest, Household, Referral (with its events) and Consent. Who may see
a row is decided in one place per model, `visible_to(user)`: the person, the desk that took the
request, the organisations it was referred to with the person's consent (while it stands), and
network admins. District coordinators see aggregates only (`summary.py`), never these rows.
"""

import secrets

import phonenumbers
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facciamorete.core.models import TimeStampedModel
from facciamorete.core.submissions import SubmittedOnce
from facciamorete.core.validators import normalize_phone
from facciamorete.organizations.models import unique_slug

# Letters and digits that cannot be mistaken for one another when read aloud or copied by hand:
# no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 8


def new_reference_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalize_code(value: str) -> str:
    raw = "".join(c for c in value.upper() if c.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == CODE_LENGTH else raw


def is_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_superuser


def is_staff_member(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


# Desks -------------------------------------------------------------------------------------------


class DeskQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_active=True)

    def operated_by(self, user):
        if is_admin(user):
            return self
        if not is_staff_member(user):
            return self.none()
        return self.filter(operators=user)

    def serving(self, municipality):
        return self.published().filter(municipalities=municipality)


class Desk(TimeStampedModel):
    """A help desk (sportello): a place where operators take requests on a person's behalf."""

    class Kind(models.TextChoices):
        CITIZEN_OBSERVATORY = "osservatorio", _("Osservatorio del Cittadino")
        IMMIGRATION_FORUM = "forum_immigrazione", _("Forum Immigrazione")
        OTHER = "altro", _("Altro sportello")

    name = models.CharField(_("nome"), max_length=200)
    slug = models.SlugField(_("indirizzo"), max_length=120, unique=True, blank=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField(_("descrizione"), blank=True)
    address = models.CharField(_("indirizzo"), max_length=250)
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="desks_located",
        verbose_name=_("comune della sede"),
    )
    hours = models.TextField(_("orari"), help_text=_("Per esempio: lunedì e giovedì 9–12."))
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    email = models.EmailField(
        _("e-mail"), blank=True, help_text=_("Qui arrivano gli avvisi delle nuove richieste.")
    )
    municipalities = models.ManyToManyField(
        "territory.Municipality",
        related_name="desks",
        verbose_name=_("comuni serviti"),
        help_text=_("Le richieste da questi comuni arrivano a questo sportello."),
    )
    languages = models.ManyToManyField(
        "directory.Language", blank=True, related_name="desks", verbose_name=_("lingue parlate")
    )
    operators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="desks",
        verbose_name=_("operatori"),
    )
    is_active = models.BooleanField(_("attivo"), default=True)

    objects = DeskQuerySet.as_manager()

    class Meta:
        verbose_name = _("sportello")
        verbose_name_plural = _("sportelli")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("referrals:desk_detail", args=[self.slug])

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Desk, self.name)
        super().save(*args, **kwargs)


# Requests for help -------------------------------------------------------------------------------


def consented_to_organization(organization_ref):
    """A standing consent to share the outer request with the organisation `organization_ref`."""
    return Exists(
        Consent.objects.filter(
            help_request=OuterRef("help_request"),
            purpose=Consent.Purpose.REFERRAL,
            organization=organization_ref,
            revoked_at__isnull=True,
        )
    )


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, user, *, code: str = "", contact: str = ""):
        """The requests `user` may see; an anonymous person proves theirs by code + contact."""
        if is_admin(user):
            return self
        allowed = Q(pk__in=[])
        if user.is_authenticated and user.is_active:
            allowed |= Q(person=user)
            if user.is_staff:
                allowed |= Q(desk__operators=user)
                referred = Referral.objects.visible_to_organizations_of(user)
                allowed |= Q(pk__in=referred.values("help_request"))
        if code and contact:
            allowed |= Q(code=normalize_code(code)) & contact_matches(contact)
        return self.filter(allowed).distinct()

    def probable_duplicates(self, *, name: str, birth_date, municipality):
        if not (name.strip() and birth_date and municipality):
            return self.none()
        return self.filter(
            name__iexact=name.strip(), birth_date=birth_date, municipality=municipality
        ).exclude(status=HelpRequest.Status.WITHDRAWN)


def contact_matches(contact: str) -> Q:
    contact = contact.strip()
    if "@" in contact:
        return Q(email__iexact=contact)
    try:
        phone = normalize_phone(contact)
    except phonenumbers.NumberParseException:  # not a phone number: matches nothing
        return Q(pk__in=[])
    return Q(phone=phone)


class ContactChannel(models.TextChoices):
    PHONE = "phone", _("Telefono")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    NONE = "none", _("Non contattatemi: passo io allo sportello")


class HelpRequest(SubmittedOnce, TimeStampedModel):
    class Status(models.TextChoices):
        NEW = "new", _("Ricevuta")
        IN_PROGRESS = "in_progress", _("In lavorazione")
        CLOSED = "closed", _("Chiusa")
        WITHDRAWN = "withdrawn", _("Ritirata dalla persona")

    code = models.CharField(
        _("codice"), max_length=9, unique=True, default=new_reference_code, editable=False
    )
    description = models.TextField(_("di che cosa hai bisogno"))
    areas = models.ManyToManyField(
        "core.TaxonomyTerm",
        blank=True,
        related_name="help_requests",
        limit_choices_to={"taxonomy__slug": "aree-utenza"},
        verbose_name=_("aree del bisogno"),
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="help_requests",
        verbose_name=_("comune"),
    )
    preferred_language = models.ForeignKey(
        "directory.Language",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lingua preferita"),
    )
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("servizio scelto dalla persona"),
    )
    name = models.CharField(_("nome e cognome"), max_length=150, blank=True)
    birth_date = models.DateField(_("data di nascita"), null=True, blank=True)
    contact_channel = models.CharField(
        _("come preferisci essere contattato"), max_length=10, choices=ContactChannel.choices
    )
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    consent_version = models.CharField(_("versione dell'informativa accettata"), max_length=20)
    desk = models.ForeignKey(
        Desk,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("sportello"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("account della persona"),
    )
    taken_on_behalf = models.BooleanField(_("raccolta dallo sportello per conto della persona"))
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("raccolta da"),
    )
    household = models.ForeignKey(
        "Household",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
        verbose_name=_("nucleo familiare"),
    )
    status = models.CharField(_("stato"), max_length=12, choices=Status.choices, default=Status.NEW)
    anonymised_at = models.DateTimeField(_("anonimizzata il"), null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("richiesta di aiuto")
        verbose_name_plural = _("richieste di aiuto")
        ordering = ["-created_at"]

    def __str__(self):
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in {self.Status.NEW, self.Status.IN_PROGRESS}


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The desk that recorded it and the person; receiving organisations never see it."""
        if is_admin(user):
            return self
        if not (user.is_authenticated and user.is_active):
            return self.none()
        allowed = Q(help_requests__person=user)
        if user.is_staff:
            allowed |= Q(desk__operators=user)
        return self.filter(allowed).distinct()


class Household(TimeStampedModel):
    """The minimum a desk needs about the people living with the person."""

    desk = models.ForeignKey(
        Desk, on_delete=models.PROTECT, related_name="households", verbose_name=_("sportello")
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("nucleo familiare")
        verbose_name_plural = _("nuclei familiari")

    def __str__(self):
        return _("Nucleo n. %(pk)s") % {"pk": self.pk}


class HouseholdMember(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("nucleo")
    )
    first_name = models.CharField(_("nome"), max_length=80)
    birth_year = models.PositiveSmallIntegerField(_("anno di nascita"))

    class Meta:
        verbose_name = _("componente del nucleo")
        verbose_name_plural = _("componenti del nucleo")
        ordering = ["birth_year"]

    def __str__(self):
        return f"{self.first_name} ({self.birth_year})"


# Referrals ---------------------------------------------------------------------------------------


class ReferralQuerySet(models.QuerySet):
    def visible_to_organizations_of(self, user):
        """Referrals to an organisation `user` operates, while the person's consent stands."""
        return self.filter(organization__operators__user=user).filter(
            consented_to_organization(OuterRef("organization"))
        )

    def visible_to(self, user):
        if is_admin(user):
            return self
        if not (user.is_authenticated and user.is_active):
            return self.none()
        allowed = Q(help_request__person=user)
        if user.is_staff:
            allowed |= Q(help_request__desk__operators=user)
            allowed |= Q(pk__in=self.model.objects.visible_to_organizations_of(user).values("pk"))
        return self.filter(allowed).distinct()

    def open(self):
        return self.exclude(status__in=Referral.FINAL_STATES)


class Referral(TimeStampedModel):
    class Status(models.TextChoices):
        SENT = "sent", _("Inviato")
        SEEN = "seen", _("Visto dall'ente")
        ACCEPTED = "accepted", _("Accettato")
        DECLINED = "declined", _("Non accettato")
        IN_PROGRESS = "in_progress", _("In corso")
        CLOSED = "closed", _("Concluso")
        CANCELLED = "cancelled", _("Annullato")

    class DeclineReason(models.TextChoices):
        NO_CAPACITY = "no_capacity", _("Nessun posto disponibile")
        NOT_ELIGIBLE = "not_eligible", _("La persona non ha i requisiti")
        OUTSIDE_AREA = "outside_area", _("Fuori dalla zona servita")
        MISSING_DOCUMENTS = "missing_documents", _("Mancano dei documenti")
        OTHER = "other", _("Altro (spiegare nella nota)")

    class Outcome(models.TextChoices):
        GOT_HELP = "got_help", _("La persona ha ricevuto aiuto")
        PARTLY = "partly", _("Aiuto in parte")
        COULD_NOT_HELP = "could_not_help", _("Non è stato possibile aiutare")
        NOT_INTERESTED = "not_interested", _("La persona non è più interessata")
        UNREACHABLE = "unreachable", _("Non è stato possibile contattare la persona")

    class PersonAnswer(models.TextChoices):
        YES = "yes", _("Sì, ho ricevuto aiuto")
        PARTLY = "partly", _("In parte")
        NO = "no", _("No, non ho ricevuto aiuto")

    FINAL_STATES = (Status.DECLINED, Status.CLOSED, Status.CANCELLED)
    # Which state may follow which; cancelling is the referring desk's, the rest the receiver's.
    TRANSITIONS = {
        Status.SENT: (Status.SEEN, Status.CANCELLED),
        Status.SEEN: (Status.ACCEPTED, Status.DECLINED, Status.CANCELLED),
        Status.ACCEPTED: (Status.IN_PROGRESS, Status.CANCELLED),
        Status.IN_PROGRESS: (Status.CLOSED, Status.CANCELLED),
    }
    RECEIVER_STATES = (
        Status.SEEN,
        Status.ACCEPTED,
        Status.DECLINED,
        Status.IN_PROGRESS,
        Status.CLOSED,
    )

    help_request = models.ForeignKey(
        HelpRequest,
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("richiesta"),
    )
    service = models.ForeignKey(
        "directory.Service",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("servizio"),
    )
    # The service's organisation when sent: who receives it, and whose consent it needs.
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="referrals",
        verbose_name=_("ente"),
    )
    note = models.TextField(_("nota per l'ente"), blank=True)
    status = models.CharField(
        _("stato"), max_length=12, choices=Status.choices, default=Status.SENT
    )
    decline_reason = models.CharField(
        _("motivo"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("nota sul motivo"), blank=True)
    outcome = models.CharField(_("esito"), max_length=20, choices=Outcome.choices, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("inviato da"),
    )
    # Optimistic concurrency: every change bumps it; a change made on a stale page is refused.
    version = models.PositiveIntegerField(_("versione"), default=1)
    # Reminders, each sent once: to the receiving organisation, then to the referring desk.
    org_reminded_at = models.DateTimeField(_("sollecito all'ente il"), null=True, blank=True)
    desk_reminded_at = models.DateTimeField(_("sollecito allo sportello il"), null=True, blank=True)
    # After closing: the person is asked whether they got help, and their answer.
    follow_up_sent_at = models.DateTimeField(
        _("domanda alla persona inviata il"), null=True, blank=True
    )
    person_answer = models.CharField(
        _("risposta della persona"), max_length=10, choices=PersonAnswer.choices, blank=True
    )
    person_answered_at = models.DateTimeField(_("risposta ricevuta il"), null=True, blank=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("invio")
        verbose_name_plural = _("invii")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.help_request.code} → {self.service}"

    def next_states(self) -> tuple[str, ...]:
        return self.TRANSITIONS.get(self.status, ())

    @property
    def is_open(self) -> bool:
        return self.status not in self.FINAL_STATES


class ReferralEvent(models.Model):
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="events", verbose_name=_("invio")
    )
    from_status = models.CharField(_("da"), max_length=12, blank=True)
    to_status = models.CharField(_("a"), max_length=12, choices=Referral.Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("chi"),
    )
    by_person = models.BooleanField(_("dalla persona stessa"), default=False)
    at = models.DateTimeField(_("quando"), default=timezone.now)
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        verbose_name = _("passaggio dell'invio")
        verbose_name_plural = _("passaggi dell'invio")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


# Consent -----------------------------------------------------------------------------------------


class ConsentQuerySet(models.QuerySet):
    def standing(self):
        return self.filter(revoked_at__isnull=True)

    def visible_to(self, user, **proof):
        return self.filter(help_request__in=HelpRequest.objects.visible_to(user, **proof))


class Consent(models.Model):
    """What the person agreed to, with the version of the text they were shown."""

    class Purpose(models.TextChoices):
        REQUEST = "request", _("Trattamento dei dati per gestire la richiesta")
        REFERRAL = "referral", _("Condivisione della richiesta con un ente")

    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="consents", verbose_name=_("richiesta")
    )
    purpose = models.CharField(_("finalità"), max_length=10, choices=Purpose.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("ente che riceve i dati"),
    )
    text_version = models.CharField(_("versione del testo"), max_length=20)
    shared = models.TextField(_("dati condivisi"), blank=True)
    given_at = models.DateTimeField(_("dato il"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registrato da"),
    )
    revoked_at = models.DateTimeField(_("revocato il"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revocato da"),
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consenso")
        verbose_name_plural = _("consensi")
        ordering = ["given_at"]

    def __str__(self):
        return f"{self.get_purpose_display()} – {self.organization or ''}"


# Unmet needs and the audit log -------------------------------------------------------------------


class UnmetNeedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """No names are ever recorded here, but the rows stay with their desk and the admins."""
        if is_admin(user):
            return self
        if not is_staff_member(user):
            return self.none()
        return self.filter(desk__operators=user)


class UnmetNeed(models.Model):
    """A need nothing in the catalogue answers (domanda inespressa): no names, ever."""

    desk = models.ForeignKey(
        Desk, on_delete=models.PROTECT, related_name="unmet_needs", verbose_name=_("sportello")
    )
    areas = models.ManyToManyField(
        "core.TaxonomyTerm",
        related_name="unmet_needs",
        limit_choices_to={"taxonomy__slug": "aree-utenza"},
        verbose_name=_("aree del bisogno"),
    )
    municipality = models.ForeignKey(
        "territory.Municipality",
        on_delete=models.PROTECT,
        related_name="unmet_needs",
        verbose_name=_("comune"),
    )
    audience = models.ForeignKey(
        "core.TaxonomyTerm",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"taxonomy__slug": "fasce-utenza"},
        verbose_name=_("fascia di utenza"),
    )
    note = models.TextField(
        _("nota"), help_text=_("Che cosa serviva e non c'è. Niente nomi né dati personali.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registrato da"),
    )
    created_at = models.DateTimeField(_("registrato il"), auto_now_add=True)

    objects = UnmetNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("bisogno senza risposta")
        verbose_name_plural = _("bisogni senza risposta")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.municipality} – {self.created_at:%d/%m/%Y}"


class AuditEntryQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if is_admin(user) else self.none()


class AuditEntry(models.Model):
    """One staff read or write of personal data. Never holds the data itself."""

    class Action(models.TextChoices):
        READ = "read", _("Lettura")
        LIST = "list", _("Lettura di un elenco")
        CREATE = "create", _("Creazione")
        UPDATE = "update", _("Modifica")
        REMIND = "remind", _("Sollecito")
        EXPORT = "export", _("Esportazione dei dati")
        ERASE = "erase", _("Cancellazione (anonimizzazione)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("chi"),
    )
    action = models.CharField(_("azione"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("tipo di oggetto"), max_length=60)
    object_id = models.CharField(_("oggetto"), max_length=200)
    detail = models.CharField(_("dettaglio"), max_length=250, blank=True)
    at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("voce del registro accessi")
        verbose_name_plural = _("registro degli accessi ai dati personali")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.user} {self.action} {self.object_type}"
