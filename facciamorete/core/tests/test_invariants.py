"""Rules every public page keeps, checked on every page found in the URL configuration."""

import re
from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern

from facciamorete.core.models import Page
from facciamorete.directory.tests.factories import ServiceFactory
from facciamorete.engagement.tests.factories import sample_arguments as engagement_arguments
from facciamorete.referrals.tests.factories import sample_arguments as referrals_arguments


def public_url_names(resolver=None, namespace="") -> list[str]:
    """Every named page for people: the routes inside the language-prefixed part of the URL
    configuration (the staff area, the APIs and the language switch live outside it)."""
    if resolver is None:
        roots = [
            entry
            for entry in get_resolver().url_patterns
            if isinstance(entry, URLResolver) and isinstance(entry.pattern, LocalePrefixPattern)
        ]
        return [name for root in roots for name in public_url_names(root)]
    names = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names.extend(public_url_names(entry, inner))
        elif isinstance(entry, URLPattern) and entry.name:
            names.append(namespace + entry.name)
    return names


class EveryPublicPage(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.service = ServiceFactory()
        Page.objects.create(slug="missione", title="Missione", body="Testo")
        Page.objects.create(slug="privacy", title="Privacy", body="Testo", section="note-legali")

    def sample_arguments(self) -> dict[str, list]:
        """How to reach each page that takes arguments; a new page must be added here."""
        return {
            "directory:service_detail": [self.service.slug],
            "organizations:detail": [self.service.organization.slug],
            "core:page": ["missione"],
            "core:legal": ["privacy"],
            **engagement_arguments(),
            **referrals_arguments(),
        }

    def urls(self) -> list[str]:
        arguments = self.sample_arguments()
        urls = []
        for name in public_url_names():
            pattern_has_args = name in arguments
            urls.append(reverse(name, args=arguments[name]) if pattern_has_args else reverse(name))
        return urls

    def test_answers_and_has_exactly_one_h1(self):
        for url in self.urls():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            h1s = re.findall(rb"<h1[\s>]", response.content)
            self.assertEqual(len(h1s), 1, f"{url} has {len(h1s)} <h1>")

    def test_links_the_privacy_and_accessibility_pages_from_the_footer(self):
        for url in self.urls():
            response = self.client.get(url)
            self.assertContains(response, 'data-element="privacy-policy-link"')
            self.assertContains(response, 'data-element="accessibility-link"')

    def test_has_a_skip_link_to_the_main_content(self):
        for url in self.urls():
            self.assertContains(self.client.get(url), 'href="#main"')

    def test_loads_nothing_from_other_hosts(self):
        for url in self.urls():
            content = self.client.get(url).content.decode()
            external = re.findall(r'(?:src|href)="(https?://[^"]+)"', content)
            loaded = [u for u in external if re.search(r"\.(css|js|woff2?|png|svg)(\?|$)", u)]
            self.assertEqual(loaded, [], url)


class TheProject(TestCase):
    def test_has_no_pending_migrations(self):
        out = StringIO()
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
        self.assertIn("No changes detected", out.getvalue())
