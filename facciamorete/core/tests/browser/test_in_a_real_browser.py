"""What only a browser shows: accessibility rules (axe-core), journeys with and without
JavaScript, printing. Debian's Chromium is driven by Playwright; no browser is downloaded.

Skipped, saying why, where Chromium is not installed (`.ci/run` installs it).
"""

import os
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.urls import translate_url

from facciamorete.core.models import Page
from facciamorete.core.tests import test_invariants as invariants
from facciamorete.directory.models import Phone
from facciamorete.directory.tests.factories import LocationFactory, ScheduleFactory, ServiceFactory

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or ""
AXE = Path(__file__).parent / "vendor" / "axe-4.11.0.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# What a 1280-pixel-wide screen shows at 200% zoom (WCAG 1.4.4, 1.4.10), and a small phone.
ZOOMED_WIDTHS = (640, 320)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM, reason="Chromium not installed (apt-get install chromium)"),
]


class InARealBrowser(StaticLiveServerTestCase):
    @classmethod
    def setUpClass(cls):
        # Playwright's sync API runs an event loop in this thread; Django's ORM is only used
        # by the live server's own thread and by the test's setUp, outside that loop.
        os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        super().setUpClass()
        from playwright.sync_api import sync_playwright

        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        super().tearDownClass()

    def setUp(self):
        self.service = ServiceFactory(
            name="Sportello emergenza affitto",
            description="Aiuto per chi non riesce a pagare l'affitto.",
        )
        location = LocationFactory(organization=self.service.organization)
        location.services.add(self.service)
        ScheduleFactory(service=self.service)
        ServiceFactory(name="Corso di italiano", families=["formativo"])
        Page.objects.create(slug="missione", title="Missione", body="## Chi siamo\n\nUna rete.")
        Page.objects.create(slug="privacy", title="Privacy", body="Testo.", section="note-legali")

    # The same pages the invariant tests visit: every public route in the URL configuration.
    sample_arguments = invariants.EveryPublicPage.sample_arguments
    urls = invariants.EveryPublicPage.urls

    def page(self, *, javascript: bool = True, locale: str = "it-IT"):
        context = self.browser.new_context(
            java_script_enabled=javascript, bypass_csp=True, locale=locale
        )
        self.addCleanup(context.close)
        return context.new_page()

    def axe_violations(self, page) -> list[str]:
        page.add_script_tag(path=str(AXE))
        found = page.evaluate(
            """async (tags) => {
                const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
                return result.violations.map(
                    v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).join(', ')}`
                );
            }""",
            WCAG_AA,
        )
        return found

    def test_every_public_page_has_no_wcag_2_1_aa_violations_left_to_right_and_right_to_left(self):
        page = self.page()
        for url in self.urls():
            for language in ("it", "ar"):
                for width in (1280, 320):
                    page.set_viewport_size({"width": width, "height": 900})
                    page.goto(self.live_server_url + translate_url(url, language))
                    self.assertEqual(
                        self.axe_violations(page), [], f"{url} in {language} at {width}px"
                    )

    def test_no_page_asks_any_other_host_for_anything(self):
        page = self.page()
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        for url in self.urls():
            page.goto(self.live_server_url + url)
        foreign = [u for u in requested if not u.startswith(self.live_server_url)]
        self.assertEqual(foreign, [])

    def test_search_and_filter_without_javascript(self):
        self._search_and_filter(self.page(javascript=False))

    def test_search_and_filter_with_javascript(self):
        self._search_and_filter(self.page(javascript=True))

    def _search_and_filter(self, page):
        page.goto(self.live_server_url + "/")
        page.get_by_label("Di che cosa hai bisogno?").first.fill("affitto")
        page.get_by_role("button", name="Cerca").nth(1).click()
        page.wait_for_url("**/servizi/?q=affitto")
        self.assertIn("1 servizio trovato", page.content())
        page.get_by_role("link", name="Sportello emergenza affitto").click()
        self.assertEqual(page.locator("h1").inner_text(), "Sportello emergenza affitto")
        page.go_back()
        page.goto(self.live_server_url + "/servizi/")
        page.locator("label", has_text="formativo").click()  # the box is drawn by its label
        page.get_by_role("button", name="Applica i filtri").click()
        self.assertIn("family=formativo", page.url)
        self.assertIn("Corso di italiano", page.content())
        self.assertNotIn("Sportello emergenza affitto", page.locator("main").inner_text())

    def test_the_keyboard_reaches_the_main_content_first(self):
        page = self.page()
        page.goto(self.live_server_url + "/servizi/")
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent")
        self.assertEqual(focused.strip(), "Vai al contenuto principale")
        page.keyboard.press("Enter")
        self.assertTrue(page.url.endswith("#main"))

    def test_the_menu_opens_on_a_phone_without_javascript(self):
        page = self.page(javascript=False)
        page.set_viewport_size({"width": 360, "height": 800})
        page.goto(self.live_server_url + "/")
        services_link = page.get_by_role("link", name="Servizi", exact=True)
        self.assertFalse(services_link.is_visible())
        page.get_by_text("Menu", exact=True).click()
        self.assertTrue(services_link.is_visible())

    def test_a_service_page_prints_on_one_a4_sheet_without_the_site_header(self):
        page = self.page()
        page.goto(self.live_server_url + self.service.get_absolute_url())
        pdf = page.pdf(format="A4")
        self.assertEqual(pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>>"), 1)
        page.emulate_media(media="print")
        self.assertFalse(page.locator("header.it-header-wrapper").is_visible())
        self.assertTrue(page.locator("h1").is_visible())

    def test_a_browser_set_to_arabic_opens_the_site_in_arabic_right_to_left(self):
        page = self.page(locale="ar")
        page.goto(self.live_server_url + "/servizi/")
        self.assertEqual(page.url, f"{self.live_server_url}/ar/servizi/")
        self.assertEqual(page.locator("html").get_attribute("dir"), "rtl")
        self.assertEqual(page.evaluate("getComputedStyle(document.body).direction"), "rtl")
        self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 1280)

    def test_switching_language_keeps_the_person_on_the_same_page(self):
        page = self.page(javascript=False)
        url = self.service.get_absolute_url()
        page.goto(self.live_server_url + url)
        page.locator(".fr-languages > summary").click()
        page.get_by_role("link", name="English").click()
        self.assertEqual(page.url, f"{self.live_server_url}/en{url}")
        self.assertEqual(page.locator("html").get_attribute("lang"), "en")
        page.goto(self.live_server_url + "/servizi/")  # the choice is remembered
        self.assertEqual(page.url, f"{self.live_server_url}/en/servizi/")
        page.locator(".fr-languages > summary").click()
        page.get_by_role("link", name="العربية").click()
        self.assertEqual(page.locator("html").get_attribute("dir"), "rtl")

    def test_asking_for_help_end_to_end_without_javascript(self):
        self._ask_for_help(self.page(javascript=False))

    def test_asking_for_help_end_to_end_with_javascript(self):
        self._ask_for_help(self.page(javascript=True))

    def _ask_for_help(self, page):
        page.goto(self.live_server_url + "/chiedi-aiuto/")
        page.get_by_label("Di che cosa hai bisogno? Scrivilo con parole tue").fill(
            "Non riesco a pagare l'affitto di questo mese."
        )
        page.get_by_label("In quale comune vivi?").select_option(index=1)
        # Radios and boxes are drawn by their labels: the person clicks the label.
        page.locator("label", has_text=re.compile(r"^Telefono$")).click()
        page.get_by_label("Numero di telefono").fill("333 1234567")
        page.get_by_role("button", name="Invia la richiesta").click()
        # Without the consent the request is not sent, and the form says why.
        self.assertIn("Per inviare la richiesta serve il tuo consenso.", page.content())
        page.locator("label", has_text="Ho letto l'informativa qui sopra").click()
        self.assertTrue(
            page.get_by_label("Ho letto l'informativa qui sopra e sono d'accordo").is_checked()
        )
        page.get_by_role("button", name="Invia la richiesta").click()
        page.wait_for_url("**/chiedi-aiuto/inviata/")
        code = page.locator("#reference-code").inner_text().strip()
        self.assertRegex(code, r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")
        page.get_by_role("link", name="Vedi lo stato della richiesta").click()
        page.wait_for_url("**/chiedi-aiuto/stato/")
        page.get_by_label("Codice della richiesta").fill(code.lower())
        page.get_by_label("Il telefono o l'e-mail che hai indicato").fill("3331234567")
        page.get_by_role("button", name="Vedi lo stato").click()
        page.wait_for_url("**/chiedi-aiuto/stato/")
        self.assertIn(f"Richiesta {code}", page.locator("main").inner_text())

    def test_the_handout_of_a_search_prints_on_one_a4_sheet_with_its_qr_code(self):
        for n in range(1, 8):
            service = ServiceFactory(
                name=f"Sportello affitto {n}",
                description="Aiuto per chi non riesce a pagare l'affitto.",
                application_process="Telefona o passa in sede negli orari di apertura, "
                "portando un documento d'identità, il contratto d'affitto e l'ultimo ISEE. "
                "Un operatore ti ascolta e ti accompagna nella domanda di contributo.",
            )
            location = LocationFactory(organization=service.organization)
            location.services.add(service)
            ScheduleFactory(service=service)
            ScheduleFactory(service=service, byday="TU,TH", opens_at="15:00", closes_at="18:00")
            Phone.objects.create(service=service, number="0773 123456")
        page = self.page()
        page.goto(self.live_server_url + "/servizi/?q=affitto")
        page.get_by_role("link", name="Foglio da stampare o da condividere, con codice QR").click()
        page.wait_for_url("**/trova-aiuto/stampa/?q=affitto")
        self.assertEqual(page.locator("main ol > li").count(), 8)
        self.assertTrue(page.locator(".fr-qr svg").is_visible())
        pdf = page.pdf(format="A4")
        self.assertEqual(pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page>>"), 1)
        page.emulate_media(media="print")
        self.assertTrue(page.locator(".fr-qr svg").is_visible())
        self.assertFalse(page.locator("header.it-header-wrapper").is_visible())

    def test_every_public_page_is_readable_at_200_percent_zoom_without_scrolling_sideways(self):
        page = self.page()
        too_wide = []
        for width in ZOOMED_WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            for url in self.urls():
                for language in ("it", "ar"):
                    page.goto(self.live_server_url + translate_url(url, language))
                    scroll_width = page.evaluate("document.documentElement.scrollWidth")
                    if scroll_width > width:
                        too_wide.append(f"{url} in {language} at {width}px: {scroll_width}px")
        self.assertEqual(too_wide, [])
