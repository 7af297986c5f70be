"""SMS behind a small interface: the default backend writes the message to the log, so that a
deployment without an SMS provider still shows what would have been sent."""

import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string
from django_tasks import task

logger = logging.getLogger(__name__)


class LoggingSmsBackend:
    def send(self, *, to: str, text: str) -> None:
        logger.info("SMS to %s: %s", to, text)


@task()
def send_sms(*, to: str, text: str) -> None:
    import_string(settings.REFERRALS_SMS_BACKEND)().send(to=to, text=text)


def enqueue_sms(*, to: str, text: str) -> None:
    transaction.on_commit(lambda: send_sms.enqueue(to=to, text=text))


@task()
def send_referral_reminders() -> dict:
    """The daily reminders, for a scheduler that runs tasks (the same as the command)."""
    from .services import send_referral_reminders as remind

    return remind()


@task()
def apply_retention() -> int:
    """The daily retention pass, for a scheduler that runs tasks (the same as the command)."""
    from .services import apply_retention as anonymise_expired

    return anonymise_expired()
