"""A person's data: export as JSON, erasure that keeps the figures, the retention command, and
nobody but a network admin may export or erase."""

import datetime as dt
import json
import uuid
from io import StringIO

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from facciamorete.directory.tests.factories import municipality, term
from facciamorete.referrals import services
from facciamorete.referrals.models import (
    AuditEntry,
    HelpRequest,
    HouseholdMember,
    Referral,
    ReferralEvent,
)

from . import factories
from .base import SECRET, ReferralsTestCase


def figures() -> dict:
    """What the aggregate pages count: requests by comune, area and state; referrals by state."""
    return {
        "by_comune": sorted(
            HelpRequest.objects.values_list("municipality__name", "status").annotate(n=Count("pk"))
        ),
        "by_area": sorted(
            HelpRequest.objects.values_list("areas__code").annotate(n=Count("pk", distinct=True))
        ),
        "referrals": sorted(Referral.objects.values_list("status").annotate(n=Count("pk"))),
    }


class PersonalData(ReferralsTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.family, _created = services.help_request_submit(
            token=uuid.uuid4(),
            fields={
                "description": "Sfratto a fine mese, due figli piccoli",
                "municipality": municipality("059001"),
                "contact_channel": "email",
                "email": "karim@example.org",
                "name": "Karim Haddad",
                "birth_date": dt.date(1985, 3, 4),
            },
            areas=[term("aree-utenza", "famiglia-minori")],
            members=[("Yasmin", 2016), ("Omar", 2019)],
            taken_by=cls.desk_op_x,
        )
        cls.family_referral = services.referral_create(
            help_request=cls.family,
            service=cls.service_b,
            by=cls.desk_op_x,
            consent_given=True,
            note="Karim parla solo arabo",
        )
        for step in ("seen", "accepted", "in_progress", "closed"):
            cls.family_referral = services.referral_transition(
                referral=cls.family_referral,
                to=step,
                by=cls.op_b,
                version=cls.family_referral.version,
                outcome="got_help",
                note="Chiamato Karim al 333" if step == "seen" else "",
            )

    def erase_url(self, hr=None):
        return reverse("admin:referrals_helprequest_erase", args=[(hr or self.family).code])

    def export_url(self, hr=None):
        return reverse("admin:referrals_helprequest_export", args=[(hr or self.family).code])

    def test_a_network_admin_exports_everything_recorded_about_the_person_as_json(self):
        self.login(self.admin)
        response = self.client.post(self.export_url())
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response["Content-Disposition"])
        data = json.loads(response.content)
        [exported] = data["requests"]
        self.assertEqual(exported["name"], "Karim Haddad")
        self.assertEqual(exported["email"], "karim@example.org")
        self.assertEqual(
            exported["household"],
            [
                {"first_name": "Yasmin", "birth_year": 2016},
                {"first_name": "Omar", "birth_year": 2019},
            ],
        )
        self.assertEqual(exported["referrals"][0]["note"], "Karim parla solo arabo")
        self.assertEqual(len(exported["referrals"][0]["events"]), 5)
        self.assertEqual(len(exported["consents"]), 2)
        self.assertTrue(
            AuditEntry.objects.filter(
                user=self.admin, action=AuditEntry.Action.EXPORT, object_id=self.family.code
            ).exists()
        )

    def test_the_export_of_a_person_with_an_account_holds_all_their_requests(self):
        other = factories.help_request(description="Serve un corso di italiano", person=self.person)
        data = services.person_data_export(help_request=self.hr, by=self.admin)
        self.assertEqual(
            sorted(r["code"] for r in data["requests"]), sorted([self.hr.code, other.code])
        )
        self.assertEqual(data["requests"][0]["description"], SECRET)

    def test_erasure_anonymises_the_request_household_contacts_and_notes(self):
        household = self.family.household
        self.login(self.admin)
        response = self.client.post(self.erase_url(), {"confirm": "on"})
        self.assertRedirects(
            response, reverse("admin:referrals_helprequest_detail", args=[self.family.code])
        )
        hr = HelpRequest.objects.get(pk=self.family.pk)
        self.assertEqual((hr.description, hr.name, hr.email, hr.phone), ("", "", "", ""))
        self.assertIsNone(hr.birth_date)
        self.assertIsNone(hr.household)
        self.assertTrue(hr.anonymised_at)
        self.assertFalse(HouseholdMember.objects.filter(household=household).exists())
        referral = Referral.objects.get(pk=self.family_referral.pk)
        self.assertEqual(referral.note, "")
        self.assertFalse(ReferralEvent.objects.filter(referral=referral).exclude(note="").exists())
        self.assertTrue(
            AuditEntry.objects.filter(
                user=self.admin, action=AuditEntry.Action.ERASE, object_id=self.family.code
            ).exists()
        )
        exported = services.person_data_export(help_request=hr, by=self.admin)
        self.assertNotIn("Karim", json.dumps(exported))

    def test_erasure_keeps_the_counts_by_comune_area_and_state(self):
        before = figures()
        services.help_request_erase(help_request=self.family, by=self.admin)
        self.assertEqual(figures(), before)
        hr = HelpRequest.objects.get(pk=self.family.pk)
        self.assertEqual(hr.status, HelpRequest.Status.CLOSED)
        self.assertEqual(hr.municipality, municipality("059001"))
        self.assertEqual(Referral.objects.get(pk=self.family_referral.pk).outcome, "got_help")

    def test_the_figures_page_shows_the_same_numbers_after_erasure(self):
        self.login(self.admin)
        summary = reverse("admin:referrals_unmetneed_changelist")
        before = self.client.get(summary).context
        services.help_request_erase(help_request=self.family, by=self.admin)
        after = self.client.get(summary).context
        self.assertEqual(list(after["requests_by"]), list(before["requests_by"]))
        self.assertEqual(list(after["referrals_by"]), list(before["referrals_by"]))

    def test_erasing_an_open_request_cancels_its_referrals(self):
        services.help_request_erase(help_request=self.hr, by=self.admin)
        self.assertEqual(
            Referral.objects.get(pk=self.referral.pk).status, Referral.Status.CANCELLED
        )
        hr = HelpRequest.objects.get(pk=self.hr.pk)
        self.assertEqual((hr.status, hr.description), (HelpRequest.Status.WITHDRAWN, ""))
        self.assertIsNone(hr.person)

    def test_erasure_can_be_repeated_without_harm(self):
        services.help_request_erase(help_request=self.family, by=self.admin)
        self.assertEqual(services.help_request_erase(help_request=self.family, by=self.admin), [])

    def test_the_follow_up_link_of_an_erased_request_no_longer_works(self):
        token = services.follow_up_token(self.family_referral)
        services.help_request_erase(help_request=self.family, by=self.admin)
        link = reverse("referrals:follow_up", args=[token])
        self.assertEqual(self.client.get(link).status_code, 404)

    def test_operators_desk_operators_and_coordinators_cannot_export_or_erase(self):
        for user in (self.op_a, self.op_b, self.desk_op_x, self.desk_op_y, self.coordinator):
            with self.subTest(user=user.email):
                with self.assertRaises(PermissionDenied):
                    services.person_data_export(help_request=self.family, by=user)
                with self.assertRaises(PermissionDenied):
                    services.help_request_erase(help_request=self.family, by=user)
                self.client.force_login(user)
                self.assertEqual(self.client.post(self.export_url()).status_code, 403)
                response = self.client.post(self.erase_url(), {"confirm": "on"})
                self.assertEqual(response.status_code, 403)
        hr = HelpRequest.objects.get(pk=self.family.pk)
        self.assertEqual(hr.name, "Karim Haddad")
        self.assertIsNone(hr.anonymised_at)
        self.assertFalse(
            AuditEntry.objects.filter(
                action__in=[AuditEntry.Action.EXPORT, AuditEntry.Action.ERASE]
            ).exists()
        )

    def test_a_person_or_a_visitor_cannot_export_or_erase(self):
        self.login(self.person)
        self.assertNotEqual(self.client.post(self.export_url(self.hr)).status_code, 200)
        self.client.logout()
        self.client.post(self.erase_url(self.hr), {"confirm": "on"})
        self.assertEqual(HelpRequest.objects.get(pk=self.hr.pk).description, SECRET)

    def test_the_desk_operator_does_not_see_the_export_and_erase_buttons(self):
        self.login(self.desk_op_x)
        page = self.client.get(
            reverse("admin:referrals_helprequest_detail", args=[self.family.code])
        )
        self.assertNotContains(page, self.export_url())
        self.login(self.admin)
        page = self.client.get(
            reverse("admin:referrals_helprequest_detail", args=[self.family.code])
        )
        self.assertContains(page, self.export_url())
        self.assertContains(page, self.erase_url())

    def test_erasure_needs_the_confirmation(self):
        self.login(self.admin)
        self.client.post(self.erase_url())
        self.assertIsNone(HelpRequest.objects.get(pk=self.family.pk).anonymised_at)


class Retention(ReferralsTestCase):
    def age(self, hr, days: int):
        HelpRequest.objects.filter(pk=hr.pk).update(
            updated_at=timezone.now() - dt.timedelta(days=days)
        )

    def test_closed_requests_older_than_the_retention_period_are_anonymised_once(self):
        old_closed = factories.help_request(description="Vecchia richiesta")
        factories.closed_referral(old_closed, self.service_b, self.op_b, self.desk_op_x)
        recent_closed = factories.help_request(description="Richiesta recente")
        factories.closed_referral(recent_closed, self.service_b, self.op_b, self.desk_op_x)
        self.age(old_closed, 800)
        self.age(recent_closed, 100)
        self.age(self.hr, 800)  # old but still open: kept
        before = figures()
        with self.settings(REFERRAL_RETENTION_DAYS=730):
            self.assertEqual(services.apply_retention(), 1)
            self.assertEqual(services.apply_retention(), 0)  # idempotent
        self.assertEqual(HelpRequest.objects.get(pk=old_closed.pk).description, "")
        self.assertEqual(
            HelpRequest.objects.get(pk=recent_closed.pk).description, "Richiesta recente"
        )
        self.assertEqual(HelpRequest.objects.get(pk=self.hr.pk).description, SECRET)
        self.assertEqual(figures(), before)
        entry = AuditEntry.objects.get(action=AuditEntry.Action.ERASE)
        self.assertEqual(
            (entry.object_id, entry.user, entry.detail), (old_closed.code, None, "conservazione")
        )

    def test_withdrawn_requests_are_anonymised_too(self):
        services.help_request_withdraw(help_request=self.hr)
        self.age(self.hr, 800)
        self.assertEqual(services.apply_retention(days=730), 1)
        self.assertEqual(HelpRequest.objects.get(pk=self.hr.pk).name, "")

    def test_the_retention_command_anonymises_and_can_run_twice(self):
        services.help_request_withdraw(help_request=self.hr)
        self.age(self.hr, 40)
        out = StringIO()
        call_command("apply_retention", "--days", "30", stdout=out)
        call_command("apply_retention", "--days", "30", stdout=out)
        self.assertEqual(out.getvalue().split(), ["anonymised:", "1", "anonymised:", "0"])

    def test_the_retention_task_runs_the_same_pass(self):
        from facciamorete.referrals.tasks import apply_retention

        services.help_request_withdraw(help_request=self.hr)
        self.age(self.hr, 10_000)
        self.assertEqual(apply_retention.enqueue().return_value, 1)
