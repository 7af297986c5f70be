"""Factories for the catalogue and what it stands on: a few real comuni, the taxonomies' terms
that tests use, organisations, services, locations and schedules."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from facciamorete.core.models import Taxonomy, TaxonomyTerm
from facciamorete.directory.models import Language, Location, Schedule, Service
from facciamorete.organizations.models import Organization, OrganizationOperator
from facciamorete.territory.models import District, Municipality, Province, Region

COMUNI = {
    "059001": ("Aprilia", "04011"),
    "059005": ("Cisterna di Latina", "04012"),
    "059006": ("Cori", "04010"),
    "059022": ("Rocca Massima", "04010"),
    "059011": ("Latina", "04100"),
}

# Valid 11-digit codici fiscali (check digit correct), for organisations built in tests.
VALID_TAX_CODES = ["00000010017", "00000020016", "00000030015", "00000040014", "00000050013"]


def municipality(istat_code: str = "059001") -> Municipality:
    region, _ = Region.objects.get_or_create(code="12", defaults={"name": "Lazio"})
    province, _ = Province.objects.get_or_create(
        code="059", defaults={"name": "Latina", "abbreviation": "LT", "region": region}
    )
    name, cap = COMUNI[istat_code]
    comune, _ = Municipality.objects.get_or_create(
        istat_code=istat_code,
        defaults={
            "name": name,
            "slug": name.lower().replace(" ", "-"),
            "province": province,
            "postal_codes": cap,
        },
    )
    return comune


def district_lt1() -> District:
    district, created = District.objects.get_or_create(
        code="LT1", defaults={"name": "Distretto LT1", "health_authority": "ASL Latina"}
    )
    if created:
        district.municipalities.set(
            [municipality(code) for code in ("059001", "059005", "059006", "059022")]
        )
    return district


TAXONOMY_TERMS = {
    "famiglie": [
        "socio-assistenziale",
        "socio-sanitario",
        "giuridico-legale",
        "formativo",
        "educativo",
        "ricreativo",
    ],
    "aree-utenza": ["famiglia-minori", "anziani", "immigrati-rom-sinti-caminanti"],
    "fasce-utenza": [],
    "art5": ["a", "b"],
}


def term(taxonomy_slug: str, code: str) -> TaxonomyTerm:
    taxonomy, _ = Taxonomy.objects.get_or_create(
        slug=taxonomy_slug,
        defaults={
            "name": taxonomy_slug,
            "description": taxonomy_slug,
            "source": "test",
            "uri": f"https://facciamorete.it/taxonomies/{taxonomy_slug}",
        },
    )
    found, _ = TaxonomyTerm.objects.get_or_create(
        taxonomy=taxonomy, code=code, defaults={"name": code.replace("-", " ")}
    )
    return found


def language(code: str) -> Language:
    names = {
        "it": ("italiano", "italiano"),
        "en": ("inglese", "English"),
        "ar": ("arabo", "العربية"),
        "pa": ("punjabi", "ਪੰਜਾਬੀ"),
        "ro": ("rumeno", "română"),
    }
    name, native = names[code]
    found, _ = Language.objects.get_or_create(
        code=code, defaults={"name": name, "native_name": native}
    )
    return found


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["email"]
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@example.org")
    password = factory.django.Password("password-di-prova")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Associazione di prova {n}")
    kind = "odv"
    description = "Un'associazione di volontariato del distretto."
    municipality = factory.LazyFunction(municipality)
    status = Organization.Status.ACTIVE


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Servizio di prova {n}")
    description = "Ascolto, orientamento e accompagnamento."
    application_process = "Telefona o passa in sede negli orari di apertura."
    status = Service.Status.ACTIVE

    @factory.post_generation
    def families(self, create, extracted, **kwargs):
        codes = extracted if extracted is not None else ["socio-assistenziale"]
        self.families.set([term("famiglie", code) for code in codes])


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Sede {n}")
    address_1 = "Piazza Roma 1"
    postal_code = "04011"
    municipality = factory.LazyFunction(municipality)
    latitude = "41.594800"
    longitude = "12.653000"


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Schedule

    service = factory.SubFactory(ServiceFactory)
    byday = "MO,TU,WE,TH,FR"
    opens_at = dt.time(9, 0)
    closes_at = dt.time(13, 0)


def operator_of(organization: Organization, email: str):
    """A staff user who may keep `organization`'s profile and services up to date."""
    from facciamorete.core.roles import OPERATORS, ensure_groups

    ensure_groups()
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=OPERATORS))
    OrganizationOperator.objects.create(organization=organization, user=user)
    return user
