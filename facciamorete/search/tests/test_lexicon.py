"""The shipped lexicon: loaded as data, editable by staff, never overwriting their edits."""

from django.core.management import call_command
from django.test import TestCase

from facciamorete.search.lexicon import read_file
from facciamorete.search.models import NeedConcept, NeedPhrase

LANGUAGES = {"it", "en", "ro", "ar", "uk", "fr", "es", "pa"}
QUIET = {"stdout": open("/dev/null", "w")}  # noqa: SIM115


class TheShippedLexicon(TestCase):
    def test_every_concept_speaks_the_eight_languages(self):
        concepts = read_file()["concepts"]
        self.assertGreaterEqual(len(concepts), 12)
        for concept in concepts:
            self.assertEqual(set(concept["phrases"]), LANGUAGES, concept["slug"])
            self.assertTrue(concept["keywords"], concept["slug"])

    def test_punjabi_is_written_in_gurmukhi(self):
        for concept in read_file()["concepts"]:
            for phrase in concept["phrases"]["pa"]:
                self.assertTrue(any("\u0a00" <= ch <= "\u0a7f" for ch in phrase), phrase)


class LoadingTheLexicon(TestCase):
    def test_loading_twice_changes_nothing(self):
        call_command("load_lexicon", **QUIET)
        counts = NeedConcept.objects.count(), NeedPhrase.objects.count()
        call_command("load_lexicon", **QUIET)
        self.assertEqual((NeedConcept.objects.count(), NeedPhrase.objects.count()), counts)

    def test_staff_edits_survive_a_reload_and_replace_resets_them(self):
        call_command("load_lexicon", **QUIET)
        concept = NeedConcept.objects.get(slug="casa-affitto")
        concept.name = "Abitare"
        concept.save()
        NeedPhrase.objects.create(concept=concept, language="it", text="monolocale")
        call_command("load_lexicon", **QUIET)
        concept.refresh_from_db()
        self.assertEqual(concept.name, "Abitare")
        self.assertTrue(concept.phrases.filter(text="monolocale").exists())
        call_command("load_lexicon", "--replace", **QUIET)
        concept.refresh_from_db()
        self.assertEqual(concept.name, "Casa e affitto")
        self.assertFalse(concept.phrases.filter(text="monolocale").exists())
