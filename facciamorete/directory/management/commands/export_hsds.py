"""Write the published catalogue as HSDS 3.0: a JSON array of full service records or a ZIP."""

import sys

from django.core.management.base import BaseCommand

from facciamorete.directory.hsds import tabular
from facciamorete.directory.hsds.export import iter_services, write_json


class Command(BaseCommand):
    help = "Esporta il catalogo pubblicato in formato HSDS 3.0 (JSON o ZIP di CSV)."

    def add_arguments(self, parser):
        parser.add_argument("out", help="file da scrivere; - per lo standard output (solo JSON)")
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, out, format, **options):
        if format == "csv":
            if out == "-":
                self.stderr.write("Il formato csv è un file ZIP: indica un file.")
                sys.exit(2)
            with open(out, "wb") as stream:
                count = tabular.write_zip(stream, iter_services())
        elif out == "-":
            count = write_json(self.stdout, iter_services())
        else:
            with open(out, "w", encoding="utf-8") as stream:
                count = write_json(stream, iter_services())
        self.stderr.write(f"{count} servizi esportati.")
