"""Amounts of money written as each language writes them: "30,00 €" in Italian and French,
"€30.00" in English, Western digits with the euro sign after them in Arabic."""

from decimal import Decimal

from django.core.cache import cache
from django.template import Context, Template
from django.test import SimpleTestCase, TestCase
from django.utils import translation

from facciamorete.directory.models import CostClass
from facciamorete.directory.tests.factories import ServiceFactory
from facciamorete.engagement.models import Donation, Pledge
from facciamorete.engagement.tests.factories import CampaignFactory


def written(amount, language: str) -> str:
    with translation.override(language):
        return Template("{{ amount|money }}").render(Context({"amount": amount}))


class TheMoneyFilter(SimpleTestCase):
    def test_writes_euro_as_each_language_does(self):
        amount = Decimal("30")
        self.assertEqual(written(amount, "it"), "30,00 €")
        self.assertEqual(written(amount, "en"), "€30.00")
        self.assertEqual(written(amount, "fr"), "30,00 €")
        self.assertEqual(written(amount, "es"), "30,00 €")
        self.assertEqual(written(amount, "ro"), "30,00 €")
        self.assertEqual(written(amount, "uk"), "30,00 €")
        self.assertEqual(written(amount, "ar"), "30,00 €")
        self.assertEqual(written(amount, "pa"), "30.00 €")

    def test_always_shows_two_decimals_and_western_digits(self):
        self.assertEqual(written(Decimal("1234.5"), "it"), "1234,50 €")
        self.assertEqual(written(Decimal("0.256"), "en"), "€0.26")
        self.assertEqual(written(7, "ar"), "7,00 €")
        self.assertEqual(written("12.5", "fr"), "12,50 €")

    def test_a_negative_amount_keeps_the_sign_before_the_euro(self):
        self.assertEqual(written(Decimal("-2"), "en"), "-€2.00")
        self.assertEqual(written(Decimal("-2"), "it"), "-2,00 €")

    def test_no_amount_writes_nothing(self):
        self.assertEqual(written(None, "it"), "")
        self.assertEqual(written("", "en"), "")
        self.assertEqual(written("not a number", "en"), "")
        self.assertEqual(written("NaN", "en"), "")


class AServicesPrice(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.service = ServiceFactory(
            name="Mensa solidale", cost_class=CostClass.PAID, cost_amount=Decimal("30")
        )

    def page(self, language: str, url: str) -> str:
        prefix = "" if language == "it" else f"/{language}"
        response = self.client.get(prefix + url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_on_the_service_page_in_italian_english_french_and_arabic(self):
        with translation.override("it"):
            url = self.service.get_absolute_url()
        self.assertIn(": 30,00 €</p>", self.page("it", url))
        self.assertIn(": €30.00</p>", self.page("en", url))
        self.assertIn(": 30,00 €</p>", self.page("fr", url))
        self.assertIn(": 30,00 €</p>", self.page("ar", url))
        self.assertNotIn("30.00 €", self.page("en", url))

    def test_in_the_list_of_services(self):
        self.assertIn("– 30,00 €</p>", self.page("it", "/servizi/"))
        self.assertIn("– €30.00</p>", self.page("en", "/servizi/"))
        self.assertIn("– 30,00 €</p>", self.page("fr", "/servizi/"))
        self.assertIn("– 30,00 €</p>", self.page("ar", "/servizi/"))


class ACampaignsProgress(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.campaign = CampaignFactory(title="Un pulmino per la rete", goal=Decimal("1500"))
        Donation.objects.create(
            campaign=cls.campaign, amount=Decimal("250.5"), method="cash", donor_name="Anna"
        )
        Pledge.objects.create(
            campaign=cls.campaign, kind="money", amount=75, name="Bruno", email="b@example.org"
        )

    def setUp(self):
        cache.clear()

    def page(self, language: str) -> str:
        prefix = "" if language == "it" else f"/{language}"
        with translation.override("it"):
            url = self.campaign.get_absolute_url()
        response = self.client.get(prefix + url)
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_shows_what_was_raised_the_goal_and_the_pledges_in_each_language(self):
        italian = self.page("it")
        self.assertIn("250,50 € raccolti su 1500,00 €", italian)
        self.assertIn("altri 75,00 € promessi", italian)
        english = self.page("en")
        for amount in ("€250.50", "€1500.00", "€75.00"):
            self.assertIn(amount, english)
        self.assertNotIn("€ ", english.split("<main", 1)[1])
        for language in ("fr", "ar"):
            page = self.page(language)
            for amount in ("250,50 €", "1500,00 €", "75,00 €"):
                self.assertIn(amount, page, language)
