"""`manage.py load_districts PATH`: the social-health districts of a territory, from a CSV file.

The format is described in docs/territory.md. The file is checked as a whole first: any error
(with its line number) means nothing is written.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from facciamorete.territory.services import districts_load


class Command(BaseCommand):
    help = (
        "Carica i distretti socio-sanitari da un file CSV (una riga per comune; formato in "
        "docs/territory.md). Richiede i comuni già caricati con load_reference."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="file CSV dei distretti")

    def handle(self, *args, path: Path, **options) -> None:
        try:
            tally = districts_load(path=path)
        except ValidationError as exc:
            lines = "\n".join(f"- {message}" for message in exc.messages)
            raise CommandError(
                f"Distretti non caricati da {path}: non è stato scritto nulla.\n{lines}"
            ) from exc
        if tally.changed:
            self.stdout.write(self.style.SUCCESS(tally.summary()))
        else:
            self.stdout.write(f"{tally.summary()} Nessuna modifica.")
