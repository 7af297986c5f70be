"""Reminders after N working days, and the question to the person after closing."""

import datetime as dt
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from facciamorete.referrals import services
from facciamorete.referrals.models import AuditEntry, Referral, ReferralEvent

from . import factories
from .base import ReferralsTestCase

S = Referral.Status
HOLIDAYS = {"HOLIDAYS_COUNTRY": "IT", "HOLIDAYS_SUBDIV": "", "EXTRA_HOLIDAYS": []}


def at(day: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(f"{day}T10:00"))


@override_settings(REFERRAL_REMINDER_WORKING_DAYS=2, **HOLIDAYS)
class Reminders(ReferralsTestCase):
    def sent_on(self, day: str, referral=None):
        referral = referral or self.referral
        Referral.objects.filter(pk=referral.pk).update(created_at=at(day))
        ReferralEvent.objects.filter(referral=referral).update(at=at(day))

    def remind(self, day: str) -> dict:
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True):
            return services.send_referral_reminders(today=dt.date.fromisoformat(day))

    def test_working_days_skip_weekends_and_public_holidays(self):
        friday, tuesday = dt.date(2026, 11, 6), dt.date(2026, 11, 10)
        self.assertEqual(services.working_days_between(friday, tuesday), 2)
        # 8 December (Immacolata) is a holiday in Italy.
        self.assertEqual(
            services.working_days_between(dt.date(2026, 12, 7), dt.date(2026, 12, 9)), 1
        )

    def test_a_referral_not_seen_for_n_working_days_reminds_the_organisation_operators(self):
        self.sent_on("2026-11-02")  # Monday
        self.assertEqual(self.remind("2026-11-03"), {"organization": 0, "desk": 0})
        self.assertEqual(self.remind("2026-11-04"), {"organization": 1, "desk": 0})
        self.assertEqual([m.to for m in mail.outbox], [["op.a@example.org"]])
        self.assertIn("Emporio solidale", mail.outbox[0].subject)
        self.assertNotIn(self.hr.description, mail.outbox[0].body)
        self.assertTrue(Referral.objects.get(pk=self.referral.pk).org_reminded_at)

    def test_a_weekend_does_not_count_towards_the_reminder(self):
        self.sent_on("2026-11-06")  # Friday
        self.assertEqual(self.remind("2026-11-09")["organization"], 0)
        self.assertEqual(self.remind("2026-11-10")["organization"], 1)

    def test_a_public_holiday_does_not_count_towards_the_reminder(self):
        self.sent_on("2026-12-07")
        self.assertEqual(self.remind("2026-12-09")["organization"], 0)
        self.assertEqual(self.remind("2026-12-10")["organization"], 1)

    def test_each_reminder_is_sent_once(self):
        self.sent_on("2026-11-02")
        self.remind("2026-11-04")
        self.assertEqual(self.remind("2026-11-05"), {"organization": 0, "desk": 0})
        self.assertEqual(mail.outbox, [])

    def test_after_another_n_working_days_the_referring_desk_is_reminded_once(self):
        self.sent_on("2026-11-02")
        with mock.patch("django.utils.timezone.now", return_value=at("2026-11-04")):
            self.remind("2026-11-04")
        self.assertEqual(self.remind("2026-11-05")["desk"], 0)
        self.assertEqual(self.remind("2026-11-06"), {"organization": 0, "desk": 1})
        self.assertEqual([m.to for m in mail.outbox], [["sportello@example.org"]])
        self.assertIn(self.hr.code, mail.outbox[0].subject)
        self.assertEqual(self.remind("2026-11-20"), {"organization": 0, "desk": 0})
        reminders = AuditEntry.objects.filter(action=AuditEntry.Action.REMIND)
        self.assertEqual(sorted(reminders.values_list("detail", flat=True)), ["ente", "sportello"])

    def test_a_seen_referral_not_answered_also_reminds_counting_from_when_it_was_seen(self):
        self.sent_on("2026-11-02")
        with mock.patch("django.utils.timezone.now", return_value=at("2026-11-04")):
            services.referral_transition(
                referral=self.referral, to=S.SEEN, by=self.op_a, version=self.referral.version
            )
        self.assertEqual(self.remind("2026-11-05")["organization"], 0)
        self.assertEqual(self.remind("2026-11-06")["organization"], 1)

    def test_an_answered_referral_is_not_reminded(self):
        self.sent_on("2026-11-02")
        for step in (S.SEEN, S.ACCEPTED):
            referral = Referral.objects.get(pk=self.referral.pk)
            services.referral_transition(
                referral=referral, to=step, by=self.op_a, version=referral.version
            )
        self.assertEqual(self.remind("2026-11-30"), {"organization": 0, "desk": 0})

    def test_the_command_sends_the_reminders(self):
        self.sent_on("2020-01-06")
        out = StringIO()
        call_command("send_referral_reminders", stdout=out)
        self.assertIn("1 to organisations", out.getvalue())

    def test_the_task_sends_the_reminders_too(self):
        from facciamorete.referrals.tasks import send_referral_reminders

        self.sent_on("2020-01-06")
        result = send_referral_reminders.enqueue()
        self.assertEqual(result.return_value, {"organization": 1, "desk": 0})


class FollowUp(ReferralsTestCase):
    def close(self, help_request):
        with self.captureOnCommitCallbacks(execute=True):
            return factories.closed_referral(
                help_request, self.service_b, self.op_b, self.desk_op_x
            )

    def test_after_closing_a_person_who_chose_email_is_asked_in_their_language(self):
        hr = factories.help_request(
            channel="email", email="fatima@example.org", phone="", preferred_language_id="ar"
        )
        mail.outbox.clear()
        referral = self.close(hr)
        asked = [m for m in mail.outbox if "/com-e-andata/" in m.body]
        self.assertEqual(len(asked), 1)
        self.assertEqual(asked[0].to, ["fatima@example.org"])
        self.assertIn("/ar/chiedi-aiuto/com-e-andata/", asked[0].body)  # the page in Arabic
        self.assertIn(services.follow_up_token(referral).split(":")[0], asked[0].body)
        self.assertTrue(Referral.objects.get(pk=referral.pk).follow_up_sent_at)

    def test_after_closing_a_person_who_chose_sms_gets_the_link_by_sms(self):
        hr = factories.help_request(channel="sms", phone="+39 333 765 4321")
        with mock.patch("facciamorete.referrals.tasks.LoggingSmsBackend.send") as send:
            referral = self.close(hr)
        texts = [c.kwargs["text"] for c in send.call_args_list]
        self.assertTrue(any("/com-e-andata/" in t for t in texts), texts)
        self.assertTrue(Referral.objects.get(pk=referral.pk).follow_up_sent_at)

    def test_a_person_who_comes_to_the_desk_is_not_sent_anything(self):
        hr = factories.help_request(channel="none", phone="")
        mail.outbox.clear()
        with mock.patch("facciamorete.referrals.tasks.LoggingSmsBackend.send") as send:
            referral = self.close(hr)
        send.assert_not_called()
        self.assertNotIn("aiuto?", " ".join(m.subject for m in mail.outbox))
        self.assertIsNone(Referral.objects.get(pk=referral.pk).follow_up_sent_at)

    def test_the_signed_link_records_the_answer_on_the_referral_without_an_account(self):
        referral = self.close(factories.help_request())
        link = reverse("referrals:follow_up", args=[services.follow_up_token(referral)])
        page = self.client.get(link)
        self.assertContains(page, "Hai ricevuto aiuto?")
        self.assertNotContains(page, self.hr.description)
        response = self.client.post(link, {"answer": "partly"})
        self.assertRedirects(response, link)
        referral.refresh_from_db()
        self.assertEqual(referral.person_answer, Referral.PersonAnswer.PARTLY)
        self.assertTrue(referral.person_answered_at)
        self.assertContains(self.client.get(link), "Grazie della risposta")

    def test_the_answer_is_recorded_once(self):
        referral = self.close(factories.help_request())
        link = reverse("referrals:follow_up", args=[services.follow_up_token(referral)])
        self.client.post(link, {"answer": "yes"})
        self.client.post(link, {"answer": "no"})
        self.assertEqual(Referral.objects.get(pk=referral.pk).person_answer, "yes")

    def test_an_unknown_answer_is_refused_without_a_server_error(self):
        referral = self.close(factories.help_request())
        link = reverse("referrals:follow_up", args=[services.follow_up_token(referral)])
        self.assertContains(self.client.post(link, {"answer": "boh"}), "Scegli una delle risposte")
        self.assertEqual(Referral.objects.get(pk=referral.pk).person_answer, "")

    def test_an_altered_link_or_an_open_referral_shows_a_clear_page(self):
        referral = self.close(factories.help_request())
        token = services.follow_up_token(referral)
        bad = reverse("referrals:follow_up", args=[token[:-2] + "xx"])
        self.assertContains(self.client.get(bad), "non vale più", status_code=404)
        still_open = reverse("referrals:follow_up", args=[services.follow_up_token(self.referral)])
        self.assertEqual(self.client.post(still_open, {"answer": "yes"}).status_code, 404)
        self.assertEqual(Referral.objects.get(pk=self.referral.pk).person_answer, "")
