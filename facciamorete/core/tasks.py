"""Background work shared by every app: e-mails, sent after the transaction that asked for them.

`enqueue_email()` is what a service calls. It waits for the surrounding transaction to commit (an
e-mail never announces something that was rolled back), then enqueues `send_email` on the
django-tasks backend (`manage.py db_worker` runs it). The e-mail is written in the recipient's
language: the one given, else the preferred language of the account with that address, else the
site's.

Arguments travel through the task queue as JSON: pass strings, numbers, lists and dicts only.
"""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template import Context
from django.template.loader import get_template
from django.utils import translation
from django_tasks import task


def language_of(email: str, default: str = "") -> str:
    """The language to write to `email` in: an account's preference, else `default`, else ours."""
    preferred = (
        get_user_model()
        .objects.filter(email__iexact=email)
        .values_list("preferred_language", flat=True)
        .first()
    )
    return preferred or default or settings.LANGUAGE_CODE


def render_plain(name: str, context: dict) -> str:
    """A plain-text template: no HTML escaping, so «L'Ape & co.» stays as it was written."""
    return get_template(name).template.render(Context(context, autoescape=False))


@task()
def send_email(*, to: list[str], template: str, context: dict, language: str = "") -> int:
    """Render `<template>_subject.txt` and `<template>.txt` in `language` and send them."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_plain(f"{template}_subject.txt", context).split())
        body = render_plain(f"{template}.txt", context)
    return send_mail(subject, body, None, to)


def enqueue_email(*, to: str, template: str, context: dict, language: str = "") -> None:
    """Send an e-mail to one address once the current transaction commits."""
    transaction.on_commit(
        partial(
            send_email.enqueue,
            to=[to],
            template=template,
            context=context,
            language=language_of(to, language),
        )
    )
