"""Speed figures for the public pages, next to the raw database doing the core of the same work.

`make bench` runs it on a synthetic catalogue (SQLite, then PostgreSQL when reachable). Figures
are printed, never asserted: machines are noisy.
"""

import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from facciamorete.directory.models import Service

RAW_PUBLISHED_COUNT = """
    SELECT COUNT(*) FROM directory_service s
    JOIN organizations_organization o ON o.id = s.organization_id
    WHERE s.status = 'active' AND o.status = 'active'
"""
RAW_FAMILY_PAGE = """
    SELECT s.id, s.name FROM directory_service s
    JOIN organizations_organization o ON o.id = s.organization_id
    JOIN directory_service_families f ON f.service_id = s.id
    JOIN core_taxonomyterm t ON t.id = f.taxonomyterm_id
    WHERE s.status = 'active' AND o.status = 'active' AND t.code = %s
    ORDER BY s.name LIMIT 20
"""


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median and best wall time in milliseconds over `repeat` runs, after one warm-up."""
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


class Command(BaseCommand):
    help = "Misura i tempi delle pagine pubbliche e li confronta con le query dirette al database."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=15)
        parser.add_argument(
            "--hsds", action="store_true", help="anche esportazione, importazione e API HSDS"
        )

    def handle(self, *args, repeat: int, hsds: bool = False, **options):
        services = Service.objects.published().count()
        if not services:
            self.stderr.write("Catalogo vuoto: esegui prima seed_demo o seed_synthetic.")
            return
        sample = Service.objects.published().order_by("id").first()
        family = sample.families.values_list("code", flat=True).first() or "socio-assistenziale"
        vendor = connection.vendor
        self.stdout.write(f"\n{vendor}: {services:,} servizi pubblicati, {repeat} ripetizioni\n")
        self.stdout.write(f"{'misura':<46}{'mediana ms':>12}{'minimo ms':>12}")
        with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
            client = Client()
            pages = [
                ("pagina  /", "/"),
                ("pagina  /servizi/", "/servizi/"),
                (f"pagina  /servizi/?family={family}", f"/servizi/?family={family}"),
                ("pagina  /servizi/?q=sostegno", "/servizi/?q=sostegno"),
                ("pagina  /servizi/?open_now=true", "/servizi/?open_now=true"),
                ("pagina  servizio", sample.get_absolute_url()),
                ("pagina  /enti/", "/enti/"),
            ]
            for label, url in pages:
                self._row(label, lambda url=url: self._get(client, url), repeat)
        with connection.cursor() as cursor:
            self._row(
                "sql     conteggio servizi pubblicati",
                lambda: cursor.execute(RAW_PUBLISHED_COUNT) or cursor.fetchall(),
                repeat,
            )
            self._row(
                "sql     prima pagina di una famiglia",
                lambda: cursor.execute(RAW_FAMILY_PAGE, [family]) or cursor.fetchall(),
                repeat,
            )
        if hsds:
            from facciamorete.api.bench import hsds_figures

            hsds_figures(self.stdout, repeat)
        self.stdout.write(f"(database: {settings.DATABASES['default']['NAME']})\n")

    def _get(self, client: Client, url: str) -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} ha risposto {response.status_code}")

    def _row(self, label: str, fn, repeat: int) -> None:
        median, best = timed(fn, repeat)
        self.stdout.write(f"{label:<46}{median:>12.1f}{best:>12.1f}")
