"""The synthetic catalogue for benchmarks: the size asked for, complete rows, reproducible."""

from io import StringIO

from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import TestCase

from facciamorete.core.management.commands.seed_synthetic import (
    Plan,
    Vocabulary,
    build_services,
)
from facciamorete.directory.models import Location, Service
from facciamorete.organizations.models import Membership, Organization


def synthesize(**options) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("seed_synthetic", stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


class ASyntheticCatalogueOf500Services(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_reference", stdout=StringIO())
        cls.out, cls.err = synthesize(services=500, seed=3, batch_size=200)

    def test_has_500_services_and_about_a_tenth_as_many_active_organisations(self):
        self.assertEqual(Service.objects.count(), 500)
        self.assertEqual(Organization.objects.count(), 50)
        self.assertEqual(Organization.objects.published().count(), 50)
        self.assertEqual(Service.objects.published().count(), 500)

    def test_every_organisation_is_in_the_network(self):
        members = Membership.objects.current().values("organization").distinct()
        self.assertEqual(members.count(), 50)

    def test_every_service_has_one_location_in_an_italian_comune(self):
        services = Service.objects.annotate(n=Count("locations"))
        self.assertEqual(services.filter(n=1).count(), 500)
        located = Location.objects.filter(municipality__province__region__isnull=False)
        self.assertEqual(located.count(), 500)

    def test_every_service_has_a_family_and_a_timetable(self):
        services = Service.objects.annotate(
            families_n=Count("families", distinct=True), hours_n=Count("schedules", distinct=True)
        )
        self.assertFalse(services.filter(families_n=0).exists())
        self.assertFalse(services.filter(hours_n=0).exists())
        self.assertFalse(services.filter(hours_n__gt=2).exists())

    def test_names_say_they_are_synthetic(self):
        self.assertFalse(Service.objects.exclude(name__startswith="[sintetico]").exists())
        self.assertFalse(Organization.objects.exclude(name__startswith="[sintetico]").exists())

    def test_reports_progress_on_stderr_and_a_summary_on_stdout(self):
        self.assertIn("200/500 servizi", self.err)
        self.assertIn("500/500 servizi", self.err)
        self.assertIn("500 servizi", self.out)

    def test_a_rerun_with_the_same_seed_adds_nothing(self):
        out, _ = synthesize(services=500, seed=3)
        self.assertIn("Scritti 0 enti e 0 servizi", out)
        self.assertEqual(Service.objects.count(), 500)

    def test_a_larger_rerun_extends_the_same_catalogue(self):
        synthesize(services=650, seed=3)
        self.assertEqual(Service.objects.count(), 650)
        self.assertEqual(Organization.objects.count(), 65)

    def test_the_batch_size_does_not_change_what_is_generated(self):
        plan = Plan(seed=3, services=500, vocabulary=Vocabulary.load())
        whole = build_services(plan, 0, 300)["services"]
        parts = (
            build_services(plan, 0, 120)["services"] + build_services(plan, 120, 300)["services"]
        )
        self.assertEqual(
            [(s.id, s.name, s.cost_class, s.assured_date) for s in whole],
            [(s.id, s.name, s.cost_class, s.assured_date) for s in parts],
        )

    def test_clear_removes_the_synthetic_data(self):
        synthesize(clear=True)
        self.assertFalse(Service.objects.exists())
        self.assertFalse(Location.objects.exists())
        self.assertFalse(Organization.objects.exists())


class ASyntheticCatalogueWithoutReferenceData(TestCase):
    def test_asks_for_the_reference_data_first(self):
        with self.assertRaisesMessage(CommandError, "load_reference"):
            synthesize(services=10)

    def test_needs_a_number_of_services(self):
        with self.assertRaisesMessage(CommandError, "--services"):
            synthesize()
