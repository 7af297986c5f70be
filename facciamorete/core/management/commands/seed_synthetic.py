"""`manage.py seed_synthetic --services N [--seed S]`: a large synthetic catalogue for benchmarks.

Organisations (about N/10) and services are generated and written batch by batch with
bulk_create, so memory stays flat up to a million services and beyond. Every id and every choice
is a function of the seed and of the item's number, never of the batch it falls in: the same seed
gives the same catalogue, and a rerun resumes where an interrupted one stopped.
"""

import datetime as dt
import random
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from facciamorete.core.models import TaxonomyTerm
from facciamorete.directory.models import (
    CostClass,
    Language,
    Location,
    Schedule,
    Service,
    ServiceAtLocation,
)
from facciamorete.organizations.models import (
    PUBLIC_KINDS,
    Membership,
    NetworkRole,
    Organization,
    OrganizationKind,
)
from facciamorete.territory.models import Municipality

PREFIX = "[sintetico]"
SLUG_PREFIX = "sintetico-"
SERVICES_PER_ORGANIZATION = 10
BLOCK = 1000  # texts are drawn per block of 1,000 items, so --batch-size changes nothing
ANCHOR = dt.date(2026, 1, 1)  # assured dates fall in the year before: fixed, for determinism
MASK = (1 << 64) - 1

KIND_WORDS = {
    OrganizationKind.ODV: "Volontari",
    OrganizationKind.APS: "Associazione",
    OrganizationKind.SOCIAL_COOPERATIVE: "Cooperativa sociale",
    OrganizationKind.SOCIAL_ENTERPRISE: "Impresa sociale",
    OrganizationKind.FOUNDATION: "Fondazione",
    OrganizationKind.RELIGIOUS: "Opera",
    OrganizationKind.MUNICIPALITY: "Servizi comunali",
    OrganizationKind.SCHOOL: "Istituto comprensivo",
    OrganizationKind.HEALTH_AUTHORITY: "Distretto sanitario",
    OrganizationKind.OTHER_PUBLIC: "Azienda servizi alla persona",
    OrganizationKind.BUSINESS: "Impresa",
    OrganizationKind.UNION: "Camera del lavoro",
    OrganizationKind.OTHER: "Comitato",
}
KINDS = list(KIND_WORDS)
NAMES = ["Aurora", "Orizzonte", "Ponte", "Quercia", "Sorgente", "Tessera", "Radici", "Faro"]
TOPICS = [
    ("Sportello di ascolto", "ascolto e orientamento ai servizi sociali"),
    ("Emporio solidale", "spesa gratuita per famiglie in difficoltà economica"),
    ("Assistenza domiciliare", "aiuto a casa per anziani e persone non autosufficienti"),
    ("Doposcuola", "aiuto nei compiti per bambini e ragazzi"),
    ("Corso di italiano", "lingua italiana per persone straniere"),
    ("Consulenza legale", "diritti, casa, lavoro e permesso di soggiorno"),
    ("Orientamento al lavoro", "curriculum, colloqui e tirocini"),
    ("Centro diurno", "attività di giorno per persone con disabilità"),
    ("Trasporto sociale", "accompagnamento a visite e terapie"),
    ("Centro estivo", "giochi e laboratori d'estate per bambini"),
    ("Sportello casa", "affitto, sfratti e ricerca di un alloggio"),
    ("Gruppo di auto aiuto", "incontri per familiari e caregiver"),
]
PROCESSES = [
    "Accesso libero negli orari di apertura.",
    "Si prenota un colloquio per telefono.",
    "Su invio dei Servizi sociali del Comune.",
    "Si compila la domanda allo sportello con un documento d'identità.",
]
WAITS = ["Nessuna attesa.", "Entro 1 settimana.", "Entro 30 giorni.", "Lista d'attesa di 2 mesi."]
STREETS = ["Via Roma", "Via Garibaldi", "Corso Italia", "Piazza della Repubblica", "Via Dante"]
SCHEDULES = [
    ("MO,TU,WE,TH,FR", dt.time(9), dt.time(13)),
    ("MO,WE,FR", dt.time(9), dt.time(12, 30)),
    ("TU,TH", dt.time(15), dt.time(18)),
    ("SA", dt.time(9), dt.time(12)),
    ("MO,TU,WE,TH,FR", dt.time(14, 30), dt.time(18, 30)),
]


def _mix(*parts: int) -> int:
    """A 64-bit hash of integers (splitmix64 steps): cheap, stateless, the same everywhere."""
    x = 0
    for part in parts:
        x = ((x ^ part) + 0x9E3779B97F4A7C15) & MASK
        x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & MASK
        x ^= x >> 31
    return x


def _uuid(seed: int, salt: int, number: int) -> uuid.UUID:
    return uuid.UUID(int=(_mix(seed, salt, number) << 64) | _mix(seed, salt + 1, number), version=4)


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass(frozen=True)
class Vocabulary:
    """What the catalogue draws from; its size does not depend on N."""

    comuni: list[tuple[str, str, Decimal | None, Decimal | None, str]]
    families: list
    areas: list
    languages: list[str]

    @classmethod
    def load(cls) -> "Vocabulary":
        comuni = [
            (code, name, lat, lon, caps.split(",")[0] if caps else "")
            for code, name, lat, lon, caps in Municipality.objects.order_by("pk").values_list(
                "pk", "name", "latitude", "longitude", "postal_codes"
            )
        ]
        families = list(
            TaxonomyTerm.objects.of("famiglie").order_by("code").values_list("pk", flat=True)
        )
        if not comuni or not families:
            raise CommandError(
                "Mancano comuni o famiglie di servizi: esegui prima manage.py load_reference."
            )
        areas = list(
            TaxonomyTerm.objects.of("aree-utenza").order_by("code").values_list("pk", flat=True)
        )
        languages = list(Language.objects.order_by("pk").values_list("pk", flat=True))
        return cls(comuni, families, areas, languages)


@dataclass(frozen=True)
class Plan:
    seed: int
    services: int
    vocabulary: Vocabulary

    @property
    def organizations(self) -> int:
        return -(-self.services // SERVICES_PER_ORGANIZATION)

    def org_id(self, k: int) -> uuid.UUID:
        return _uuid(self.seed, 100, k)

    def org_comune(self, k: int) -> tuple:
        return self.vocabulary.comuni[_mix(self.seed, 102, k) % len(self.vocabulary.comuni)]

    def org_slug(self, k: int) -> str:
        return f"{SLUG_PREFIX}{self.seed}-e{k + 1}"

    def service_slug(self, j: int) -> str:
        return f"{SLUG_PREFIX}{self.seed}-s{j + 1}"


# --- Building one batch ------------------------------------------------------------------------


def build_organization(plan: Plan, k: int) -> Organization:
    kind = KINDS[_mix(plan.seed, 103, k) % len(KINDS)]
    code, town, *_ = plan.org_comune(k)
    name = NAMES[_mix(plan.seed, 104, k) % len(NAMES)]
    return Organization(
        id=plan.org_id(k),
        name=f"{PREFIX} {KIND_WORDS[kind]} {name} {k + 1} – {town}",
        slug=plan.org_slug(k),
        kind=kind,
        description=f"Ente sintetico numero {k + 1}, generato per le prove di carico.",
        municipality_id=code,
        status=Organization.Status.ACTIVE,
    )


def build_membership(org: Organization, k: int, seed: int) -> Membership:
    """Every synthetic organisation is in the network, so member pages have something to list."""
    if org.kind in PUBLIC_KINDS:
        role = NetworkRole.PUBLIC_PARTNER
    elif org.kind in (OrganizationKind.BUSINESS, OrganizationKind.UNION):
        role = NetworkRole.PRIVATE_PARTNER
    else:
        role = NetworkRole.MEMBER
    start = dt.date(2019, 1, 1) + dt.timedelta(days=_mix(seed, 105, k) % (7 * 365))
    return Membership(organization_id=org.id, role=role, start_date=start)


def _cost(rng: random.Random) -> dict:
    draw = rng.random()
    if draw < 0.6:
        return {"cost_class": CostClass.FREE, "cost_description": "Gratuito."}
    if draw < 0.85:
        return {
            "cost_class": CostClass.COPAY,
            "cost_description": "Compartecipazione in base all'ISEE.",
        }
    amount = Decimal(rng.randrange(500, 15000)) / 100
    return {
        "cost_class": CostClass.PAID,
        "cost_amount": amount,
        "cost_description": f"{amount} euro.",
    }


def build_service(plan: Plan, j: int, rng: random.Random) -> Service:
    k = j // SERVICES_PER_ORGANIZATION
    _, town, *_ = plan.org_comune(k)
    title, topic = rng.choice(TOPICS)
    return Service(
        id=_uuid(plan.seed, 200, j),
        organization_id=plan.org_id(k),
        name=f"{PREFIX} {title} {j + 1} – {town}",
        slug=plan.service_slug(j),
        description=f"{title}: {topic}, a {town} e dintorni. Servizio sintetico per le prove.",
        eligibility_description=f"Persone che vivono a {town} o nei dintorni.",
        application_process=rng.choice(PROCESSES),
        wait_time=rng.choice(WAITS),
        assured_date=ANCHOR - dt.timedelta(days=rng.randrange(365)),
        **_cost(rng),
    )


def _near(rng: random.Random, value: Decimal | None) -> Decimal | None:
    """A point within about 500 m of the comune's centre, if the comune has coordinates."""
    if value is None:
        return None
    return value + Decimal(rng.randrange(-5000, 5000)) / 1_000_000


def build_location(plan: Plan, j: int, rng: random.Random) -> Location:
    code, _, lat, lon, cap = plan.org_comune(j // SERVICES_PER_ORGANIZATION)
    return Location(
        id=_uuid(plan.seed, 300, j),
        organization_id=plan.org_id(j // SERVICES_PER_ORGANIZATION),
        name=f"{PREFIX} Sede {j + 1}",
        address_1=f"{rng.choice(STREETS)} {rng.randrange(1, 200)}",
        postal_code=cap,
        municipality_id=code,
        latitude=_near(rng, lat),
        longitude=_near(rng, lon),
        wheelchair_accessible=rng.random() < 0.6,
    )


def build_schedules(plan: Plan, j: int, rng: random.Random, service, location) -> list[Schedule]:
    patterns = rng.sample(SCHEDULES, rng.choice((1, 2)))
    return [
        Schedule(
            id=_uuid(plan.seed, 400 + 2 * n, j),
            service_id=service.id,
            location_id=location.id,
            byday=byday,
            opens_at=opens,
            closes_at=closes,
        )
        for n, (byday, opens, closes) in enumerate(patterns)
    ]


def build_links(plan: Plan, rng: random.Random, service) -> dict:
    vocab = plan.vocabulary
    families = rng.sample(vocab.families, rng.choice((1, 1, 2)))
    areas = rng.sample(vocab.areas, min(len(vocab.areas), rng.choice((0, 1, 2))))
    languages = rng.sample(vocab.languages, min(len(vocab.languages), rng.choice((1, 1, 2))))
    through = {name: getattr(Service, name).through for name in ("families", "areas", "languages")}
    return {
        "families": [
            through["families"](service_id=service.id, taxonomyterm_id=t) for t in families
        ],
        "areas": [through["areas"](service_id=service.id, taxonomyterm_id=t) for t in areas],
        "languages": [
            through["languages"](service_id=service.id, language_id=c) for c in languages
        ],
    }


def draw_service(plan: Plan, j: int, rng: random.Random) -> dict[str, list]:
    """Every row of service j, drawing from the block's random stream in a fixed order."""
    service, location = build_service(plan, j, rng), build_location(plan, j, rng)
    place = ServiceAtLocation(
        id=_uuid(plan.seed, 500, j), service_id=service.id, location_id=location.id
    )
    return {
        "services": [service],
        "locations": [location],
        "places": [place],
        "schedules": build_schedules(plan, j, rng, service, location),
        **build_links(plan, rng, service),
    }


def build_services(plan: Plan, start: int, end: int, skip: frozenset = frozenset()) -> dict:
    """Rows for services start..end-1, leaving out the slugs in `skip` (already written)."""
    rows: dict[str, list] = defaultdict(list)
    for block in range(start // BLOCK, -(-end // BLOCK)):
        rng = random.Random(f"{plan.seed}:services:{block}")
        for j in range(block * BLOCK, min((block + 1) * BLOCK, end)):
            # Items of the block before `start` are drawn too, so that item j gets the same
            # random numbers whatever batch it falls in.
            drawn = draw_service(plan, j, rng)
            if j >= start and plan.service_slug(j) not in skip:
                for key, items in drawn.items():
                    rows[key] += items
    return rows


# --- Writing -----------------------------------------------------------------------------------


def insert(model, objs: list) -> None:
    """bulk_create without the query compiler: one executemany, each value prepared by its field.

    At a million rows Django's SQL compilation costs more than the database itself; this keeps
    the fields' own conversions (UUID, dates, decimals) and so works on SQLite and PostgreSQL.
    """
    if not objs:
        return
    # The wrapper itself, not the `connection` proxy: a proxy lookup per value costs seconds.
    db = connections[DEFAULT_DB_ALIAS]
    # Auto-increment keys (the M2M tables') are left to the database, as bulk_create does.
    fields = [f for f in model._meta.concrete_fields if not f.db_returning]
    quote = db.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"
    rows = [tuple(f.get_db_prep_save(f.pre_save(obj, True), db) for f in fields) for obj in objs]
    with db.cursor() as cursor:
        cursor.executemany(sql, rows)


def write_services(rows: dict[str, list]) -> None:
    # Parents before children, so that foreign keys hold on PostgreSQL too.
    order = (
        (Location, "locations"),
        (Service, "services"),
        (ServiceAtLocation, "places"),
        (Schedule, "schedules"),
        (Service.families.through, "families"),
        (Service.areas.through, "areas"),
        (Service.languages.through, "languages"),
    )
    with transaction.atomic():
        for model, key in order:
            insert(model, rows[key])


def _existing(model, slugs: list[str]) -> frozenset[str]:
    return frozenset(model.objects.filter(slug__in=slugs).values_list("slug", flat=True))


def batches(total: int, size: int):
    for start in range(0, total, size):
        yield start, min(start + size, total)


class Command(BaseCommand):
    help = (
        "Genera un catalogo sintetico per le prove di carico su tutti i comuni caricati: "
        "N servizi (una sede ciascuno, 1-2 orari) e circa N/10 enti, nomi che iniziano con "
        "«[sintetico]». Stesso --seed, stesso catalogo; rilanciato riprende da dove si era fermato."
    )

    def add_arguments(self, parser):
        parser.add_argument("--services", type=int, help="Quanti servizi generare.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Seme del generatore (predefinito 1)."
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=5000,
            help="Servizi per transazione (predefinito 5000).",
        )
        parser.add_argument(
            "--clear", action="store_true", help="Cancella tutti i dati sintetici ed esce."
        )

    def handle(self, *args, services, seed, batch_size, clear, **options):
        if clear:
            self._clear()
            return
        if not services or services < 1 or batch_size < 1 or seed < 0:
            raise CommandError(
                "Indica --services N con N ≥ 1 (e, se li dai, --seed ≥ 0, --batch-size ≥ 1)."
            )
        plan = Plan(seed=seed, services=services, vocabulary=Vocabulary.load())
        started = time.perf_counter()
        orgs_written = self._organizations(plan, batch_size)
        services_written = self._services(plan, batch_size)
        elapsed = time.perf_counter() - started
        rate = _count(int(services_written / elapsed)) if elapsed else "–"
        seconds = f"{elapsed:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Scritti {_count(orgs_written)} enti e {_count(services_written)} servizi "
                f"sintetici in {seconds} s ({rate} servizi/s)."
            )
        )

    def _progress(self, done: int, total: int, what: str) -> None:
        # Plain text on stderr, so that stdout keeps only the summary (and is easy to parse).
        self.stderr.write(f"{_count(done)}/{_count(total)} {what}", style_func=str)
        self.stderr.flush()

    def _organizations(self, plan: Plan, size: int) -> int:
        written = 0
        for start, end in batches(plan.organizations, size):
            done = _existing(Organization, [plan.org_slug(k) for k in range(start, end)])
            todo = [k for k in range(start, end) if plan.org_slug(k) not in done]
            orgs = [build_organization(plan, k) for k in todo]
            with transaction.atomic():
                insert(Organization, orgs)
                insert(
                    Membership,
                    [build_membership(o, k, plan.seed) for k, o in zip(todo, orgs, strict=True)],
                )
            written += len(orgs)
            self._progress(end, plan.organizations, "enti")
        return written

    def _services(self, plan: Plan, size: int) -> int:
        written = 0
        for start, end in batches(plan.services, size):
            # What an earlier run with the same seed wrote is skipped: reruns resume or extend.
            done = _existing(Service, [plan.service_slug(j) for j in range(start, end)])
            if len(done) < end - start:
                rows = build_services(plan, start, end, skip=done)
                write_services(rows)
                written += len(rows["services"])
            self._progress(end, plan.services, "servizi")
        return written

    def _clear(self) -> None:
        """Delete synthetic organisations (and with them their services) a slice at a time."""
        deleted = 0
        synthetic = Organization.objects.filter(slug__startswith=SLUG_PREFIX)
        while chunk := list(synthetic.values_list("pk", flat=True)[:500]):
            with transaction.atomic():
                Organization.objects.filter(pk__in=chunk).delete()
            deleted += len(chunk)
            self.stderr.write(f"{_count(deleted)} enti sintetici cancellati", style_func=str)
        self.stdout.write(
            self.style.SUCCESS(f"Cancellati {_count(deleted)} enti sintetici e i loro servizi.")
        )
