"""The workflows of requests and referrals: every state change, its event, audit entry and notices.

Pages call these functions and nothing else changes the rows. Each runs in one transaction and
raises ValidationError with a message for the person in front of the screen; notices leave only
after the transaction commits, and carry the reference code, never the personal data.
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from facciamorete.core.models import TaxonomyTerm
from facciamorete.core.submissions import create_once
from facciamorete.core.tasks import enqueue_email, render_plain
from facciamorete.directory.models import Service
from facciamorete.directory.schedules import is_holiday
from facciamorete.territory.models import Municipality

from .models import (
    AuditEntry,
    Consent,
    ContactChannel,
    Desk,
    HelpRequest,
    Household,
    HouseholdMember,
    Referral,
    ReferralEvent,
    UnmetNeed,
    is_admin,
)
from .notices import (
    PRIVACY_NOTICE_VERSION,
    SHARED_WITH_ORGANIZATION,
    SHARING_NOTICE_VERSION,
)
from .tasks import enqueue_sms

Status = Referral.Status


def audit(*, user, action: str, obj, detail: str = "") -> None:
    AuditEntry.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        action=action,
        object_type=obj._meta.label if hasattr(obj, "_meta") else str(obj),
        object_id=str(getattr(obj, "code", None) or getattr(obj, "pk", "")),
        detail=detail[:250],
    )


def desk_for(municipality: Municipality) -> Desk | None:
    """The desk responsible for a comune: the first active desk that lists it."""
    return Desk.objects.serving(municipality).order_by("pk").first()


def is_desk_operator(user, help_request: HelpRequest) -> bool:
    if is_admin(user):
        return True
    return bool(help_request.desk_id and help_request.desk.operators.filter(pk=user.pk).exists())


def is_receiver(user, referral: Referral) -> bool:
    if is_admin(user):
        return True
    return Referral.objects.visible_to_organizations_of(user).filter(pk=referral.pk).exists()


# Notices -----------------------------------------------------------------------------------------


def _language(help_request: HelpRequest) -> str:
    return help_request.preferred_language_id or ""


def notify_person(help_request: HelpRequest, template: str, context: dict) -> None:
    """By the channel the person chose; 'phone' and 'none' mean the desk calls or they come."""
    context = {"code": help_request.code, **context}
    if help_request.contact_channel == ContactChannel.EMAIL and help_request.email:
        enqueue_email(
            to=help_request.email,
            template=f"referrals/emails/{template}",
            context=context,
            language=_language(help_request),
        )
    elif help_request.contact_channel == ContactChannel.SMS and help_request.phone:
        from django.template.loader import render_to_string

        with translation.override(_language(help_request) or None):
            text = " ".join(
                render_to_string(f"referrals/emails/{template}_subject.txt", context).split()
            )
        enqueue_sms(to=help_request.phone, text=text)


def notify_desk(help_request: HelpRequest, template: str, context: dict) -> None:
    if help_request.desk_id and help_request.desk.email:
        enqueue_email(
            to=help_request.desk.email,
            template=f"referrals/emails/{template}",
            context={"code": help_request.code, **context},
        )


def notify_organization(referral: Referral, template: str, context: dict) -> None:
    to = referral.service.email or referral.organization.email
    if to:
        enqueue_email(
            to=to,
            template=f"referrals/emails/{template}",
            context={"service": referral.service.name, "referral_id": referral.pk, **context},
        )


# Requests ----------------------------------------------------------------------------------------


@transaction.atomic
def help_request_submit(
    *,
    token: uuid.UUID,
    fields: dict,
    areas: Iterable[TaxonomyTerm],
    members: Sequence[tuple[str, int]] = (),
    person=None,
    taken_by=None,
    desk: Desk | None = None,
) -> tuple[HelpRequest, bool]:
    """Record a request once per submission token; return (request, created)."""

    def create() -> HelpRequest:
        help_request = HelpRequest(
            **fields,
            submission_token=token,
            consent_version=PRIVACY_NOTICE_VERSION,
            person=person if person is not None and person.is_authenticated else None,
            taken_on_behalf=taken_by is not None,
            taken_by=taken_by,
            desk=desk or desk_for(fields["municipality"]),
        )
        if members and help_request.desk_id:
            household = Household.objects.create(desk=help_request.desk)
            HouseholdMember.objects.bulk_create(
                HouseholdMember(household=household, first_name=name, birth_year=year)
                for name, year in members
            )
            help_request.household = household
        help_request.save()
        help_request.areas.set(areas)
        Consent.objects.create(
            help_request=help_request,
            purpose=Consent.Purpose.REQUEST,
            text_version=PRIVACY_NOTICE_VERSION,
            recorded_by=taken_by,
        )
        if taken_by is not None:
            audit(user=taken_by, action=AuditEntry.Action.CREATE, obj=help_request)
        notify_person(help_request, "request_received", {})
        notify_desk(help_request, "desk_new_request", {})
        return help_request

    return create_once(HelpRequest, token, create)


@transaction.atomic
def help_request_withdraw(*, help_request: HelpRequest, user=None) -> HelpRequest:
    """The person withdraws: every open referral is cancelled and the desk is told."""
    help_request = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
    if not help_request.is_open:
        raise ValidationError(_("Questa richiesta è già chiusa o ritirata."))
    help_request.status = HelpRequest.Status.WITHDRAWN
    help_request.save(update_fields=["status", "updated_at"])
    for referral in help_request.referrals.open().select_related("service", "organization"):
        _move(referral, Status.CANCELLED, user=None, by_person=True, note=_("Richiesta ritirata"))
        notify_organization(referral, "org_referral_cancelled", {})
    notify_desk(help_request, "desk_request_withdrawn", {})
    return help_request


# Referrals ---------------------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *, help_request: HelpRequest, service: Service, by, consent_given: bool, note: str = ""
) -> Referral:
    """Send a request to one service, recording the person's consent for its organisation."""
    if not is_desk_operator(by, help_request):
        raise ValidationError(_("Solo lo sportello che ha raccolto la richiesta può inviarla."))
    if not help_request.is_open:
        raise ValidationError(_("La richiesta è chiusa o ritirata: non si può più inviare."))
    if not Service.objects.published().filter(pk=service.pk).exists():
        raise ValidationError({"service": _("Questo servizio non è attivo nel catalogo.")})
    if not consent_given:
        raise ValidationError(
            {
                "consent": _(
                    "Serve il consenso della persona a condividere la richiesta con %(org)s."
                )
                % {"org": service.organization}
            }
        )
    if help_request.referrals.open().filter(service=service).exists():
        raise ValidationError({"service": _("C'è già un invio aperto a questo servizio.")})
    organization = service.organization
    if not help_request.consents.standing().filter(organization=organization).exists():
        Consent.objects.create(
            help_request=help_request,
            purpose=Consent.Purpose.REFERRAL,
            organization=organization,
            text_version=SHARING_NOTICE_VERSION,
            shared=SHARED_WITH_ORGANIZATION,
            recorded_by=by,
        )
    referral = Referral.objects.create(
        help_request=help_request,
        service=service,
        organization=organization,
        note=note,
        created_by=by,
    )
    ReferralEvent.objects.create(referral=referral, to_status=Status.SENT, actor=by)
    if help_request.status == HelpRequest.Status.NEW:
        help_request.status = HelpRequest.Status.IN_PROGRESS
        help_request.save(update_fields=["status", "updated_at"])
    audit(user=by, action=AuditEntry.Action.CREATE, obj=referral, detail=str(service))
    notify_organization(referral, "org_new_referral", {})
    notify_person(help_request, "referral_update", {"service": service.name, "status": "sent"})
    return referral


def _transition_errors(referral: Referral, to: str, reason: str, note: str, outcome: str):
    if to not in referral.next_states():
        raise ValidationError(
            _("Un invio «%(current)s» non può diventare «%(next)s».")
            % {"current": referral.get_status_display(), "next": Status(to).label}
        )
    if to == Status.DECLINED:
        if not reason:
            raise ValidationError({"reason": _("Indica il motivo per cui non accettate l'invio.")})
        if reason == Referral.DeclineReason.OTHER and not note.strip():
            raise ValidationError({"note": _("Con «Altro» scrivi il motivo nella nota.")})
    if to == Status.CLOSED and not outcome:
        raise ValidationError({"outcome": _("Indica l'esito prima di concludere l'invio.")})


@transaction.atomic
def referral_transition(
    *,
    referral: Referral,
    to: str,
    by,
    version: int,
    reason: str = "",
    note: str = "",
    outcome: str = "",
) -> Referral:
    """Move a referral one step, refusing illegal steps and changes made on a stale page."""
    _transition_errors(referral, to, reason, note, outcome)
    if to == Status.CANCELLED:
        if not is_desk_operator(by, referral.help_request):
            raise ValidationError(_("Solo lo sportello che ha fatto l'invio può annullarlo."))
    elif not is_receiver(by, referral):
        raise ValidationError(_("Solo l'ente che ha ricevuto l'invio può cambiarne lo stato."))
    changes = {}
    if to == Status.DECLINED:
        changes = {"decline_reason": reason, "decline_note": note.strip()}
    elif to == Status.CLOSED:
        changes = {"outcome": outcome}
    _move(referral, to, user=by, expected_version=version, note=note.strip(), **changes)
    audit(user=by, action=AuditEntry.Action.UPDATE, obj=referral, detail=f"→ {to}")
    help_request = referral.help_request
    if to == Status.CLOSED and not help_request.referrals.open().exists():
        help_request.status = HelpRequest.Status.CLOSED
        help_request.save(update_fields=["status", "updated_at"])
    context = {"service": referral.service.name, "status": to}
    notify_person(help_request, "referral_update", context)
    notify_desk(help_request, "desk_referral_update", context)
    if to == Status.CLOSED:
        _ask_follow_up(referral)
    return referral


def _move(referral, to, *, user, expected_version=None, by_person=False, note="", **changes):
    """Change the state only if nobody else changed it since `expected_version` was read."""
    version = referral.version if expected_version is None else expected_version
    now = timezone.now()
    updated = Referral.objects.filter(pk=referral.pk, version=version).update(
        status=to, version=version + 1, updated_at=now, **changes
    )
    if not updated:
        current = Referral.objects.get(pk=referral.pk)
        last = current.events.select_related("actor").last()
        who = (last.actor if last and last.actor else None) or _("qualcun altro")
        raise ValidationError(
            _(
                "Nel frattempo %(who)s ha cambiato questo invio: ora è «%(status)s». "
                "Non abbiamo salvato la tua modifica: controlla lo stato attuale e riprova."
            )
            % {"who": who, "status": current.get_status_display()},
            code="stale",
        )
    ReferralEvent.objects.create(
        referral=referral,
        from_status=referral.status,
        to_status=to,
        actor=user,
        by_person=by_person,
        at=now,
        note=note,
    )
    referral.status, referral.version, referral.updated_at = to, version + 1, now
    for field, value in changes.items():
        setattr(referral, field, value)


@transaction.atomic
def consent_revoke(*, consent: Consent, user=None) -> Consent:
    """Revoke sharing with an organisation: it stops seeing the request, open referrals end."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at:
        raise ValidationError(_("Questo consenso è già stato revocato."))
    if consent.purpose != Consent.Purpose.REFERRAL:
        raise ValidationError(
            _("Il consenso a gestire la richiesta si ritira ritirando la richiesta.")
        )
    consent.revoked_at = timezone.now()
    consent.revoked_by = user if user is not None and user.is_authenticated else None
    consent.save(update_fields=["revoked_at", "revoked_by"])
    open_referrals = consent.help_request.referrals.open().filter(organization=consent.organization)
    for referral in open_referrals.select_related("service", "organization"):
        _move(
            referral,
            Status.CANCELLED,
            user=consent.revoked_by,
            by_person=consent.revoked_by is None,
            note=_("Consenso revocato"),
        )
        notify_organization(referral, "org_referral_cancelled", {})
    if consent.revoked_by is not None and consent.revoked_by.is_staff:
        audit(user=user, action=AuditEntry.Action.UPDATE, obj=consent.help_request, detail="revoca")
    notify_desk(consent.help_request, "desk_consent_revoked", {})
    return consent


# Unmet needs -------------------------------------------------------------------------------------


@transaction.atomic
def unmet_need_record(
    *,
    desk: Desk,
    areas: Iterable[TaxonomyTerm],
    municipality: Municipality,
    note: str,
    by,
    audience: TaxonomyTerm | None = None,
) -> UnmetNeed:
    if not Desk.objects.operated_by(by).filter(pk=desk.pk).exists():
        raise ValidationError({"desk": _("Puoi registrare bisogni solo per il tuo sportello.")})
    need = UnmetNeed.objects.create(
        desk=desk, municipality=municipality, audience=audience, note=note.strip(), recorded_by=by
    )
    need.areas.set(areas)
    return need


# Reminders ---------------------------------------------------------------------------------------

WAITING_STATES = (Status.SENT, Status.SEEN)  # not seen yet, or seen and not answered


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and not is_holiday(day)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_working_day(day)
    return count


def _waiting_since(referral: Referral) -> dt.datetime:
    """When the referral entered its current state: sent, or seen."""
    last = referral.events.filter(to_status=referral.status).order_by("-at").first()
    return last.at if last else referral.created_at


def _organization_addresses(referral: Referral) -> list[str]:
    """The receiving organisation's operators; its (or the service's) address if it has none."""
    emails = (
        referral.organization.operators.filter(user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .order_by("user__email")
    )
    found = list(dict.fromkeys(emails))
    fallback = referral.service.email or referral.organization.email
    return found or ([fallback] if fallback else [])


@transaction.atomic
def send_referral_reminders(*, today: dt.date | None = None) -> dict[str, int]:
    """Remind the organisation of referrals waiting N working days, then the desk after N more.

    N is REFERRAL_REMINDER_WORKING_DAYS. Each reminder goes once per referral (the time is kept on
    the referral), so running this more than once a day, or catching up after days off, is safe.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    days = settings.REFERRAL_REMINDER_WORKING_DAYS
    sent = {"organization": 0, "desk": 0}
    waiting = (
        Referral.objects.filter(status__in=WAITING_STATES)
        .filter(org_reminded_at__isnull=True)
        .select_related("service", "organization", "help_request")
        .select_for_update(of=("self",))
    )
    for referral in waiting:
        since = timezone.localdate(_waiting_since(referral))
        if working_days_between(since, today) < days:
            continue
        context = {
            "service": referral.service.name,
            "referral_id": referral.pk,
            "code": referral.help_request.code,
            "status": referral.status,
            "days": days,
        }
        for address in _organization_addresses(referral):
            enqueue_email(to=address, template="referrals/emails/org_reminder", context=context)
        Referral.objects.filter(pk=referral.pk).update(org_reminded_at=now)
        audit(user=None, action=AuditEntry.Action.REMIND, obj=referral, detail="ente")
        sent["organization"] += 1
    to_desk = (
        Referral.objects.filter(status__in=WAITING_STATES)
        .filter(org_reminded_at__isnull=False, desk_reminded_at__isnull=True)
        .select_related("service", "organization", "help_request__desk")
        .select_for_update(of=("self",))
    )
    for referral in to_desk:
        since = timezone.localdate(referral.org_reminded_at)
        if working_days_between(since, today) < days:
            continue
        desk = referral.help_request.desk
        if desk is not None and desk.email:
            enqueue_email(
                to=desk.email,
                template="referrals/emails/desk_reminder",
                context={
                    "service": referral.service.name,
                    "organization": referral.organization.name,
                    "code": referral.help_request.code,
                    "status": referral.status,
                },
            )
        Referral.objects.filter(pk=referral.pk).update(desk_reminded_at=now)
        audit(user=None, action=AuditEntry.Action.REMIND, obj=referral, detail="sportello")
        sent["desk"] += 1
    return sent


# The question after closing ----------------------------------------------------------------------

FOLLOW_UP_SALT = "facciamorete.referrals.follow-up"
FOLLOW_UP_MAX_AGE = dt.timedelta(days=90)


def follow_up_token(referral: Referral) -> str:
    return signing.dumps({"referral": referral.pk}, salt=FOLLOW_UP_SALT, compress=True)


def referral_for_follow_up(token: str) -> Referral | None:
    """The referral a signed link names; None if the link was altered, expired or is void."""
    try:
        data = signing.loads(token, salt=FOLLOW_UP_SALT, max_age=FOLLOW_UP_MAX_AGE)
    except signing.BadSignature:  # includes SignatureExpired
        return None
    return (
        Referral.objects.filter(
            pk=data.get("referral"),
            status=Status.CLOSED,
            help_request__anonymised_at__isnull=True,
        )
        .select_related("service", "help_request__preferred_language")
        .first()
    )


def _ask_follow_up(referral: Referral) -> None:
    """Ask the person, in their language and by their channel, whether they got help."""
    help_request = referral.help_request
    token = follow_up_token(referral)
    language = _language(help_request)
    context = {"code": help_request.code, "service": referral.service.name, "token": token}
    if help_request.contact_channel == ContactChannel.EMAIL and help_request.email:
        enqueue_email(
            to=help_request.email,
            template="referrals/emails/follow_up",
            context=context,
            language=language,
        )
    elif help_request.contact_channel == ContactChannel.SMS and help_request.phone:
        with translation.override(language or settings.LANGUAGE_CODE):
            link = settings.SITE_URL + reverse("referrals:follow_up", args=[token])
            text = render_plain("referrals/emails/follow_up_sms.txt", context | {"link": link})
            text = " ".join(text.split())
        enqueue_sms(to=help_request.phone, text=text)
    else:  # "phone" or "I'll come to the desk": the desk asks in person
        return
    Referral.objects.filter(pk=referral.pk).update(follow_up_sent_at=timezone.now())
    referral.follow_up_sent_at = timezone.now()


@transaction.atomic
def referral_record_answer(*, referral: Referral, answer: str) -> Referral:
    """The person's answer to 'did you get help?', given once through the signed link."""
    if answer not in Referral.PersonAnswer.values:
        raise ValidationError({"answer": _("Scegli una delle risposte.")})
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.person_answer:
        raise ValidationError(_("Abbiamo già ricevuto la tua risposta. Grazie."), code="answered")
    now = timezone.now()
    referral.person_answer, referral.person_answered_at = answer, now
    Referral.objects.filter(pk=referral.pk).update(person_answer=answer, person_answered_at=now)
    audit(user=None, action=AuditEntry.Action.UPDATE, obj=referral, detail="risposta persona")
    return referral


# Personal data: export, erasure, retention -------------------------------------------------------


def _require_admin(user) -> None:
    if user is None or not is_admin(user):
        raise PermissionDenied(_("Solo gli amministratori della rete possono farlo."))


def requests_of_person(help_request: HelpRequest):
    """The person's requests: all those of their account, or this one if they have none."""
    if help_request.person_id:
        return HelpRequest.objects.filter(person_id=help_request.person_id).order_by("created_at")
    return HelpRequest.objects.filter(pk=help_request.pk)


def _when(value) -> str | None:
    return value.isoformat() if value else None


def _request_data(hr: HelpRequest) -> dict:
    household = hr.household
    return {
        "code": hr.code,
        "created_at": _when(hr.created_at),
        "status": hr.status,
        "description": hr.description,
        "areas": sorted(hr.areas.values_list("name", flat=True)),
        "municipality": hr.municipality.name,
        "preferred_language": hr.preferred_language_id or "",
        "service": hr.service.name if hr.service_id else "",
        "name": hr.name,
        "birth_date": _when(hr.birth_date),
        "contact_channel": hr.contact_channel,
        "phone": hr.phone,
        "email": hr.email,
        "desk": hr.desk.name if hr.desk_id else "",
        "taken_on_behalf": hr.taken_on_behalf,
        "anonymised_at": _when(hr.anonymised_at),
        "household": [
            {"first_name": m.first_name, "birth_year": m.birth_year}
            for m in (household.members.all() if household else [])
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "organization": c.organization.name if c.organization_id else "",
                "text_version": c.text_version,
                "shared": c.shared,
                "given_at": _when(c.given_at),
                "revoked_at": _when(c.revoked_at),
            }
            for c in hr.consents.select_related("organization")
        ],
        "referrals": [
            {
                "service": r.service.name,
                "organization": r.organization.name,
                "status": r.status,
                "note": r.note,
                "decline_reason": r.decline_reason,
                "decline_note": r.decline_note,
                "outcome": r.outcome,
                "person_answer": r.person_answer,
                "created_at": _when(r.created_at),
                "events": [
                    {
                        "from": e.from_status,
                        "to": e.to_status,
                        "at": _when(e.at),
                        "by_person": e.by_person,
                        "note": e.note,
                    }
                    for e in r.events.all()
                ],
            }
            for r in hr.referrals.select_related("service", "organization").order_by("created_at")
        ],
    }


@transaction.atomic
def person_data_export(*, help_request: HelpRequest, by) -> dict:
    """Everything recorded about the person of `help_request`, as JSON-ready data (admins only)."""
    _require_admin(by)
    found = list(
        requests_of_person(help_request).select_related(
            "municipality", "desk", "service", "household"
        )
    )
    for hr in found:
        audit(user=by, action=AuditEntry.Action.EXPORT, obj=hr)
    return {
        "exported_at": timezone.now().isoformat(),
        "requests": [_request_data(hr) for hr in found],
    }


def _anonymise(hr: HelpRequest) -> None:
    """Clear what names or describes the person; keep comune, areas, states, dates and outcomes."""
    if hr.is_open:
        for referral in hr.referrals.open().select_related("service", "organization"):
            _move(referral, Status.CANCELLED, user=None, note="")
            notify_organization(referral, "org_referral_cancelled", {})
        hr.status = HelpRequest.Status.WITHDRAWN
    household = hr.household
    hr.description = ""
    hr.name = ""
    hr.birth_date = None
    hr.phone = ""
    hr.email = ""
    hr.contact_channel = ContactChannel.NONE
    hr.person = None
    hr.household = None
    hr.anonymised_at = timezone.now()
    hr.save()
    if household is not None:
        household.members.all().delete()
    Referral.objects.filter(help_request=hr).update(note="", decline_note="")
    ReferralEvent.objects.filter(referral__help_request=hr).update(note="")


@transaction.atomic
def help_request_erase(*, help_request: HelpRequest, by) -> list[HelpRequest]:
    """Erase the person's data (admins only): their requests are anonymised, figures stay right."""
    _require_admin(by)
    erased = []
    for hr in requests_of_person(help_request).select_for_update(of=("self",)):
        if hr.anonymised_at is None:
            _anonymise(hr)
            audit(user=by, action=AuditEntry.Action.ERASE, obj=hr)
            erased.append(hr)
    return erased


@transaction.atomic
def apply_retention(*, now: dt.datetime | None = None, days: int | None = None) -> int:
    """Anonymise closed or withdrawn requests untouched for REFERRAL_RETENTION_DAYS. Idempotent."""
    days = settings.REFERRAL_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    expired = HelpRequest.objects.filter(
        status__in=(HelpRequest.Status.CLOSED, HelpRequest.Status.WITHDRAWN),
        anonymised_at__isnull=True,
        updated_at__lt=cutoff,
    ).select_for_update()
    count = 0
    for hr in expired:
        _anonymise(hr)
        audit(user=None, action=AuditEntry.Action.ERASE, obj=hr, detail="conservazione")
        count += 1
    return count
