"""A desk operator takes a request on a person's behalf, is warned of duplicates, refers with
consent, records unmet needs; every read and write of personal data leaves an audit entry."""

import uuid

from django.urls import reverse

from facciamorete.directory.tests.factories import municipality, term
from facciamorete.referrals.models import AuditEntry, Consent, HelpRequest, Referral, UnmetNeed

from .base import SECRET, ReferralsTestCase


class TakingARequestOnBehalf(ReferralsTestCase):
    def form_data(self, **changes):
        data = {
            "name": "Amina Diallo",
            "birth_date": "1990-05-04",
            "municipality": municipality("059001").pk,
            "description": "Le serve un aiuto per la spesa",
            "contact_channel": "none",
            "consent": "on",
            "submission_token": str(uuid.uuid4()),
            "nucleo-TOTAL_FORMS": "4",
            "nucleo-INITIAL_FORMS": "0",
            "nucleo-0-first_name": "Yusuf",
            "nucleo-0-birth_year": "2015",
        }
        return data | changes

    def setUp(self):
        self.client.force_login(self.desk_op_x)
        self.url = reverse("admin:referrals_helprequest_add")

    def test_the_request_is_recorded_as_taken_by_the_desk_with_its_household(self):
        response = self.client.post(self.url, self.form_data(), follow=True)
        made = HelpRequest.objects.get(description="Le serve un aiuto per la spesa")
        self.assertContains(response, f"Richiesta {made.code} registrata")
        self.assertTrue(made.taken_on_behalf)
        self.assertEqual(made.taken_by, self.desk_op_x)
        self.assertEqual(made.desk, self.desk_x)
        self.assertEqual([str(m) for m in made.household.members.all()], ["Yusuf (2015)"])
        self.assertTrue(
            AuditEntry.objects.filter(user=self.desk_op_x, action="create", object_id=made.code)
        )

    def test_a_probable_duplicate_is_flagged_before_saving(self):
        self.hr.birth_date = "1990-05-04"
        self.hr.save()
        response = self.client.post(self.url, self.form_data())
        self.assertContains(response, "Forse questa persona ha già una richiesta")
        self.assertContains(response, self.hr.code)
        self.assertContains(response, "Le serve un aiuto per la spesa")
        self.assertEqual(HelpRequest.objects.count(), 1)
        self.client.post(self.url, self.form_data(confirm_duplicate="on"))
        self.assertEqual(HelpRequest.objects.count(), 2)

    def test_another_desks_requests_are_never_offered_as_duplicates(self):
        self.hr.birth_date = "1990-05-04"
        self.hr.save()
        self.client.force_login(self.desk_op_y)
        self.desk_y.municipalities.add(municipality("059001"))
        response = self.client.post(self.url, self.form_data(), follow=True)
        self.assertNotContains(response, "Forse questa persona")
        self.assertNotContains(response, self.hr.code)

    def test_a_member_without_a_birth_year_is_explained(self):
        response = self.client.post(self.url, self.form_data(**{"nucleo-0-birth_year": ""}))
        self.assertContains(response, "Indica l&#x27;anno di nascita.")
        self.assertContains(response, 'value="Yusuf"')


class Referring(ReferralsTestCase):
    def setUp(self):
        self.client.force_login(self.desk_op_x)
        self.url = reverse("admin:referrals_helprequest_detail", args=[self.hr.code])

    def test_the_desk_finds_a_service_in_the_catalogue_by_name(self):
        response = self.client.get(self.url, {"q": "trasporto"})
        self.assertContains(response, "Trasporto sociale")
        self.assertContains(response, "Croce Verde Latina")

    def test_a_referral_needs_the_persons_consent_for_that_organisation(self):
        response = self.client.post(
            self.url, {"action": "refer", "service": self.service_b.pk}, follow=True
        )
        self.assertContains(response, "Serve il consenso della persona")
        self.assertFalse(Referral.objects.filter(service=self.service_b).exists())

    def test_consent_is_recorded_per_receiving_organisation(self):
        self.client.post(
            self.url, {"action": "refer", "service": self.service_b.pk, "consent": "on"}
        )
        referral = Referral.objects.get(service=self.service_b)
        self.assertEqual(referral.organization, self.org_b)
        consents = Consent.objects.filter(help_request=self.hr, purpose="referral")
        self.assertEqual({c.organization for c in consents}, {self.org_a, self.org_b})
        consent = consents.get(organization=self.org_b)
        self.assertEqual((consent.recorded_by, consent.text_version), (self.desk_op_x, "2025-1"))
        self.client.force_login(self.op_b)
        detail = reverse("admin:referrals_referral_detail", args=[referral.pk])
        self.assertContains(self.client.get(detail), SECRET)
        other = reverse("admin:referrals_referral_detail", args=[self.referral.pk])
        self.assertEqual(self.client.get(other).status_code, 404)

    def test_every_staff_read_leaves_an_audit_entry(self):
        self.client.get(self.url)
        self.assertTrue(
            AuditEntry.objects.filter(user=self.desk_op_x, action="read", object_id=self.hr.code)
        )
        self.client.get(reverse("admin:referrals_helprequest_changelist"))
        self.assertTrue(AuditEntry.objects.filter(user=self.desk_op_x, action="list"))

    def test_the_desk_cancels_a_referral(self):
        self.client.post(self.url, {"action": "cancel", "referral": self.referral.pk, "version": 1})
        self.assertEqual(Referral.objects.get(pk=self.referral.pk).status, "cancelled")


class UnmetNeeds(ReferralsTestCase):
    def test_the_desk_records_an_unmet_need_and_coordinators_see_the_counts(self):
        self.client.force_login(self.desk_op_x)
        response = self.client.post(
            reverse("admin:referrals_unmetneed_add"),
            {
                "desk": self.desk_x.pk,
                "areas": [term("aree-utenza", "anziani").pk],
                "municipality": municipality("059001").pk,
                "note": "Nessun trasporto per visite mediche la sera",
            },
            follow=True,
        )
        self.assertContains(response, "Bisogno senza risposta registrato")
        self.assertEqual(UnmetNeed.objects.get().recorded_by, self.desk_op_x)
        self.client.force_login(self.coordinator)
        figures = self.client.get(reverse("admin:referrals_unmetneed_changelist"))
        self.assertContains(figures, "<td>Aprilia</td><td>anziani</td><td>1</td>", html=True)
        self.assertNotContains(figures, "visite mediche")

    def test_a_desk_operator_cannot_record_for_another_desk(self):
        self.client.force_login(self.desk_op_y)
        response = self.client.post(
            reverse("admin:referrals_unmetneed_add"),
            {
                "desk": self.desk_x.pk,
                "areas": [term("aree-utenza", "anziani").pk],
                "municipality": municipality("059001").pk,
                "note": "x",
            },
        )
        self.assertContains(response, "Scegli un&#x27;opzione valida")
        self.assertFalse(UnmetNeed.objects.exists())
