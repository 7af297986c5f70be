"""Read HSDS 3.0 into the catalogue: all or nothing, with a validation report."""

import sys

from django.core.management.base import BaseCommand, CommandError

from facciamorete.directory.hsds.importer import import_services
from facciamorete.directory.hsds.reader import UnreadableFile, read_records
from facciamorete.territory.models import Municipality


class Command(BaseCommand):
    help = (
        "Importa servizi HSDS 3.0 (un array JSON di servizi completi, oppure una cartella o un "
        "file ZIP con datapackage.json e CSV). Aggiorna per id: rilanciarlo non duplica nulla."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--dry-run", action="store_true", help="controlla e scrive il rapporto, senza salvare"
        )
        parser.add_argument(
            "--default-comune",
            metavar="ISTAT",
            help="comune (codice ISTAT) per enti e sedi il cui comune non si riconosce",
        )

    def handle(self, *args, path, dry_run, default_comune, **options):
        default = None
        if default_comune:
            default = Municipality.objects.filter(istat_code=default_comune).first()
            if default is None:
                raise CommandError(f"Nessun comune con codice ISTAT {default_comune}.")
        try:
            records = read_records(path)
        except UnreadableFile as exc:
            raise CommandError(str(exc)) from exc
        result = import_services(
            records,
            dry_run=dry_run,
            default_municipality=default,
            progress=lambda n: self.stderr.write(f"… {n} servizi letti"),
        )
        for problem in result.warnings:
            self.stdout.write(f"avviso\t{problem}")
        for problem in result.errors:
            self.stdout.write(f"errore\t{problem}")
        created = ", ".join(f"{k} {v}" for k, v in sorted(result.created.items())) or "nessuno"
        updated = ", ".join(f"{k} {v}" for k, v in sorted(result.updated.items())) or "nessuno"
        self.stderr.write(
            f"{result.services} servizi letti. Nuovi: {created}. Aggiornati: {updated}."
        )
        if result.errors:
            self.stderr.write(f"{len(result.errors)} errori: nulla è stato salvato.")
            sys.exit(1)
        self.stderr.write(
            "Prova: nulla è stato salvato." if dry_run else "Importazione completata."
        )
