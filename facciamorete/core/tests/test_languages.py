"""Eight languages: the person's choice, the browser's language, right-to-left Arabic, and no
untranslated string on a public page."""

import contextlib
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import TestCase, override_settings

from facciamorete.directory.tests.factories import ServiceFactory

LANGUAGES = ["it", "en", "ro", "ar", "uk", "fr", "es", "pa"]
LOCALE = Path(settings.BASE_DIR) / "locale"


class ThePersonsLanguage(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.service = ServiceFactory(name="Sportello casa")

    def test_the_site_speaks_the_eight_languages_of_the_district(self):
        self.assertEqual([code for code, _name in settings.LANGUAGES], LANGUAGES)

    def test_a_first_visit_opens_in_the_browsers_language(self):
        response = self.client.get("/servizi/", headers={"accept-language": "ar,en;q=0.8"})
        self.assertRedirects(response, "/ar/servizi/", fetch_redirect_response=False)

    def test_a_browser_in_a_language_we_lack_gets_its_next_choice_or_italian(self):
        response = self.client.get("/servizi/", headers={"accept-language": "de,ro;q=0.5"})
        self.assertRedirects(response, "/ro/servizi/", fetch_redirect_response=False)
        response = self.client.get("/servizi/", headers={"accept-language": "de"})
        self.assertEqual(response.status_code, 200)

    def test_a_language_picked_by_the_person_wins_over_the_browser(self):
        response = self.client.get("/lingua/it/", {"next": "/en/servizi/"})
        self.assertRedirects(response, "/servizi/", fetch_redirect_response=False)
        response = self.client.get("/servizi/", headers={"accept-language": "ar"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="it" dir="ltr">')

    def test_a_picked_language_is_kept_on_italian_addresses(self):
        self.client.get("/lingua/ro/", {"next": "/"})
        response = self.client.get("/servizi/")
        self.assertRedirects(response, "/ro/servizi/", fetch_redirect_response=False)

    def test_the_switcher_keeps_the_person_on_the_same_page(self):
        url = self.service.get_absolute_url()
        response = self.client.get(url)
        self.assertContains(response, f'href="/lingua/uk/?next=/uk{url}"')
        response = self.client.get("/lingua/uk/", {"next": f"/uk{url}"})
        self.assertRedirects(response, f"/uk{url}", fetch_redirect_response=False)

    def test_the_switcher_never_sends_anyone_to_another_site(self):
        response = self.client.get("/lingua/en/", {"next": "https://evil.example/"})
        self.assertRedirects(response, "/en/", fetch_redirect_response=False)

    def test_every_page_links_its_versions_in_the_other_languages(self):
        response = self.client.get("/servizi/")
        for code in LANGUAGES:
            prefix = "" if code == "it" else f"/{code}"
            self.assertContains(
                response, f'hreflang="{code}" href="http://testserver{prefix}/servizi/"'
            )

    def test_arabic_pages_run_right_to_left(self):
        response = self.client.get("/ar/servizi/")
        self.assertContains(response, '<html lang="ar" dir="rtl">')
        self.assertContains(response, "bootstrap-italia.rtl.min.css")

    def test_pages_in_another_language_are_written_in_it(self):
        self.assertContains(self.client.get("/en/servizi/"), "Services")
        self.assertContains(self.client.get("/pa/servizi/"), 'lang="pa"')

    def test_dates_follow_the_language(self):
        self.service.assured_date = "2026-10-01"
        self.service.save()
        response = self.client.get("/en" + self.service.get_absolute_url())
        self.assertContains(response, "October")


@override_settings(LOCALE_PATHS=[])
class TheTranslationCatalogues(TestCase):
    def test_every_string_of_the_interface_is_translated_in_every_language(self):
        if not shutil.which("xgettext"):
            self.skipTest("GNU gettext is not installed (apt-get install gettext)")
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "locale"
            shutil.copytree(LOCALE, copy)
            # makemessages walks the current directory and writes into the `locale` folder it
            # finds there: run it in a directory that links to the sources and holds only the
            # copy, so that the project's own catalogues are never rewritten by a test.
            base = Path(settings.BASE_DIR)
            for entry in base.iterdir():
                if entry.name not in {"locale", ".git", ".venv", "node_modules", "staticfiles"}:
                    (Path(tmp) / entry.name).symlink_to(entry)
            with override_settings(LOCALE_PATHS=[copy]), contextlib.chdir(tmp):
                call_command(
                    "makemessages",
                    locale=LANGUAGES[1:],
                    ignore_patterns=[".venv/*", "*/tests/*", "staticfiles/*", "node_modules/*"],
                    no_location=True,
                    symlinks=True,
                    verbosity=0,
                )
            missing = {}
            for code in LANGUAGES[1:]:
                po = copy / code / "LC_MESSAGES" / "django.po"
                stats = subprocess.run(
                    ["msgfmt", "--statistics", "-o", "/dev/null", str(po)],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stderr
                if "untranslated" in stats or "fuzzy" in stats:
                    missing[code] = stats.strip()
            self.assertEqual(missing, {}, "run `make messages` and translate what is missing")

    def test_the_compiled_catalogues_match_their_sources(self):
        if not shutil.which("msgfmt"):
            self.skipTest("GNU gettext is not installed (apt-get install gettext)")
        for code in LANGUAGES[1:]:
            folder = LOCALE / code / "LC_MESSAGES"
            with tempfile.NamedTemporaryFile(suffix=".mo") as fresh:
                subprocess.run(["msgfmt", "-o", fresh.name, str(folder / "django.po")], check=True)
                self.assertEqual(
                    Path(fresh.name).read_bytes(), (folder / "django.mo").read_bytes(), code
                )


class ContentWrittenOnlyInItalian(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.service = ServiceFactory(name="Sportello casa", description="Aiuto per l'affitto.")

    def test_is_marked_as_italian_and_said_to_be_so_in_the_persons_language(self):
        response = self.client.get("/en" + self.service.get_absolute_url())
        self.assertContains(response, '<h1 lang="it">Sportello casa</h1>', html=True)
        self.assertContains(response, "This information is only available in Italian")

    def test_italian_pages_carry_no_such_notice(self):
        response = self.client.get(self.service.get_absolute_url())
        self.assertNotContains(response, "disponibili solo in italiano")
