from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import TestCase, override_settings

from facciamorete.core.roles import COORDINATORS, ensure_groups
from facciamorete.directory.tests.factories import UserFactory

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@override_settings(TASKS=IMMEDIATE_TASKS)
class EngagementTestCase(TestCase):
    """E-mails are sent at once into mail.outbox; every test starts with fresh rate limits."""

    def setUp(self):
        cache.clear()

    def submit(self, url, data=None, **extra):
        """POST as a browser does, running what waits for the commit (the e-mails)."""
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(url, data or {}, **extra)


def coordinator(email: str = "coordinatrice@example.org"):
    ensure_groups()
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATORS))
    return user
