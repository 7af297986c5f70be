"""`manage.py bench_search`: speed of the search on the catalogue in the database.

A fixed mix of 200 queries (plain, with filters, with distance, misspelt, in other languages),
each timed warm through `search_services` (analysis, engine, ranking, first page fetched) and,
for the ratio, on the raw engine alone (FTS5 MATCH / tsquery with the same terms, first 20
ids). `make bench` runs it on the synthetic catalogue; figures are printed, never asserted.
"""

import os
import resource
import statistics
import time
from itertools import cycle, islice

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from facciamorete.directory.models import Location, Service
from facciamorete.search.engines import get_engine
from facciamorete.search.lexicon import load_lexicon
from facciamorete.search.models import NeedConcept
from facciamorete.search.schema import rebuild_index
from facciamorete.search.services import analyze, search_services

PLAIN = [
    "affitto",
    "sfratto",
    "doposcuola",
    "corso di italiano",
    "assistenza domiciliare anziani",
    "consulenza legale",
    "orientamento al lavoro",
    "centro diurno disabilità",
    "trasporto per visite",
    "centro estivo bambini",
    "spesa gratuita famiglie",
    "gruppo auto aiuto familiari",
    "non riesco a pagare l'affitto",
    "badante per mia madre",
]
MISSPELT = [
    "assitenza domicilare",
    "doposcula",
    "orientamneto lavoro",
    "consulenza lgale",
    "afitto",
]
FOREIGN = [
    "free lawyer",
    "italian course",
    "curs de limba italiană",
    "مساعدة قانونية",
    "житло",
    "ਵਕੀਲ",
    "cours d'italien",
    "busco trabajo",
]


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def query_mix(size: int = 200) -> list[dict]:
    """The same 200 parameter sets on any catalogue: a fifth each of the five kinds."""
    places = list(
        Location.objects.filter(latitude__isnull=False, municipality__isnull=False)
        .order_by("id")
        .values_list("municipality_id", "latitude", "longitude")[:50]
    ) or [("059001", 41.5947, 12.6538)]
    families = ["socio-assistenziale", "formativo", "giuridico-legale", "educativo"]
    words = cycle(PLAIN)
    kinds = [
        [{"q": q} for q in islice(cycle(PLAIN), 40)],
        [
            {"q": next(words), "family": families[i % 4], "cost": "free"}
            if i % 2
            else {"q": next(words), "municipality": places[i % len(places)][0]}
            for i in range(40)
        ],
        [
            {
                "q": next(words),
                "lat": str(places[i % len(places)][1]),
                "lon": str(places[i % len(places)][2]),
                "radius_km": "25",
            }
            for i in range(40)
        ],
        [{"q": q} for q in islice(cycle(MISSPELT), 40)],
        [{"q": q} for q in islice(cycle(FOREIGN), 40)],
    ]
    return [params for kind in kinds for params in kind][:size]


class Command(BaseCommand):
    help = "Misura i tempi della ricerca (p50/p95/p99) e li confronta con il motore da solo."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Misura anche la ricostruzione.")

    def handle(self, *args, rebuild: bool, **options):
        if not NeedConcept.objects.exists():
            load_lexicon()
        services = Service.objects.count()
        vendor = connection.vendor
        self.stdout.write(f"\nricerca su {vendor}: {services:,} servizi, 200 domande, a caldo")
        if rebuild:
            start = time.perf_counter()
            with transaction.atomic():
                rebuild_index(connection)
            self.stdout.write(f"ricostruzione dell'indice: {time.perf_counter() - start:.1f} s")
        mix = query_mix()
        full, raw = self._timings(mix)
        self.stdout.write(f"{'misura':<36}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
        for label, samples in [("search_services (prima pagina)", full), ("motore da solo", raw)]:
            self.stdout.write(
                f"{label:<36}{percentile(samples, 50):>9.1f}{percentile(samples, 95):>9.1f}"
                f"{percentile(samples, 99):>9.1f}"
            )
        ratio = statistics.median(full) / max(statistics.median(raw), 1e-6)
        self.stdout.write(f"rapporto mediano ricerca / motore: {ratio:.1f}×")
        self.stdout.write(f"dimensione del database: {self._size() / 1e6:,.0f} MB")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(f"memoria massima del processo: {peak:,.0f} MB")

    def _timings(self, mix: list[dict]) -> tuple[list[float], list[float]]:
        engine = get_engine()
        groups = [analyze(params["q"]).all_groups for params in mix]
        for params in mix:  # warm: caches, lexicon, pages of the database
            list(search_services(params)[: settings.PAGE_SIZE])
        full, raw = [], []
        for params, query_groups in zip(mix, groups, strict=True):
            start = time.perf_counter()
            list(search_services(params)[: settings.PAGE_SIZE])
            full.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            if query_groups:
                engine.raw(query_groups, settings.PAGE_SIZE)
            raw.append((time.perf_counter() - start) * 1000)
        return full, raw

    def _size(self) -> int:
        if connection.vendor == "sqlite":
            name = settings.DATABASES["default"]["NAME"]
            return sum(os.path.getsize(p) for p in [name, f"{name}-wal"] if os.path.exists(p))
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
