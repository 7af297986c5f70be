"""The shipped content pages and `manage.py load_content`."""

import re
from io import StringIO

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.management import CommandError, call_command
from django.test import TestCase

from facciamorete.core.content.loader import ContentError, parse_page, shipped_pages
from facciamorete.core.models import Page

NETWORK_SLUGS = {
    "missione",
    "premessa",
    "attori",
    "obiettivi",
    "ruolo",
    "obiettivo-generale",
    "azioni",
    "origine",
    "partner",
}
LEGAL_SLUGS = {"note-legali", "privacy", "cookie", "accessibilita"}
MOORE = "La democrazia non è uno sport da spettatori"


def load(*args, **options):
    out = StringIO()
    call_command("load_content", *args, stdout=out, **options)
    return out.getvalue().strip()


def shipped(slug):
    return next(page for page in shipped_pages() if page.slug == slug)


class LoadContentTests(TestCase):
    def test_every_shipped_page_loads_published_with_a_title_and_a_body(self):
        load()
        pages = {page.slug: page for page in shipped_pages()}
        self.assertEqual(Page.objects.count(), len(pages))
        for row in Page.objects.all():
            with self.subTest(slug=row.slug):
                self.assertTrue(row.is_published)
                self.assertTrue(row.title.strip())
                self.assertTrue(row.summary.strip())
                self.assertTrue(row.body.strip())
                if row.section == Page.Section.NETWORK:
                    self.assertTrue(row.source_note.strip())
                self.assertEqual(row.body, pages[row.slug].body)
                self.assertEqual(row.section, pages[row.slug].section)

    def test_running_it_twice_creates_nothing_new(self):
        load()
        first = dict(Page.objects.values_list("slug", "updated_at"))
        load()
        self.assertEqual(dict(Page.objects.values_list("slug", "updated_at")), first)

    def test_the_summary_is_printed_in_italian(self):
        total = len(shipped_pages())
        self.assertEqual(load(), f"{total} pagine create, 0 già presenti.")
        Page.objects.filter(slug__in=["privacy", "cookie"]).delete()
        self.assertEqual(load(), f"2 pagine create, {total - 2} già presenti.")
        Page.objects.filter(slug="privacy").delete()
        self.assertEqual(load(), f"1 pagina creata, {total - 1} già presenti.")

    def test_a_page_edited_in_the_staff_area_is_not_overwritten_by_a_rerun(self):
        load()
        Page.objects.filter(slug="privacy").update(
            title="Informativa ufficiale", body="## Titolare\n\nAssociazione Esempio APS."
        )
        load()
        page = Page.objects.get(slug="privacy")
        self.assertEqual(page.title, "Informativa ufficiale")
        self.assertEqual(page.body, "## Titolare\n\nAssociazione Esempio APS.")

    def test_a_page_hidden_by_staff_stays_hidden_after_a_rerun(self):
        load()
        Page.objects.filter(slug="origine").update(is_published=False)
        load()
        self.assertFalse(Page.objects.get(slug="origine").is_published)

    def test_force_overwrites_an_edited_page_and_says_which(self):
        load()
        Page.objects.filter(slug="cookie").update(body="Testo modificato.")
        output = load(force=True)
        self.assertIn("1 pagina sovrascritta (cookie)", output)
        self.assertEqual(Page.objects.get(slug="cookie").body, shipped("cookie").body)

    def test_force_leaves_the_published_flag_as_staff_set_it(self):
        load()
        Page.objects.filter(slug="cookie").update(body="Testo modificato.", is_published=False)
        load(force=True)
        self.assertFalse(Page.objects.get(slug="cookie").is_published)

    def test_force_with_slugs_restores_only_those_pages(self):
        load()
        Page.objects.filter(slug__in=["cookie", "privacy"]).update(body="Testo modificato.")
        output = load("cookie", force=True)
        self.assertEqual(
            output,
            "0 pagine create, 1 pagina sovrascritta (cookie), 0 già uguali al testo fornito.",
        )
        self.assertEqual(Page.objects.get(slug="privacy").body, "Testo modificato.")

    def test_an_unknown_slug_is_an_error(self):
        with self.assertRaisesMessage(CommandError, "Pagine sconosciute: inesistente"):
            load("inesistente")
        self.assertFalse(Page.objects.exists())


class ShippedPagesTests(TestCase):
    def test_each_section_of_the_founding_text_has_its_page(self):
        slugs = {page.slug: page.section for page in shipped_pages()}
        self.assertEqual(set(slugs), NETWORK_SLUGS | LEGAL_SLUGS)
        for slug in NETWORK_SLUGS:
            self.assertEqual(slugs[slug], Page.Section.NETWORK)
        for slug in LEGAL_SLUGS:
            self.assertEqual(slugs[slug], Page.Section.LEGAL)

    def test_each_file_is_named_after_its_slug_and_orders_are_unique_per_section(self):
        pages = shipped_pages()
        for page in pages:
            self.assertEqual(page.path.stem, page.slug)
        orders = [(page.section, page.order) for page in pages]
        self.assertEqual(len(orders), len(set(orders)))

    def test_the_michael_moore_quote_appears_once_in_the_mission(self):
        counts = {page.slug: page.body.count(MOORE) for page in shipped_pages()}
        self.assertEqual(sum(counts.values()), 1)
        self.assertEqual(counts["missione"], 1)
        self.assertIn("Michael Moore", shipped("missione").body)

    def test_bodies_start_their_headings_at_level_two(self):
        # The page template shows the title as the only <h1>.
        for page in shipped_pages():
            with self.subTest(slug=page.slug):
                self.assertNotRegex(page.body, r"(?m)^# ")
                self.assertRegex(page.body, r"(?m)^## ")

    def test_no_page_has_placeholders_left_to_fill_in(self):
        # "[INSERIRE NOME]", "TODO", "XXX"…, but not a Markdown link such as "[agid.gov.it](…)".
        pattern = re.compile(r"\[[A-Z][A-Z _.…-]{2,}\](?!\()|\bTODO\b|\bXXX\b|(?i:lorem ipsum)")
        for page in shipped_pages():
            with self.subTest(slug=page.slug):
                self.assertIsNone(pattern.search(page.body + page.title + page.summary))

    def test_the_licence_page_names_the_code_licence_and_open_data(self):
        body = shipped("note-legali").body
        self.assertIn("AGPL-3.0-or-later", body)
        self.assertIn("I dati del catalogo sono pubblicati come dati aperti", body)

    def test_the_accessibility_statement_has_the_agid_structure(self):
        body = shipped("accessibilita").body
        for heading in (
            "## Stato di conformità",
            "## Contenuti non accessibili",
            "## Come è stata preparata questa dichiarazione",
            "## Meccanismo di feedback",
            "## Procedura di attuazione",
        ):
            self.assertIn(heading, body)
        self.assertIn("**parzialmente conforme**", body)
        self.assertIn("autovalutazione", body)

    def test_the_cookie_page_names_every_cookie_the_site_can_set(self):
        body = shipped("cookie").body
        names = [
            settings.SESSION_COOKIE_NAME,
            settings.CSRF_COOKIE_NAME,
            settings.LANGUAGE_COOKIE_NAME,
        ]
        storage = getattr(
            settings, "MESSAGE_STORAGE", "django.contrib.messages.storage.fallback.FallbackStorage"
        )
        if storage.rsplit(".", 1)[-1] in {"FallbackStorage", "CookieStorage"}:
            names.append(CookieStorage.cookie_name)
        for name in names:
            self.assertIn(f"### {name}", body)

    def test_the_cookie_durations_on_the_page_match_the_settings(self):
        # If one of these fails, a setting changed: update cookie.md (and the page in the
        # staff area) so that the durations it states stay true.
        body = shipped("cookie").body
        self.assertEqual(settings.SESSION_COOKIE_AGE, 14 * 24 * 3600)
        self.assertIn("fino a due settimane", body)
        self.assertEqual(settings.CSRF_COOKIE_AGE, 52 * 7 * 24 * 3600)
        self.assertIn("fino a un anno", body)
        self.assertIsNone(settings.LANGUAGE_COOKIE_AGE)
        self.assertIn("fino a quando chiudi il browser", body)

    def test_the_mission_summary_is_short_enough_for_the_home_page(self):
        summary = shipped("missione").summary
        self.assertLessEqual(len(summary), 400)
        self.assertIn("a chi rivolgersi e come", summary)


class RenderingTests(TestCase):
    def test_markdown_renders_headings_lists_and_quotes(self):
        load()
        html = Page.objects.get(slug="missione").body_html()
        self.assertIn("<h2>Chi siamo</h2>", html)
        self.assertIn("<li>", html)
        self.assertIn("<blockquote>", html)
        self.assertIn("<strong>a chi rivolgersi e come</strong>", html)

    def test_every_shipped_page_renders_without_markdown_left_over(self):
        load()
        for page in Page.objects.all():
            with self.subTest(slug=page.slug):
                html = page.body_html()
                self.assertIn("<h2", html)
                self.assertNotIn("##", html)
                self.assertNotIn("**", html)

    def test_a_script_in_a_page_body_is_stripped(self):
        load()
        page = Page.objects.get(slug="privacy")
        page.body = (
            "## Titolo\n\n- uno\n\n<script>alert('x')</script>\n\n"
            '<a href="javascript:alert(1)" onclick="alert(2)">link</a>'
        )
        page.save()
        html = Page.objects.get(slug="privacy").body_html()
        self.assertIn("<h2>Titolo</h2>", html)
        self.assertIn("<li>uno</li>", html)
        self.assertNotIn("<script", html)
        self.assertNotIn("alert('x')", html)
        self.assertNotIn("javascript:", html)
        self.assertNotIn("onclick", html)


class FrontMatterTests(TestCase):
    VALID = (
        "---\nslug: prova\ntitle: 'Titolo: con due punti'\nsection: rete\norder: 5\n---\n## Testo\n"
    )

    def test_a_valid_file_is_parsed(self):
        page = parse_page(self.VALID)
        self.assertEqual(page.slug, "prova")
        self.assertEqual(page.title, "Titolo: con due punti")
        self.assertEqual(page.order, 5)
        self.assertEqual(page.summary, "")
        self.assertEqual(page.body, "## Testo\n")

    def test_malformed_files_are_refused_with_the_file_name(self):
        cases = {
            "## Nessuna intestazione\n": "manca l'intestazione",
            "---\nslug: prova\n": "non è chiusa",
            "---\nslug: prova\ntitle: T\nsection: rete\n---\nTesto\n": "mancano le chiavi order",
            "---\nslug: prova\ntitle: T\nsection: rete\norder: dieci\n---\nTesto\n": "intero",
            "---\nslug: prova\ntitle: T\nsection: rete\norder: 1\ncolore: blu\n---\nT\n": (
                "chiave sconosciuta «colore»"
            ),
            "---\nslug: prova\ntitle: T\nsection: altro\norder: 1\n---\nTesto\n": "section",
            "---\nslug: prova\ntitle: T\nsection: rete\norder: 1\n---\n\n": "è vuoto",
        }
        for text, message in cases.items():
            with self.subTest(message=message), self.assertRaises(ContentError) as caught:
                parse_page(text, name="prova.md")
            self.assertIn("prova.md", str(caught.exception))
            self.assertIn(message, str(caught.exception))
