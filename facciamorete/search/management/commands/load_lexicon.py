"""`manage.py load_lexicon [--replace] [--file PATH]`: load the lexicon of needs.

Idempotent. Concepts and phrases edited or added in the staff area are kept; `--replace`
resets the concepts in the file to the file's content.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from facciamorete.search.lexicon import LEXICON_FILE, load_lexicon


class Command(BaseCommand):
    help = "Carica il lessico dei bisogni (le modifiche fatte nell'area riservata restano)."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=LEXICON_FILE)
        parser.add_argument("--replace", action="store_true", help="Riporta i bisogni al file.")

    def handle(self, *args, file: Path, replace: bool, **options):
        counts = load_lexicon(path=file, replace=replace)
        self.stdout.write(
            f"Lessico: {counts['concepts']} bisogni caricati, {counts['phrases']} frasi nuove"
            + (
                f", {counts['missing_terms']} termini non trovati"
                if counts["missing_terms"]
                else ""
            )
        )
