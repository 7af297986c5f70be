"""Campaigns: progress, pledges of money or help in kind, donations recorded, receipts."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from facciamorete.directory.tests.factories import OrganizationFactory, operator_of
from facciamorete.engagement.models import Donation, Pledge

from .base import EngagementTestCase, coordinator
from .factories import CampaignFactory


class ACampaign(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = OrganizationFactory(
            name="Auser Aprilia", tax_code="00000010017", email="auser@example.org"
        )
        cls.campaign = CampaignFactory(
            organization=cls.org,
            title="Un pulmino per la rete",
            goal=1000,
            five_per_mille_code="00000010017",
        )
        Pledge.objects.create(
            campaign=cls.campaign,
            kind="money",
            amount=200,
            name="Anna Bianchi",
            email="anna@example.org",
            show_name=True,
        )
        Pledge.objects.create(
            campaign=cls.campaign,
            kind="space",
            description="Una sala",
            name="Riservato Srl",
            email="r@example.org",
        )
        Donation.objects.create(
            campaign=cls.campaign, amount=300, method="cash", donor_name="Donatore Nascosto"
        )
        CampaignFactory(
            title="Campagna finita", ends_on=timezone.localdate() - dt.timedelta(days=1)
        )

    def test_the_list_shows_open_campaigns_with_their_progress(self):
        response = self.client.get(reverse("engagement:campaign_list"))
        self.assertContains(response, "Un pulmino per la rete")
        self.assertContains(response, "300,00 € raccolti su 1000,00 €")
        self.assertNotContains(response, "Campagna finita")

    def test_the_page_shows_totals_supporters_payment_details_and_consenting_names_only(self):
        response = self.client.get(self.campaign.get_absolute_url())
        self.assertContains(response, "<h1>Un pulmino per la rete</h1>", html=True)
        self.assertContains(response, "altri 200,00 € promessi")
        self.assertContains(response, "3 sostenitori")
        self.assertContains(response, 'value="30"')
        self.assertContains(response, "IBAN IT60")
        self.assertContains(response, "5 per mille")
        self.assertContains(response, "Anna Bianchi")
        self.assertNotContains(response, "Riservato Srl")
        self.assertNotContains(response, "Donatore Nascosto")

    def test_a_money_pledge_needs_an_amount_and_help_in_kind_a_description(self):
        url = self.campaign.get_absolute_url()
        base = {
            "submission_token": "8d0c1b2e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
            "name": "Carlo",
            "email": "carlo@example.org",
        }
        response = self.submit(url, {**base, "kind": "money"})
        self.assertContains(response, "Indica l&#x27;importo")
        response = self.submit(url, {**base, "kind": "time", "amount": "50"})
        self.assertContains(response, "Descrivi che cosa offri")
        self.assertContains(response, 'value="Carlo"')
        self.assertEqual(Pledge.objects.count(), 2)

    def test_a_pledge_is_thanked_with_the_payment_details_and_made_once(self):
        data = {
            "submission_token": "9d0c1b2e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
            "kind": "money",
            "amount": "50",
            "name": "Carlo",
            "email": "carlo@example.org",
        }
        response = self.submit(self.campaign.get_absolute_url(), data)
        self.assertRedirects(response, self.campaign.get_absolute_url())
        self.submit(self.campaign.get_absolute_url(), data)
        self.assertEqual(Pledge.objects.filter(email="carlo@example.org").count(), 1)
        thanks = [m for m in mail.outbox if m.to == ["carlo@example.org"]]
        self.assertEqual(len(thanks), 1)
        self.assertIn("50,00 euro", thanks[0].body)
        self.assertIn("IBAN IT60", thanks[0].body)
        self.assertIn("00000010017", thanks[0].body)
        self.assertTrue(any(m.to == ["auser@example.org"] for m in mail.outbox))
        self.assertNotIn(
            "Carlo", next(m for m in mail.outbox if m.to == ["auser@example.org"]).body
        )

    def test_a_closed_campaign_takes_no_pledges(self):
        closed = CampaignFactory(ends_on=timezone.localdate() - dt.timedelta(days=1))
        response = self.client.get(closed.get_absolute_url())
        self.assertContains(response, "La campagna è chiusa")
        self.assertNotContains(response, 'name="kind"')


class RecordingDonations(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = OrganizationFactory(name="Auser Aprilia", tax_code="00000010017")
        cls.campaign = CampaignFactory(organization=cls.org, title="Un pulmino")
        cls.pledge = Pledge.objects.create(
            campaign=cls.campaign,
            kind="money",
            amount=50,
            name="Carlo Verdi",
            email="carlo@example.org",
        )
        cls.coordinator = coordinator()
        cls.operator = operator_of(OrganizationFactory(), "altro@example.org")

    def record(self, **extra):
        data = {
            "campaign": self.campaign.pk,
            "amount": "50",
            "received_on": "2026-03-02",
            "method": "transfer",
            "donor_name": "Carlo Verdi",
            "donor_tax_code": "",
            "donor_address": "Via Roma 1, Aprilia",
            **extra,
        }
        return self.submit(reverse("admin:engagement_donation_add"), data)

    def test_a_recorded_donation_fulfils_its_pledge_is_numbered_and_thanks_the_donor(self):
        self.client.force_login(self.coordinator)
        response = self.record(pledge=self.pledge.pk)
        self.assertEqual(response.status_code, 302)
        donation = Donation.objects.get()
        self.assertEqual(donation.receipt, "1/2026")
        self.pledge.refresh_from_db()
        self.assertEqual(self.pledge.status, Pledge.Status.FULFILLED)
        self.assertEqual(mail.outbox[-1].to, ["carlo@example.org"])
        self.assertIn("1/2026", mail.outbox[-1].subject)
        self.record()
        self.assertEqual(sorted(Donation.objects.values_list("receipt_number", flat=True)), [1, 2])

    def test_receipts_are_numbered_per_organisation_and_year(self):
        other = CampaignFactory()
        first = Donation.objects.create(
            campaign=self.campaign,
            amount=10,
            method="cash",
            donor_name="A",
            received_on=dt.date(2026, 1, 5),
        )
        elsewhere = Donation.objects.create(
            campaign=other,
            amount=10,
            method="cash",
            donor_name="B",
            received_on=dt.date(2026, 1, 5),
        )
        next_year = Donation.objects.create(
            campaign=self.campaign,
            amount=10,
            method="cash",
            donor_name="C",
            received_on=dt.date(2027, 1, 5),
        )
        self.assertEqual(
            [first.receipt, elsewhere.receipt, next_year.receipt], ["1/2026", "1/2026", "1/2027"]
        )

    def test_the_receipt_prints_with_the_organisations_data(self):
        donation = Donation.objects.create(
            campaign=self.campaign,
            amount="1234.5",
            method="transfer",
            donor_name="Carlo Verdi",
            donor_tax_code="RSSMRA80A01H501U",
            received_on=dt.date(2026, 3, 2),
        )
        self.client.force_login(self.coordinator)
        response = self.client.get(reverse("admin:engagement_donation_receipt", args=[donation.pk]))
        self.assertContains(response, "Ricevuta di erogazione liberale n. 1/2026")
        self.assertContains(response, "Auser Aprilia")
        self.assertContains(response, "Codice fiscale 00000010017")
        self.assertContains(response, "€ 1234,50")
        self.assertContains(response, "RSSMRA80A01H501U")
        self.assertContains(response, "2 marzo 2026")

    def test_supporters_data_is_for_coordinators_only(self):
        donation = Donation.objects.create(
            campaign=self.campaign, amount=10, method="cash", donor_name="Carlo Verdi"
        )
        urls = [
            reverse("admin:engagement_pledge_change", args=[self.pledge.pk]),
            reverse("admin:engagement_donation_receipt", args=[donation.pk]),
        ]
        for url in urls:
            self.assertEqual(self.client.get(url).status_code, 302)
        self.client.force_login(self.operator)
        for url in urls:
            self.assertIn(self.client.get(url).status_code, (403, 404))
        self.client.force_login(self.coordinator)
        self.assertContains(self.client.get(urls[0]), "carlo@example.org")
