"""The safety every public form shares: honeypot, submission token, rate limit, e-mails."""

import uuid
from unittest import mock

from django import forms
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory, TestCase, override_settings

from facciamorete.core.forms import SafeFormMixin
from facciamorete.core.ratelimit import ratelimit
from facciamorete.core.tasks import enqueue_email, language_of
from facciamorete.directory.tests.factories import UserFactory

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
EMAIL_TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [settings.BASE_DIR / "templates"],
        "OPTIONS": {
            "loaders": [
                (
                    "django.template.loaders.locmem.Loader",
                    {
                        "test/hello_subject.txt": "{% load i18n %}Ciao\n{{ name }}",
                        "test/hello.txt": (
                            "{% load i18n %}{% get_current_language as lang %}"
                            "lingua={{ lang }} nome={{ name }}"
                        ),
                    },
                )
            ]
        },
    }
]


class NoteForm(SafeFormMixin, forms.Form):
    text = forms.CharField(label="Testo")


def valid_data(**extra):
    return {"text": "Buongiorno", "submission_token": str(uuid.uuid4()), **extra}


class AHoneypot(TestCase):
    def test_a_person_who_leaves_it_empty_gets_through(self):
        form = NoteForm(valid_data())
        self.assertTrue(form.is_valid(), form.errors)
        self.assertFalse(form.is_spam)

    def test_a_robot_that_fills_it_in_is_refused(self):
        form = NoteForm(valid_data(homepage="https://spam.example"))
        self.assertFalse(form.is_valid())
        self.assertTrue(form.is_spam)

    def test_it_is_hidden_from_the_visible_fields_and_the_tab_order(self):
        form = NoteForm()
        self.assertEqual([f.name for f in form.visible_fields()], ["text"])
        self.assertIn('tabindex="-1"', str(form["homepage"]))


class ASubmissionToken(TestCase):
    def test_is_a_fresh_hidden_value_for_each_blank_form(self):
        first, second = str(NoteForm()["submission_token"]), str(NoteForm()["submission_token"])
        self.assertIn('type="hidden"', first)
        self.assertNotEqual(first, second)

    def test_a_form_without_it_asks_to_reload_the_page(self):
        form = NoteForm({"text": "Buongiorno"})
        self.assertFalse(form.is_valid())
        self.assertIn("ricarica la pagina", str(form.errors["submission_token"]))

    def test_an_invalid_field_is_marked_for_assistive_technology(self):
        form = NoteForm(valid_data(text=""))
        form.is_valid()
        widget = str(form["text"])
        self.assertIn("is-invalid", widget)
        self.assertIn('aria-invalid="true"', widget)


@ratelimit("2/m")
def limited_view(request):
    return HttpResponse("ok")


class ARateLimit(TestCase):
    def setUp(self):
        cache.clear()
        self.factory = RequestFactory()
        # Inside one window whatever the clock says: a minute boundary must not reset the count.
        clock = mock.patch("facciamorete.core.ratelimit.time.time", return_value=1_800_000_030.0)
        clock.start()
        self.addCleanup(clock.stop)

    def post(self, address="10.0.0.1"):
        return limited_view(self.factory.post("/", REMOTE_ADDR=address))

    def test_refuses_posts_beyond_the_rate_and_says_when_to_retry(self):
        self.assertEqual(self.post().status_code, 200)
        self.assertEqual(self.post().status_code, 200)
        refused = self.post()
        self.assertEqual(refused.status_code, 429)
        self.assertIn("Retry-After", refused)
        self.assertIn("Riprova tra", refused.content.decode())

    def test_counts_each_address_on_its_own_and_never_limits_reading(self):
        self.post(), self.post(), self.post()
        self.assertEqual(self.post("10.0.0.2").status_code, 200)
        self.assertEqual(
            limited_view(self.factory.get("/", REMOTE_ADDR="10.0.0.1")).status_code, 200
        )

    @override_settings(RATELIMIT_ENABLED=False)
    def test_can_be_switched_off(self):
        for _ in range(4):
            self.assertEqual(self.post().status_code, 200)


@override_settings(TASKS=IMMEDIATE_TASKS, TEMPLATES=EMAIL_TEMPLATES)
class AnEmail(TestCase):
    def test_is_sent_only_once_the_transaction_commits(self):
        with self.captureOnCommitCallbacks(execute=False) as callbacks:
            enqueue_email(to="anna@example.org", template="test/hello", context={"name": "Anna"})
        self.assertEqual(mail.outbox, [])
        for callback in callbacks:
            callback()
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].subject, "Ciao Anna")
        self.assertEqual(mail.outbox[0].to, ["anna@example.org"])

    def test_is_written_in_the_language_the_recipient_chose(self):
        UserFactory(email="olena@example.org", preferred_language="uk")
        with self.captureOnCommitCallbacks(execute=True):
            enqueue_email(to="olena@example.org", template="test/hello", context={"name": "O"})
        self.assertIn("lingua=uk", mail.outbox[0].body)

    def test_falls_back_to_the_language_given_then_to_the_site_language(self):
        self.assertEqual(language_of("nessuno@example.org", "en"), "en")
        self.assertEqual(language_of("nessuno@example.org"), "it")

    def test_keeps_apostrophes_and_ampersands_as_written(self):
        with self.captureOnCommitCallbacks(execute=True):
            enqueue_email(to="a@example.org", template="test/hello", context={"name": "L'Ape & co"})
        self.assertIn("nome=L'Ape & co", mail.outbox[0].body)
