"""The cast every referrals test shares: one of each role, two desks, two organisations, and one
request from Aprilia (desk X) referred, with consent, to organisation A."""

from django.contrib.auth.models import Group
from django.test import TestCase, override_settings

from facciamorete.core.roles import COORDINATORS, ensure_groups
from facciamorete.directory.tests.factories import (
    OrganizationFactory,
    ServiceFactory,
    UserFactory,
    language,
    operator_of,
    term,
)

from . import factories

IMMEDIATE_TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
SECRET = "Vivo in macchina con due bambini"


@override_settings(TASKS=IMMEDIATE_TASKS, RATELIMIT_ENABLED=False)
class ReferralsTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        ensure_groups()
        term("aree-utenza", "famiglia-minori")
        term("aree-utenza", "anziani")
        language("ar")
        cls.org_a = OrganizationFactory(name="Caritas Aprilia", email="caritas@example.org")
        cls.org_b = OrganizationFactory(name="Croce Verde Latina", email="croce@example.org")
        cls.service_a = ServiceFactory(organization=cls.org_a, name="Emporio solidale")
        cls.service_b = ServiceFactory(organization=cls.org_b, name="Trasporto sociale")
        cls.desk_x = factories.desk("Osservatorio del Cittadino", comuni=("059001", "059005"))
        cls.desk_y = factories.desk(
            "Forum Immigrazione Latina", comuni=("059011",), kind="forum_immigrazione"
        )
        cls.visitor = None
        cls.person = UserFactory(email="amina@example.org")
        cls.op_a = operator_of(cls.org_a, "op.a@example.org")
        cls.op_b = operator_of(cls.org_b, "op.b@example.org")
        cls.desk_op_x = factories.desk_operator_of(cls.desk_x, "sportello.x@example.org")
        cls.desk_op_y = factories.desk_operator_of(cls.desk_y, "sportello.y@example.org")
        cls.coordinator = UserFactory(email="coord@example.org", is_staff=True)
        cls.coordinator.groups.add(Group.objects.get(name=COORDINATORS))
        cls.admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
        cls.hr = factories.help_request(description=SECRET, person=cls.person)
        cls.referral = factories.referral(cls.hr, cls.service_a, cls.desk_op_x)

    def login(self, user):
        if user is not None:
            self.client.force_login(user)
