"""The demo network of district LT1: what it holds, that it obeys the rules, that it reloads."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import reverse

from facciamorete.core.demo import demo_password
from facciamorete.core.roles import COORDINATORS, OPERATORS, ensure_groups
from facciamorete.directory.models import (
    Closure,
    Contact,
    Location,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceAtLocation,
)
from facciamorete.organizations.models import (
    Membership,
    Organization,
    OrganizationKind,
    OrganizationOperator,
)

LT1 = {"059001", "059005", "059006", "059022"}
FAMILIES = {
    "socio-assistenziale",
    "socio-sanitario",
    "giuridico-legale",
    "formativo",
    "educativo",
    "ricreativo",
}
DEMO_MODELS = [
    Organization,
    Membership,
    OrganizationOperator,
    Location,
    Service,
    ServiceAtLocation,
    Schedule,
    Closure,
    Contact,
    Phone,
    RequiredDocument,
]
OPERATOR = "operatore.forum-intercultura@facciamorete.example"
COORDINATOR = "coordinatore.lt1@facciamorete.example"
# Hashing the demo password with the real hasher costs seconds per run; the rules don't change.
FAST_HASHER = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


def load_reference_data() -> None:
    call_command("load_reference", stdout=StringIO())


def seed(**kwargs) -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, **kwargs)
    return out.getvalue()


def state() -> dict:
    """Every demo row with its last-modified time where it has one, and the users' hashes."""
    rows = {
        model.__name__: sorted(
            (str(pk), str(stamp))
            for pk, stamp in model.objects.values_list(
                "pk", "updated_at" if hasattr(model, "updated_at") else "pk"
            )
        )
        for model in DEMO_MODELS
    }
    rows["users"] = sorted(get_user_model().objects.values_list("email", "password"))
    return rows


@FAST_HASHER
class TheDemoNetwork(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_reference_data()
        cls.first_run = seed()

    def test_has_at_least_25_active_organisations_of_10_kinds_in_all_four_comuni(self):
        active = Organization.objects.published()
        self.assertGreaterEqual(active.count(), 25)
        self.assertGreaterEqual(len(set(active.values_list("kind", flat=True))), 10)
        self.assertLessEqual(LT1, set(active.values_list("municipality_id", flat=True)))

    def test_has_an_organisation_of_every_kind(self):
        kinds = set(Organization.objects.values_list("kind", flat=True))
        self.assertEqual(kinds, set(OrganizationKind.values))

    def test_has_at_least_80_active_services_and_every_family_is_well_represented(self):
        services = Service.objects.published()
        self.assertGreaterEqual(services.count(), 80)
        for family in FAMILIES:
            with self.subTest(family=family):
                self.assertGreaterEqual(services.filter(families__code=family).count(), 12)

    def test_every_demo_object_passes_full_clean(self):
        for model in DEMO_MODELS:
            for obj in model.objects.all():
                with self.subTest(model=model.__name__, obj=str(obj)):
                    obj.full_clean()

    def test_every_service_says_how_to_get_it_and_where(self):
        for service in Service.objects.prefetch_related("locations", "families", "languages"):
            with self.subTest(service=service.slug):
                self.assertTrue(service.application_process and service.description)
                self.assertTrue(service.families.all() and service.languages.all())
                self.assertTrue(service.locations.all())

    def test_timetables_include_a_night_shelter_saturdays_and_august_closures(self):
        self.assertTrue(Schedule.objects.filter(closes_next_day=True).exists())
        self.assertTrue(Schedule.objects.filter(byday__contains="SA").exists())
        august = Closure.objects.filter(every_year=True, start_date__month__lte=8)
        self.assertTrue(august.filter(end_date__month__gte=8).exists())

    def test_running_it_again_changes_nothing_and_says_so(self):
        before = state()
        output = seed()
        self.assertIn("nessuna modifica", output)
        self.assertEqual(state(), before)

    def test_a_demo_service_edited_by_hand_is_put_back(self):
        service = Service.objects.get(slug="emporio-solidale-aprilia")
        Service.objects.filter(pk=service.pk).update(name="Cambiato a mano")
        service.schedules.all().delete()
        output = seed()
        self.assertIn("1 servizi", output)
        service.refresh_from_db()
        self.assertEqual(service.name, "Emporio solidale: la spesa con la tessera a punti")
        self.assertEqual(service.schedules.count(), 2)

    def test_the_operator_can_log_in_to_the_staff_area(self):
        self.assertTrue(self.client.login(username=OPERATOR, password=demo_password()))
        self.assertEqual(self.client.get(reverse("admin:index")).status_code, 200)

    def test_each_operator_works_for_one_organisation(self):
        links = OrganizationOperator.objects.filter(user__email__startswith="operatore.")
        self.assertEqual(links.count(), 2)
        self.assertEqual(len({link.organization_id for link in links}), 2)

    def test_operators_edit_services_but_only_read_the_vocabularies(self):
        user = get_user_model().objects.get(email=OPERATOR)
        self.assertTrue(user.is_staff and not user.is_superuser)
        self.assertTrue(user.groups.filter(name=OPERATORS).exists())
        for perm in [
            "directory.add_service",
            "directory.delete_schedule",
            "core.view_taxonomyterm",
        ]:
            self.assertTrue(user.has_perm(perm), perm)
        for perm in ["core.change_taxonomyterm", "organizations.delete_organization"]:
            self.assertFalse(user.has_perm(perm), perm)

    def test_the_coordinator_reads_everything_and_changes_nothing(self):
        user = get_user_model().objects.get(email=COORDINATOR)
        self.assertTrue(user.groups.filter(name=COORDINATORS).exists())
        self.assertTrue(user.has_perm("organizations.view_membership"))
        self.assertTrue(user.has_perm("directory.view_closure"))
        self.assertFalse(user.has_perm("directory.change_service"))

    def test_the_admin_is_a_superuser(self):
        admin = get_user_model().objects.get(email="admin@facciamorete.example")
        self.assertTrue(admin.is_superuser and admin.is_staff)

    def test_ensure_groups_a_second_time_changes_nothing(self):
        self.assertEqual(ensure_groups(), [])

    def test_demo_logins_prints_url_accounts_organisations_and_password(self):
        out = StringIO()
        call_command("demo_logins", stdout=out)
        text = out.getvalue()
        for expected in [
            "http://127.0.0.1:8000/admin/",
            OPERATOR,
            COORDINATOR,
            "Forum Intercultura Pontino APS",
            "Cooperativa sociale Mani di Cura",
            demo_password(),
        ]:
            self.assertIn(expected, text)


@FAST_HASHER
class TheDemoWithoutReferenceData(TestCase):
    def test_stops_and_says_to_load_the_reference_data_first(self):
        with self.assertRaisesMessage(CommandError, "esegui prima manage.py load_reference"):
            seed()
        self.assertFalse(Organization.objects.exists())

    def test_demo_logins_says_to_seed_first(self):
        out = StringIO()
        call_command("demo_logins", stdout=out)
        self.assertIn("seed_demo", out.getvalue())
