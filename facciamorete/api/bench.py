"""HSDS and API figures for `manage.py bench --hsds`: export, import, API pages (p95)."""

import io
import resource
import statistics
import time
from itertools import islice

from django.test import Client
from django.test.utils import override_settings

from facciamorete.directory.hsds.export import iter_services, write_json
from facciamorete.directory.hsds.importer import import_services

IMPORT_SAMPLE = 1000


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Null(io.TextIOBase):
    def write(self, text: str) -> int:
        return len(text)


def hsds_figures(out, repeat: int) -> None:
    rss_before = _peak_rss_mb()
    start = time.perf_counter()
    count = write_json(_Null(), iter_services())
    export_s = time.perf_counter() - start
    out.write(
        f"{'hsds    esportazione JSON':<46}{count:>10,} servizi in {export_s:.1f} s "
        f"({count / export_s:,.0f}/s), memoria di picco +{_peak_rss_mb() - rss_before:.0f} MB"
    )
    # A sample: the importer runs some twenty queries a service, so the whole catalogue would
    # make `make bench` take minutes; the rate is what matters.
    records = list(islice(iter_services(), IMPORT_SAMPLE))
    start = time.perf_counter()
    result = import_services(records, dry_run=True)
    import_s = time.perf_counter() - start
    out.write(
        f"{'hsds    importazione (prova, aggiorna)':<46}{result.services:>10,} servizi in "
        f"{import_s:.1f} s ({result.services / import_s:,.0f}/s)"
    )
    del records
    with override_settings(ALLOWED_HOSTS=["*"], DEBUG=False):
        client = Client()
        out.write(f"{'api     pagina':<46}{'p95 ms':>12}{'mediana ms':>12}")
        for label, url in (
            ("/api/hsds/services?per_page=50", "/api/hsds/services?per_page=50"),
            (
                "/api/hsds/services?full=true&per_page=50",
                "/api/hsds/services?full=true&per_page=50",
            ),
            (
                "/api/hsds/service_at_locations?per_page=50",
                "/api/hsds/service_at_locations?per_page=50",
            ),
            ("/api/v1/services/ (20 per pagina)", "/api/v1/services/"),
        ):
            samples = []
            for n in range(max(repeat, 20) + 1):
                begin = time.perf_counter()
                response = client.get(url + ("&" if "?" in url else "?") + f"page={n % 5 + 1}")
                elapsed = (time.perf_counter() - begin) * 1000
                if response.status_code != 200:
                    raise RuntimeError(f"{url} ha risposto {response.status_code}")
                if n:
                    samples.append(elapsed)
            p95 = statistics.quantiles(samples, n=20)[-1]
            out.write(f"{'api     ' + label:<46}{p95:>12.1f}{statistics.median(samples):>12.1f}")
