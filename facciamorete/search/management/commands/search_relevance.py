"""`manage.py search_relevance`: recall@5 and MRR of the relevance set on this database.

Meant for the demo network (seed_demo and load_lexicon first); the test suite asserts the same
figures. Prints the figures per language and the queries that miss.
"""

from django.core.management.base import BaseCommand
from django.db import connection

from facciamorete.search.relevance import evaluate, report


class Command(BaseCommand):
    help = "Misura la qualità della ricerca sull'insieme di rilevanza (rete dimostrativa)."

    def handle(self, *args, **options):
        self.stdout.write(report(evaluate(), connection.vendor))
