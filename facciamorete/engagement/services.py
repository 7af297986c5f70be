"""The workflows of joining the network, registering to events and volunteering.

Each function changes the rows, then asks for the e-mails it implies: they leave only once the
transaction commits (`enqueue_email`).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from facciamorete.core.roles import OPERATORS, ensure_groups
from facciamorete.core.tasks import enqueue_email
from facciamorete.organizations.models import Membership, Organization, OrganizationOperator

from .models import (
    Donation,
    Event,
    EventRegistration,
    HoursLog,
    Interest,
    JoinApplication,
    Opportunity,
    Pledge,
    Volunteer,
)

ORGANIZATION_FIELDS = (
    "name",
    "alternate_name",
    "kind",
    "tax_code",
    "runts_section",
    "runts_number",
    "municipality",
    "description",
    "website",
    "email",
    "pec",
)


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _application_email(application: JoinApplication, template: str, **extra) -> None:
    enqueue_email(
        to=application.contact_email,
        template=f"engagement/emails/{template}",
        context={
            "reference": application.reference,
            "name": application.name,
            "contact_name": application.contact_name,
            "message": application.review_message,
            "status_url": absolute(application.get_absolute_url()),
            **extra,
        },
        language=application.language,
    )


def coordinators_emails() -> list[str]:
    """Who reviews applications: network admins and anyone allowed to change them."""
    codename = "change_joinapplication"
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(is_superuser=True)
            | Q(user_permissions__codename=codename)
            | Q(groups__permissions__codename=codename)
        )
    )
    return sorted(set(users.values_list("email", flat=True)))


@transaction.atomic
def application_submitted(*, application: JoinApplication) -> None:
    """Tell the applicant their reference, and the coordinators that there is work to do."""
    _application_email(application, "application_received")
    review_url = absolute(reverse("admin:engagement_joinapplication_change", args=[application.pk]))
    for email in coordinators_emails():
        enqueue_email(
            to=email,
            template="engagement/emails/application_to_review",
            context={
                "reference": application.reference,
                "name": application.name,
                "review_url": review_url,
            },
        )


def _check_open(application: JoinApplication) -> None:
    if not application.is_open:
        raise ValidationError(
            _("La domanda %(reference)s è già stata decisa: %(status)s.")
            % {"reference": application.reference, "status": application.get_status_display()}
        )


def _decide(application: JoinApplication, *, status: str, reviewer, message: str) -> None:
    application.status = status
    application.review_message = message
    application.reviewed_by = reviewer
    application.reviewed_at = timezone.now()
    application.save()


@transaction.atomic
def application_request_info(*, application: JoinApplication, reviewer, message: str) -> None:
    """Ask the applicant for more: they answer by updating the application from their link."""
    _check_open(application)
    if not message.strip():
        raise ValidationError({"message": _("Scrivi che cosa serve al richiedente.")})
    _decide(
        application,
        status=JoinApplication.Status.NEEDS_INFO,
        reviewer=reviewer,
        message=message.strip(),
    )
    _application_email(application, "application_needs_info")


@transaction.atomic
def application_reject(*, application: JoinApplication, reviewer, message: str) -> None:
    _check_open(application)
    if not message.strip():
        raise ValidationError({"message": _("Scrivi il motivo: il richiedente lo riceverà.")})
    _decide(
        application,
        status=JoinApplication.Status.REJECTED,
        reviewer=reviewer,
        message=message.strip(),
    )
    _application_email(application, "application_rejected")


@transaction.atomic
def application_resubmit(*, application: JoinApplication) -> None:
    """The applicant has updated an application the coordinators asked more about."""
    if application.status != JoinApplication.Status.NEEDS_INFO:
        raise ValidationError(_("Questa domanda non attende integrazioni."))
    application.status = JoinApplication.Status.SUBMITTED
    application.save()
    application_submitted(application=application)


@transaction.atomic
def application_approve(*, application: JoinApplication, reviewer, message: str = ""):
    """Create the organisation, its membership and its operator, and invite the operator."""
    application = JoinApplication.objects.select_for_update().get(pk=application.pk)
    _check_open(application)
    organization = Organization(
        **{field: getattr(application, field) for field in ORGANIZATION_FIELDS},
        status=Organization.Status.ACTIVE,
    )
    try:
        organization.full_clean(exclude=["slug"])
    except ValidationError as error:
        raise ValidationError(
            _("L'ente non può essere creato: %(errors)s")
            % {"errors": "; ".join(m for ms in error.message_dict.values() for m in ms)}
        ) from error
    organization.save()
    Membership.objects.create(
        organization=organization, role=application.role, start_date=timezone.localdate()
    )
    user, created = _operator_account(application)
    OrganizationOperator.objects.create(
        organization=organization, user=user, role=OrganizationOperator.Role.ADMIN
    )
    application.organization = organization
    _decide(
        application,
        status=JoinApplication.Status.APPROVED,
        reviewer=reviewer,
        message=message.strip(),
    )
    extra = {
        "organization_url": absolute(organization.get_absolute_url()),
        "login_url": absolute(reverse("admin:login")),
    }
    if created or not user.has_usable_password():
        extra["password_url"] = absolute(
            reverse(
                "engagement:set_password",
                args=[
                    urlsafe_base64_encode(force_bytes(user.pk)),
                    default_token_generator.make_token(user),
                ],
            )
        )
    _application_email(application, "application_approved", **extra)
    return organization


def _operator_account(application: JoinApplication):
    User = get_user_model()
    email = application.contact_email.lower()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        first, _sep, last = application.contact_name.partition(" ")
        user = User.objects.create_user(
            email=email,
            first_name=first,
            last_name=last,
            preferred_language=application.language,
        )
        user.set_unusable_password()
    user.is_staff = True
    user.save()
    ensure_groups()
    user.groups.add(Group.objects.get(name=OPERATORS))
    return user, created


@transaction.atomic
def event_register(*, event: Event, registration: EventRegistration) -> EventRegistration:
    """Confirm a seat while there is one, else put the person on the waiting list."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.takes_registrations:
        raise ValidationError(_("Le iscrizioni a questo evento sono chiuse."))
    already = event.registrations.active().filter(email__iexact=registration.email)
    if already.exists():
        raise ValidationError(
            {"email": _("Con questo indirizzo c'è già un'iscrizione: controlla la tua e-mail.")}
        )
    registration.event = event
    registration.status = (
        EventRegistration.Status.CONFIRMED
        if event.seats_left() > 0
        else EventRegistration.Status.WAITING
    )
    registration.save()
    _registration_email(registration, "registration_received")
    return registration


@transaction.atomic
def registration_cancel(*, registration: EventRegistration) -> EventRegistration | None:
    """Cancel; a freed seat goes to the first person waiting, who is told. Returns them."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration.refresh_from_db()
    if registration.status == EventRegistration.Status.CANCELLED:
        return None
    freed = registration.status == EventRegistration.Status.CONFIRMED
    registration.status = EventRegistration.Status.CANCELLED
    registration.save()
    if not freed or event.seats_left() == 0:
        return None
    promoted = (
        event.registrations.filter(status=EventRegistration.Status.WAITING)
        .order_by("created_at", "pk")
        .first()
    )
    if promoted:
        promoted.status = EventRegistration.Status.CONFIRMED
        promoted.save()
        _registration_email(promoted, "registration_promoted")
    return promoted


def _registration_email(registration: EventRegistration, template: str) -> None:
    event = registration.event
    enqueue_email(
        to=registration.email,
        template=f"engagement/emails/{template}",
        context={
            "name": registration.name,
            "confirmed": registration.status == EventRegistration.Status.CONFIRMED,
            "event_title": event.title,
            "event_when": timezone.localtime(event.starts_at).strftime("%d/%m/%Y %H:%M"),
            "event_place": ", ".join(p for p in [event.place, event.address] if p),
            "event_url": absolute(event.get_absolute_url()),
            "registration_url": absolute(registration.get_absolute_url()),
        },
        language=registration.language,
    )


# Volunteers and opportunities ------------------------------------------------------------------


def _volunteer_email(volunteer: Volunteer, template: str, **context) -> None:
    enqueue_email(
        to=volunteer.email,
        template=f"engagement/emails/{template}",
        context={
            "name": volunteer.name,
            "profile_url": absolute(volunteer.get_absolute_url()),
            **context,
        },
        language=volunteer.language,
    )


def _organization_emails(organization) -> list[str]:
    emails = {organization.email} if organization.email else set()
    emails |= set(organization.operators.values_list("user__email", flat=True))
    return sorted(e for e in emails if e)


def _opportunity_admin_url(opportunity: Opportunity) -> str:
    return absolute(reverse("admin:engagement_opportunity_change", args=[opportunity.pk]))


@transaction.atomic
def volunteer_signed_up(*, volunteer: Volunteer) -> None:
    _volunteer_email(volunteer, "volunteer_welcome")


@transaction.atomic
def interest_from_volunteer(*, volunteer: Volunteer, opportunity: Opportunity) -> Interest:
    """The volunteer would like to take part; the organisation is told and decides."""
    if not volunteer.is_active:
        raise ValidationError(_("Il tuo profilo è sospeso: riattivalo per proporti."))
    interest, _created = Interest.objects.get_or_create(
        volunteer=volunteer, opportunity=opportunity
    )
    if interest.volunteer_interested:
        return interest
    interest.volunteer_interested = True
    interest.save()
    for email in _organization_emails(opportunity.organization):
        enqueue_email(
            to=email,
            template="engagement/emails/interest_to_organization",
            context={
                "volunteer": volunteer.public_label,
                "opportunity": opportunity.title,
                "review_url": _opportunity_admin_url(opportunity),
            },
        )
    return interest


@transaction.atomic
def interest_from_organization(*, opportunity: Opportunity, volunteer: Volunteer) -> Interest:
    """The organisation proposes its opportunity to a matching volunteer, who is told."""
    interest, _created = Interest.objects.get_or_create(
        volunteer=volunteer, opportunity=opportunity
    )
    if interest.organization_interested:
        return interest
    interest.organization_interested = True
    interest.save()
    _volunteer_email(
        volunteer,
        "interest_to_volunteer",
        organization=opportunity.organization.name,
        opportunity=opportunity.title,
    )
    return interest


@transaction.atomic
def interest_decide(*, interest: Interest, user, confirm: bool) -> None:
    """The organisation confirms (the volunteer gets its contacts) or declines."""
    if interest.status != Interest.Status.OPEN:
        raise ValidationError(_("Questa collaborazione è già stata decisa."))
    if confirm and not interest.volunteer_interested:
        raise ValidationError(_("Si conferma una persona che ha detto di essere interessata."))
    interest.status = Interest.Status.CONFIRMED if confirm else Interest.Status.DECLINED
    interest.decided_by = user
    interest.save()
    organization = interest.opportunity.organization
    _volunteer_email(
        interest.volunteer,
        "interest_confirmed" if confirm else "interest_declined",
        organization=organization.name,
        opportunity=interest.opportunity.title,
        organization_email=organization.email,
        organization_url=absolute(organization.get_absolute_url()),
    )


@transaction.atomic
def hours_confirm(*, log: HoursLog, user) -> None:
    log.confirmed = True
    log.save()


# Campaigns --------------------------------------------------------------------------------------


@transaction.atomic
def pledge_made(*, pledge: Pledge) -> None:
    """Thank the supporter and tell them how to pay or how the help in kind will be arranged."""
    campaign = pledge.campaign
    enqueue_email(
        to=pledge.email,
        template="engagement/emails/pledge_received",
        context={
            "name": pledge.name,
            "campaign": campaign.title,
            "organization": campaign.organization.name,
            "money": pledge.kind == Pledge.Kind.MONEY,
            "amount": f"{pledge.amount:.2f}".replace(".", ",") if pledge.amount else "",
            "bank_details": campaign.bank_details,
            "five_per_mille_code": campaign.five_per_mille_code,
            "campaign_url": absolute(campaign.get_absolute_url()),
        },
        language=pledge.language,
    )
    for email in _organization_emails(campaign.organization):
        enqueue_email(
            to=email,
            template="engagement/emails/pledge_to_organization",
            context={
                "campaign": campaign.title,
                "kind": str(pledge.get_kind_display()),
                "amount": f"{pledge.amount:.2f}".replace(".", ",") if pledge.amount else "",
            },
        )


@transaction.atomic
def donation_recorded(*, donation: Donation) -> None:
    """A donation arrived: its pledge is fulfilled and the donor is thanked with the receipt."""
    if donation.pledge_id and donation.pledge.status == Pledge.Status.OPEN:
        donation.pledge.status = Pledge.Status.FULFILLED
        donation.pledge.save()
    email = donation.donor_email or (donation.pledge.email if donation.pledge_id else "")
    if email:
        enqueue_email(
            to=email,
            template="engagement/emails/donation_thanks",
            context={
                "name": donation.donor_name,
                "campaign": donation.campaign.title,
                "organization": donation.campaign.organization.name,
                "amount": f"{donation.amount:.2f}".replace(".", ","),
                "receipt": donation.receipt,
            },
            language=donation.pledge.language if donation.pledge_id else "",
        )
