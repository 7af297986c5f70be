"""Italian as people write it: accents, apostrophes, stop words, word endings, typos."""

from django.test import SimpleTestCase, TestCase

from facciamorete.directory.tests.factories import ServiceFactory
from facciamorete.search import text
from facciamorete.search.services import analyze, search_services


def found(query: str) -> list[str]:
    return [s.name for s in search_services({"q": query})]


class TheWords(SimpleTestCase):
    def test_accents_case_and_apostrophes_are_folded(self):
        self.assertEqual(text.tokens("L'Anzianità è CAFFÈ"), ["l", "anzianita", "e", "caffe"])

    def test_stop_words_are_left_out(self):
        self.assertEqual(text.content_words("non riesco a pagare l'affitto"), ["pagare", "affitto"])

    def test_operators_and_control_characters_never_survive(self):
        self.assertEqual(
            text.tokens('"casa" AND (x*) NEAR -y\x00 😀'), ["casa", "and", "x", "near", "y"]
        )

    def test_typos_need_five_letters_and_at_most_two_wrong(self):
        vocabulary = ["assistenza", "casa", "cassa", "domiciliare"]
        self.assertEqual(text.closest("assitenza", vocabulary), ["assistenza"])
        self.assertEqual(text.closest("domicilaire", vocabulary), ["domiciliare"])
        self.assertEqual(text.closest("casx", vocabulary), [])
        self.assertEqual(text.closest("axxixtenza", vocabulary), [])


class TheQuery(TestCase):
    @classmethod
    def setUpTestData(cls):
        ServiceFactory(name="Centro per anziani", description="Attività per persone anziane.")
        ServiceFactory(name="Assistenza domiciliare", description="Aiuto a casa.")
        ServiceFactory(name="Cassa di mutuo soccorso", description="Prestiti tra soci.")

    def test_word_endings_find_the_same_services(self):
        for query in ["anziana", "anziani", "anzianità", "ANZIANO"]:
            self.assertEqual(found(query), ["Centro per anziani"], query)

    def test_a_misspelt_word_finds_the_word_the_catalogue_knows(self):
        self.assertEqual(found("asistenza")[0], "Assistenza domiciliare")
        self.assertEqual(analyze("asistenza").corrections, {"asistenza": ["assistenza"]})

    def test_a_short_word_is_never_corrected_into_another(self):
        self.assertEqual(found("casx"), [])

    def test_words_nobody_wrote_find_nothing(self):
        self.assertEqual(found("zzzqqq"), [])

    def test_only_punctuation_is_no_search_at_all(self):
        self.assertEqual(len(found("?!… --")), 3)
