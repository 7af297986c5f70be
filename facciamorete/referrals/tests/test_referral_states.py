"""Every step of a referral, every refusal, and two operators changing one referral at once."""

from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from facciamorete.directory.tests.factories import ServiceFactory
from facciamorete.referrals import services
from facciamorete.referrals.models import HelpRequest, Referral, ReferralEvent

from . import factories
from .base import ReferralsTestCase

S = Referral.Status


class ReferralStates(ReferralsTestCase):
    def move(self, to, by=None, **extra):
        referral = Referral.objects.get(pk=self.referral.pk)
        return services.referral_transition(
            referral=referral, to=to, by=by or self.op_a, version=referral.version, **extra
        )

    def test_a_referral_goes_from_sent_to_closed_with_who_and_when_at_every_step(self):
        self.move(S.SEEN)
        self.move(S.ACCEPTED)
        self.move(S.IN_PROGRESS)
        referral = self.move(S.CLOSED, outcome=Referral.Outcome.GOT_HELP)
        self.assertEqual(referral.status, S.CLOSED)
        events = list(ReferralEvent.objects.filter(referral=referral))
        self.assertEqual(
            [e.to_status for e in events], [S.SENT, S.SEEN, S.ACCEPTED, S.IN_PROGRESS, S.CLOSED]
        )
        self.assertEqual({e.actor for e in events[1:]}, {self.op_a})
        self.assertTrue(all(e.at for e in events))
        self.hr.refresh_from_db()
        self.assertEqual(self.hr.status, HelpRequest.Status.CLOSED)

    def test_a_declined_referral_needs_a_reason(self):
        self.move(S.SEEN)
        with self.assertRaisesMessage(ValidationError, "Indica il motivo"):
            self.move(S.DECLINED)
        self.assertEqual(Referral.objects.get(pk=self.referral.pk).status, S.SEEN)

    def test_declining_for_another_reason_needs_a_note(self):
        self.move(S.SEEN)
        with self.assertRaisesMessage(ValidationError, "scrivi il motivo nella nota"):
            self.move(S.DECLINED, reason=Referral.DeclineReason.OTHER)
        referral = self.move(S.DECLINED, reason="other", note="Serve residenza a Latina")
        self.assertEqual(referral.decline_note, "Serve residenza a Latina")

    def test_a_declined_referral_keeps_its_reason(self):
        self.move(S.SEEN)
        self.move(S.DECLINED, reason=Referral.DeclineReason.NO_CAPACITY)
        referral = Referral.objects.get(pk=self.referral.pk)
        self.assertEqual(referral.get_decline_reason_display(), "Nessun posto disponibile")

    def test_a_closed_referral_needs_an_outcome(self):
        for step in (S.SEEN, S.ACCEPTED, S.IN_PROGRESS):
            self.move(step)
        with self.assertRaisesMessage(ValidationError, "Indica l'esito"):
            self.move(S.CLOSED)

    def test_illegal_steps_are_refused(self):
        for to in (S.ACCEPTED, S.IN_PROGRESS, S.CLOSED, S.DECLINED, S.SENT):
            with self.subTest(to=to), self.assertRaisesMessage(ValidationError, "non può"):
                self.move(to, outcome="got_help", reason="no_capacity")
        self.move(S.SEEN)
        self.move(S.DECLINED, reason="no_capacity")
        with self.assertRaisesMessage(ValidationError, "non può"):
            self.move(S.ACCEPTED)

    def test_only_the_receiving_organisation_moves_it_and_only_the_desk_cancels_it(self):
        for outsider in (self.op_b, self.desk_op_y, self.coordinator, self.desk_op_x):
            with self.subTest(user=outsider), self.assertRaises(ValidationError):
                self.move(S.SEEN, by=outsider)
        for outsider in (self.op_a, self.op_b, self.desk_op_y):
            with self.subTest(user=outsider), self.assertRaises(ValidationError):
                self.move(S.CANCELLED, by=outsider)
        self.assertEqual(self.move(S.CANCELLED, by=self.desk_op_x).status, S.CANCELLED)

    def test_a_change_made_on_a_stale_page_is_refused_with_a_clear_message(self):
        stale = Referral.objects.get(pk=self.referral.pk)
        services.referral_transition(referral=stale, to=S.SEEN, by=self.op_a, version=1)
        other = Referral.objects.get(pk=self.referral.pk)
        self.move(S.ACCEPTED)
        with self.assertRaises(ValidationError) as refused:
            services.referral_transition(
                referral=other, to=S.DECLINED, by=self.admin, version=2, reason="no_capacity"
            )
        self.assertIn("Nel frattempo", refused.exception.messages[0])
        self.assertIn("Accettato", refused.exception.messages[0])
        self.assertEqual(Referral.objects.get(pk=self.referral.pk).status, S.ACCEPTED)

    def test_the_person_and_the_desk_hear_of_every_change(self):
        self.hr.contact_channel, self.hr.email = "email", "amina@example.org"
        self.hr.save()
        with self.captureOnCommitCallbacks(execute=True):
            self.move(S.SEEN)
        recipients = sorted(m.to[0] for m in mail.outbox)
        self.assertEqual(recipients, ["amina@example.org", "sportello@example.org"])
        self.assertIn(self.hr.code, mail.outbox[0].subject)
        self.assertNotIn(self.hr.description, mail.outbox[0].body)


class TheOrganisationsQueue(ReferralsTestCase):
    def test_the_organisation_moves_a_referral_from_its_page(self):
        self.client.force_login(self.op_a)
        url = reverse("admin:referrals_referral_detail", args=[self.referral.pk])
        response = self.client.post(url, {"to": "seen", "version": 1}, follow=True)
        self.assertContains(response, "Stato aggiornato: Visto dall&#x27;ente")
        response = self.client.post(url, {"to": "declined", "version": 2})
        self.assertContains(response, "Indica il motivo", status_code=200)

    def test_a_stale_page_shows_the_current_state_and_saves_nothing(self):
        self.client.force_login(self.op_a)
        url = reverse("admin:referrals_referral_detail", args=[self.referral.pk])
        self.client.post(url, {"to": "seen", "version": 1})
        response = self.client.post(url, {"to": "seen", "version": 1})
        self.assertContains(response, "non può diventare")
        self.client.post(url, {"to": "accepted", "version": 2})
        response = self.client.post(url, {"to": "declined", "version": 2, "reason": "no_capacity"})
        self.assertEqual(Referral.objects.get(pk=self.referral.pk).status, S.ACCEPTED)
        self.assertEqual(response.status_code, 200)

    def test_the_queue_filters_by_state_service_and_age(self):
        second_service = ServiceFactory(organization=self.org_a, name="Doposcuola")
        second = factories.referral(
            factories.help_request(description="Altro bisogno", name="Ion Popescu"),
            second_service,
            self.desk_op_x,
        )
        services.referral_transition(referral=second, to=S.SEEN, by=self.op_a, version=1)
        self.client.force_login(self.op_a)
        url = reverse("admin:referrals_referral_changelist")
        response = self.client.get(url, {"status": "seen"})
        self.assertContains(response, second.help_request.code)
        self.assertNotContains(response, self.hr.code)
        response = self.client.get(url, {"service": self.service_a.pk})
        self.assertContains(response, self.hr.code)
        self.assertNotContains(response, second.help_request.code)
        response = self.client.get(url, {"age": "7"})
        self.assertContains(response, "Nessun invio.")
