"""Factories for the engagement app, and the sample pages the invariant checks visit."""

import datetime as dt

import factory
from django.utils import timezone

from facciamorete.directory.tests.factories import OrganizationFactory, municipality
from facciamorete.engagement.models import (
    Campaign,
    Charter,
    Event,
    EventRegistration,
    JoinApplication,
    NewsItem,
    Opportunity,
    Volunteer,
)


def charter(version: str = "1.0") -> Charter:
    found, _ = Charter.objects.get_or_create(
        version=version,
        defaults={
            "text": "## Principi\n\nSolidarietà, reciprocità, bene comune.",
            "published_on": dt.date(2025, 1, 1),
        },
    )
    return found


class JoinApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JoinApplication

    role = "aderente"
    name = factory.Sequence(lambda n: f"Associazione Nuova {n}")
    kind = "aps"
    tax_code = "00000050013"
    municipality = factory.LazyFunction(municipality)
    description = "Doposcuola e ascolto per le famiglie."
    goals = factory.LazyFunction(lambda: ["coesione"])
    contact_name = "Maria Rossi"
    contact_email = factory.Sequence(lambda n: f"referente{n}@example.org")
    contact_phone = "333 1234567"
    charter = factory.LazyFunction(charter)
    charter_accepted_at = factory.LazyFunction(timezone.now)


class NewsItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsItem

    title = factory.Sequence(lambda n: f"Notizia {n}")
    summary = "Una novità dalla rete."
    body = "Il **testo** della notizia."
    published_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(hours=1))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Incontro {n}")
    summary = "Un incontro aperto a tutti."
    description = "Parliamo di welfare di comunità."
    place = "Sala consiliare"
    address = "Piazza Roma 1"
    municipality = factory.LazyFunction(municipality)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=2))


class EventRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRegistration

    event = factory.SubFactory(EventFactory, seats=10)
    name = "Luca Bianchi"
    email = factory.Sequence(lambda n: f"persona{n}@example.net")
    status = EventRegistration.Status.CONFIRMED


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer
        skip_postgeneration_save = True

    kind = "volontario"
    name = factory.Sequence(lambda n: f"Volontaria {n}")
    email = factory.Sequence(lambda n: f"volontaria{n}@example.net")
    skills = "guida, italiano L2"
    weekdays = factory.LazyFunction(lambda: ["sa"])
    day_parts = factory.LazyFunction(lambda: ["morning"])

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        self.municipalities.set(extracted or [municipality("059001")])


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Accompagnamento {n}")
    description = "Accompagnare persone anziane alle visite."
    municipality = factory.LazyFunction(municipality)
    when = "il sabato mattina"
    weekdays = factory.LazyFunction(lambda: ["sa"])
    day_parts = factory.LazyFunction(lambda: ["morning"])
    skills_wanted = "guida"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Un pulmino per la rete {n}")
    summary = "Un mezzo attrezzato per accompagnare le persone con disabilità."
    story = "Da anni accompagniamo le persone alle visite."
    project = "Trasporto sociale"
    goal = 10000
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    bank_details = "IBAN IT60 X054 2811 1010 0000 0123 456 – causale: pulmino"


def sample_arguments() -> dict[str, list]:
    """Arguments for the engagement pages that take some, for the invariant checks."""
    organization = OrganizationFactory(name="Ente con eventi")
    event = EventFactory(organization=organization, seats=5)
    return {
        "engagement:application_status": [JoinApplicationFactory().access_token],
        "engagement:set_password": ["MQ", "link-scaduto"],
        "engagement:news_detail": [NewsItemFactory().slug],
        "engagement:event_detail": [event.slug],
        "engagement:registration": [EventRegistrationFactory(event=event).access_token],
        "engagement:opportunity": [OpportunityFactory(organization=organization).slug],
        "engagement:volunteer": [VolunteerFactory().access_token],
        "engagement:campaign": [CampaignFactory(organization=organization).slug],
    }
