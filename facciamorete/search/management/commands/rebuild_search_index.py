"""`manage.py rebuild_search_index`: rebuild the search index from the catalogue.

Never needed in normal use (database triggers follow every write); useful after renaming a
taxonomy term, after restoring a backup made without the index, or to compact it.
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from facciamorete.directory.models import Service
from facciamorete.search.schema import ensure_index, rebuild_index


class Command(BaseCommand):
    help = "Ricostruisce da zero l'indice di ricerca del catalogo."

    def handle(self, *args, **options):
        start = time.perf_counter()
        with transaction.atomic():
            if not ensure_index(connection):
                rebuild_index(connection)
        seconds = time.perf_counter() - start
        count = Service.objects.count()
        self.stdout.write(f"Indice ricostruito: {count:,} servizi in {seconds:.1f} s")
