from io import StringIO

from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from facciamorete.directory.tests.factories import OrganizationFactory
from facciamorete.engagement.models import Charter, Event, NewsItem


class TheEngagementDemo(TestCase):
    def test_adds_a_campaign_and_a_call_for_volunteers_when_the_network_has_members(self):
        OrganizationFactory(name="Auser Aprilia")
        call_command("seed_engagement_demo", stdout=StringIO())
        call_command("seed_engagement_demo", stdout=StringIO())
        self.assertContains(self.client.get(reverse("engagement:campaign_list")), "Un pulmino")
        self.assertContains(self.client.get(reverse("engagement:collaborate")), "Accompagnamento")

    def test_opens_applications_and_fills_news_and_events_and_changes_nothing_when_rerun(self):
        call_command("seed_engagement_demo", stdout=StringIO())
        counts = (Charter.objects.count(), NewsItem.objects.count(), Event.objects.count())
        call_command("seed_engagement_demo", stdout=StringIO())
        self.assertEqual(
            counts, (Charter.objects.count(), NewsItem.objects.count(), Event.objects.count())
        )
        self.assertContains(self.client.get(reverse("engagement:join")), "Invia la domanda")
        self.assertContains(
            self.client.get(reverse("engagement:event_list")), "Assemblea della rete"
        )
        self.assertContains(self.client.get(reverse("engagement:news_list")), "Aperte le adesioni")
