"""The relevance set over the demo network: the right help in the first five, in eight languages."""

from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from facciamorete.search.relevance import CUTOFF, evaluate, load_queries, report, summary


class TheRelevanceSet(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_reference", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("load_lexicon", stdout=open("/dev/null", "w"))  # noqa: SIM115
        cls.outcomes = evaluate()
        cls.figures = summary(cls.outcomes)
        print("\n" + report(cls.outcomes, connection.vendor))

    def test_has_at_least_eighty_queries_in_the_eight_languages(self):
        queries = load_queries()
        self.assertGreaterEqual(len(queries), 80)
        self.assertEqual(
            {q["lang"] for q in queries}, {"it", "en", "ro", "ar", "uk", "fr", "es", "pa"}
        )

    def test_every_expected_service_exists_in_the_demo_network(self):
        from facciamorete.directory.models import Service

        slugs = set(Service.objects.published().values_list("slug", flat=True))
        for query in load_queries():
            self.assertLessEqual(set(query["expect"]), slugs, query["q"])

    def test_recall_at_five_is_at_least_ninety_percent(self):
        _n, recall, _mrr = self.figures["all"]
        self.assertGreaterEqual(recall, 0.9, f"recall@{CUTOFF} {recall:.3f}")

    def test_mean_reciprocal_rank_is_at_least_point_eight(self):
        _n, _recall, mrr = self.figures["all"]
        self.assertGreaterEqual(mrr, 0.8, f"MRR {mrr:.3f}")

    def test_no_language_is_left_behind(self):
        for language, (_n, recall, _mrr) in self.figures.items():
            self.assertGreaterEqual(recall, 0.75, language)
