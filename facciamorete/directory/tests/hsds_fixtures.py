"""A small catalogue that uses every field HSDS carries, for export and import tests."""

import datetime as dt
from decimal import Decimal

from facciamorete.directory.models import (
    Contact,
    CostClass,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
)
from facciamorete.organizations.models import Organization

from .factories import (
    LocationFactory,
    OrganizationFactory,
    ServiceFactory,
    district_lt1,
    language,
    municipality,
    term,
)


def rich_catalogue() -> dict:
    """Two organisations, three published services and one draft, with all their parts."""
    district = district_lt1()
    org = OrganizationFactory(
        name="Centro Ascolto ODV",
        alternate_name="Centro Ascolto",
        tax_code="00000010017",
        runts_section="a",
        runts_number="12345",
        pec="centro@pec.example.it",
        email="info@centro.example.it",
        website="https://centro.example.it",
        municipality=municipality("059005"),
    )
    org.activities.set([term("art5", "a")])
    Phone.objects.create(organization=org, number="06 9270 4410")
    coop = OrganizationFactory(name="Cooperativa Insieme", kind="coop_sociale", tax_code=None)
    location = LocationFactory(
        organization=org,
        name="Sede centrale",
        address_2="Piano terra",
        wheelchair_accessible=True,
        accessibility_description="Rampa all'ingresso.",
        transportation="Autobus 2, fermata Piazza Roma.",
    )
    Phone.objects.create(location=location, number="06 9270 0000", type="fax")
    Schedule.objects.create(
        location=location, byday="MO,WE", opens_at=dt.time(8), closes_at=dt.time(12)
    )
    listening = ServiceFactory(
        organization=org,
        name="Centro di ascolto",
        alternate_name="Ascolto",
        url="https://centro.example.it/ascolto",
        email="ascolto@centro.example.it",
        eligibility_description="Chi vive nel distretto.",
        minimum_age=18,
        maximum_age=99,
        wait_time="Una settimana.",
        cost_class=CostClass.COPAY,
        cost_amount=Decimal("12.50"),
        cost_description="In base all'ISEE.",
        accessibility_description="Interprete LIS su richiesta.",
        assured_date=dt.date(2026, 1, 15),
        families=["socio-assistenziale", "giuridico-legale"],
    )
    listening.areas.set([term("aree-utenza", "anziani")])
    listening.languages.set([language("it"), language("ar")])
    listening.service_area_municipalities.set([municipality("059006")])
    listening.service_area_districts.set([district])
    ServiceAtLocation.objects.create(service=listening, location=location, description="Qui.")
    Schedule.objects.create(
        service=listening,
        byday="TU,TH",
        opens_at=dt.time(20),
        closes_at=dt.time(8),
        closes_next_day=True,
        open_on_holidays=True,
        valid_from=dt.date(2026, 1, 1),
        valid_to=dt.date(2026, 12, 31),
        description="Di notte.",
    )
    Phone.objects.create(service=listening, number="333 123 4567", type="cell", extension="12")
    contact = Contact.objects.create(
        service=listening, name="Anna Rossi", title="Coordinatrice", email="anna@example.it"
    )
    Phone.objects.create(contact=contact, number="06 1234567")
    RequiredDocument.objects.create(
        service=listening, document="Documento d'identità", uri="https://example.it/doc"
    )
    free = ServiceFactory(organization=coop, name="Doposcuola", families=["educativo"])
    paid = ServiceFactory(
        organization=coop,
        name="Trasporto",
        cost_class=CostClass.PAID,
        cost_amount=Decimal("5.00"),
    )
    draft = ServiceFactory(organization=coop, name="Bozza", status=Service.Status.INACTIVE)
    return {
        "org": org,
        "coop": coop,
        "location": location,
        "listening": listening,
        "free": free,
        "paid": paid,
        "draft": draft,
    }


def wipe_catalogue() -> None:
    """An empty catalogue: reference data (comuni, taxonomies, languages) stays."""
    Service.objects.all().delete()
    Organization.objects.all().delete()
