"""Factories for requests, desks and referrals, the cast of users of the access tests, and the
sample pages the invariant checks visit."""

import uuid

from facciamorete.directory.tests.factories import (
    ServiceFactory,
    UserFactory,
    municipality,
    operator_of,
    term,
)
from facciamorete.referrals import services
from facciamorete.referrals.models import Desk


def desk(name: str = "Osservatorio del Cittadino di Aprilia", comuni=("059001",), **extra) -> Desk:
    found = Desk.objects.filter(name=name).first()
    if found:
        return found
    made = Desk.objects.create(
        name=name,
        kind=extra.pop("kind", Desk.Kind.CITIZEN_OBSERVATORY),
        address="Piazza Roma 1",
        municipality=municipality(comuni[0]),
        hours="Lunedì e giovedì 9–12",
        email=extra.pop("email", "sportello@example.org"),
        **extra,
    )
    made.municipalities.set([municipality(code) for code in comuni])
    return made


def desk_operator_of(the_desk: Desk, email: str):
    user = UserFactory(email=email, is_staff=True)
    the_desk.operators.add(user)
    return user


def help_request(
    *,
    description: str = "Non riesco a pagare l'affitto questo mese.",
    comune: str = "059001",
    channel: str = "phone",
    phone: str = "+39 333 123 4567",
    email: str = "",
    name: str = "Amina Diallo",
    person=None,
    taken_by=None,
    the_desk: Desk | None = None,
    **fields,
):
    found, _created = services.help_request_submit(
        token=uuid.uuid4(),
        fields={
            "description": description,
            "municipality": municipality(comune),
            "contact_channel": channel,
            "phone": phone,
            "email": email,
            "name": name,
            **fields,
        },
        areas=[term("aree-utenza", "famiglia-minori")],
        person=person,
        taken_by=taken_by,
        desk=the_desk,
    )
    return found


def referral(help_request, service, by):
    return services.referral_create(
        help_request=help_request, service=service, by=by, consent_given=True
    )


def closed_referral(help_request_=None, service=None, operator=None, desk_operator=None):
    """A referral taken through every step to closed, by the receiving organisation."""
    if help_request_ is None:
        help_request_ = help_request(the_desk=desk())
    service = service or ServiceFactory()
    operator = operator or operator_of(service.organization, f"op.{uuid.uuid4().hex[:8]}@x.org")
    if desk_operator is None:
        desk_operator = desk_operator_of(help_request_.desk, f"d.{uuid.uuid4().hex[:8]}@x.org")
    made = referral(help_request_, service, desk_operator)
    for step in ("seen", "accepted", "in_progress", "closed"):
        made = services.referral_transition(
            referral=made, to=step, by=operator, version=made.version, outcome="got_help"
        )
    return made


def sample_arguments() -> dict[str, list]:
    """The public pages of this app that take arguments, for the invariant checks."""
    return {
        "referrals:desk_detail": [desk().slug],
        "referrals:follow_up": [services.follow_up_token(closed_referral())],
    }


__all__ = ["ServiceFactory", "operator_of"]
