"""The workflows of requests and referrals: every state change, its event, audit entry and notices.

Pages call these functions and nothing else changes the rows. Each runs in one transaction and
raises ValidationError with a message for the person in front of the screen; notices leave only
after the transaction commits, and carry the reference code, never the personal data.
"""

import uuid
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from facciamorete.core.models import TaxonomyTerm
from facciamorete.core.submissions import create_once
from facciamorete.core.tasks import enqueue_email
from facciamorete.directory.models import Service
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
