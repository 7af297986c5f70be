"""`manage.py load_reference`: the reference data every installation needs, on every `make run`.

ISTAT's regions, provinces and comuni, the shipped districts, the taxonomies and the languages, in
one transaction: either all of it is loaded or nothing is. A rerun with nothing new writes nothing
and says so.
"""

import time

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from facciamorete.territory.management.vocabularies import languages_load, taxonomies_load
from facciamorete.territory.services import Tally, shipped_districts_load, territory_load


class Command(BaseCommand):
    help = (
        "Carica i dati di riferimento: regioni, province e comuni ISTAT, distretti forniti, "
        "tassonomie e lingue. Si può rilanciare: scrive solo ciò che è cambiato."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        try:
            with transaction.atomic():
                tallies = [
                    *territory_load(),
                    *shipped_districts_load(),
                    *taxonomies_load(),
                    languages_load(),
                ]
        except ValidationError as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        except ImproperlyConfigured as exc:  # a shipped data file is broken: say which
            raise CommandError(str(exc)) from exc
        self.report(tallies, time.perf_counter() - started, options["verbosity"])

    def report(self, tallies: list[Tally], seconds: float, verbosity: int) -> None:
        elapsed = f"{seconds:.1f}".replace(".", ",")
        changed = [t for t in tallies if t.changed]
        # Quiet when nothing changed, since it runs on every `make run`; -v 2 shows everything.
        for tally in tallies:
            if tally.changed or verbosity >= 2:
                self.stdout.write(tally.summary())
                for note in tally.notes:
                    self.stdout.write(f"  {note}")
        if changed:
            self.stdout.write(self.style.SUCCESS(f"Dati di riferimento caricati in {elapsed} s."))
        else:
            self.stdout.write(
                f"Dati di riferimento già aggiornati: nessuna modifica ({elapsed} s)."
            )
