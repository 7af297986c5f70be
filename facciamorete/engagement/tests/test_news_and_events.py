"""News and events: public lists and pages, registration with a seat limit, the iCalendar feeds."""

import datetime as dt

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from facciamorete.directory.tests.factories import OrganizationFactory
from facciamorete.engagement.models import EventRegistration

from .base import EngagementTestCase
from .factories import EventFactory, EventRegistrationFactory, NewsItemFactory


class TheNews(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.item = NewsItemFactory(title="Apre lo sportello di via Roma", body="Dal **lunedì**.")
        NewsItemFactory(title="Bozza non pubblicata", is_published=False)
        NewsItemFactory(
            title="Notizia programmata", published_at=timezone.now() + dt.timedelta(days=1)
        )

    def test_the_list_shows_published_news_only(self):
        response = self.client.get(reverse("engagement:news_list"))
        self.assertContains(response, "Apre lo sportello di via Roma")
        self.assertNotContains(response, "Bozza non pubblicata")
        self.assertNotContains(response, "Notizia programmata")

    def test_a_news_page_renders_its_text(self):
        response = self.client.get(self.item.get_absolute_url())
        self.assertContains(response, "<h1>Apre lo sportello di via Roma</h1>", html=True)
        self.assertContains(response, "<strong>lunedì</strong>", html=True)

    def test_an_unpublished_item_has_no_page(self):
        draft = NewsItemFactory(is_published=False)
        self.assertEqual(self.client.get(draft.get_absolute_url()).status_code, 404)

    def test_the_list_needs_the_same_queries_however_many_items(self):
        with self.assertNumQueries(2):  # the count for the pages, then the items
            self.client.get(reverse("engagement:news_list"))
        NewsItemFactory.create_batch(5, organization=OrganizationFactory())
        with self.assertNumQueries(2):
            self.client.get(reverse("engagement:news_list"))


class TheEvents(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = OrganizationFactory(name="Cooperativa Il Ponte")
        cls.event = EventFactory(title="Festa di quartiere", organization=cls.org, seats=2)
        cls.past = EventFactory(
            title="Assemblea dell'anno scorso",
            starts_at=timezone.now() - dt.timedelta(days=30),
            ends_at=timezone.now() - dt.timedelta(days=30, hours=-2),
        )
        EventFactory(title="Evento nascosto", is_published=False)

    def test_the_list_shows_upcoming_published_events_with_organiser_and_place(self):
        response = self.client.get(reverse("engagement:event_list"))
        self.assertContains(response, "Festa di quartiere")
        self.assertContains(response, "Organizza: Cooperativa Il Ponte")
        self.assertContains(response, "Sala consiliare, Aprilia")
        self.assertNotContains(response, "Assemblea dell&#x27;anno scorso")
        self.assertNotContains(response, "Evento nascosto")
        self.assertContains(response, 'href="/eventi.ics"')

    def test_past_events_are_listed_apart(self):
        response = self.client.get(reverse("engagement:event_list"), {"passati": "1"})
        self.assertContains(response, "Assemblea dell&#x27;anno scorso")
        self.assertNotContains(response, "Festa di quartiere")

    def test_the_list_needs_the_same_queries_however_many_events(self):
        with self.assertNumQueries(2):
            self.client.get(reverse("engagement:event_list"))
        EventFactory.create_batch(4, organization=OrganizationFactory(), seats=3)
        with self.assertNumQueries(2):
            self.client.get(reverse("engagement:event_list"))

    def test_an_event_page_shows_when_where_who_and_the_seats_left(self):
        response = self.client.get(self.event.get_absolute_url())
        self.assertContains(response, "<h1>Festa di quartiere</h1>", html=True)
        self.assertContains(response, "Restano 2 posti.")
        self.assertContains(response, f'href="/enti/{self.org.slug}/eventi.ics"')
        self.assertContains(response, 'for="id_email"')

    def test_a_past_event_takes_no_registrations(self):
        self.past.seats = 10
        self.past.save()
        response = self.client.get(self.past.get_absolute_url())
        self.assertContains(response, "Le iscrizioni sono chiuse.")
        self.assertNotContains(response, 'name="email"')


class RegisteringToAnEvent(EngagementTestCase):
    def setUp(self):
        super().setUp()
        self.event = EventFactory(title="Corso di primo soccorso", seats=1)
        self.n = 0

    def register(self, email, **extra):
        self.n += 1
        data = {
            "name": "Persona " + email,
            "email": email,
            "submission_token": f"00000000-0000-4000-8000-{self.n:012d}",
            **extra,
        }
        return self.submit(self.event.get_absolute_url(), data)

    def test_the_first_gets_a_seat_then_people_wait_and_a_cancellation_promotes_the_first(self):
        first = self.register("anna@example.org")
        anna = EventRegistration.objects.get(email="anna@example.org")
        self.assertRedirects(first, anna.get_absolute_url())
        self.assertEqual(anna.status, EventRegistration.Status.CONFIRMED)
        self.assertContains(self.client.get(anna.get_absolute_url()), "il tuo posto è confermato")
        self.assertIn("Iscrizione confermata", mail.outbox[-1].subject)

        page = self.client.get(self.event.get_absolute_url())
        self.assertContains(page, "I posti sono esauriti")
        self.register("bruno@example.org")
        self.register("carla@example.org")
        bruno = EventRegistration.objects.get(email="bruno@example.org")
        self.assertEqual(bruno.status, EventRegistration.Status.WAITING)
        self.assertContains(self.client.get(bruno.get_absolute_url()), "posizione 1")
        carla = EventRegistration.objects.get(email="carla@example.org")
        self.assertContains(self.client.get(carla.get_absolute_url()), "posizione 2")
        self.assertIn("lista d'attesa", mail.outbox[-1].subject)

        self.submit(anna.get_absolute_url(), {"action": "cancel"})
        anna.refresh_from_db()
        bruno.refresh_from_db()
        self.assertEqual(anna.status, EventRegistration.Status.CANCELLED)
        self.assertEqual(bruno.status, EventRegistration.Status.CONFIRMED)
        self.assertEqual(mail.outbox[-1].to, ["bruno@example.org"])
        self.assertIn("Si è liberato un posto", mail.outbox[-1].subject)
        self.assertContains(self.client.get(carla.get_absolute_url()), "posizione 1")

    def test_cancelling_twice_frees_one_seat_only(self):
        anna = EventRegistrationFactory(event=self.event)
        waiting = [
            EventRegistrationFactory(event=self.event, status=EventRegistration.Status.WAITING)
            for _ in range(2)
        ]
        self.submit(anna.get_absolute_url(), {"action": "cancel"})
        self.submit(anna.get_absolute_url(), {"action": "cancel"})
        statuses = [EventRegistration.objects.get(pk=w.pk).status for w in waiting]
        self.assertEqual(statuses, ["confirmed", "waiting"])

    def test_the_same_address_cannot_register_twice_and_keeps_what_was_typed(self):
        self.register("anna@example.org")
        response = self.register("Anna@example.org", phone="06 1234567")
        self.assertContains(response, "c&#x27;è già un&#x27;iscrizione")
        self.assertContains(response, 'value="06 1234567"')
        self.assertEqual(EventRegistration.objects.count(), 1)

    def test_a_double_click_makes_one_registration(self):
        data = {
            "name": "Anna",
            "email": "anna@example.org",
            "submission_token": "99999999-0000-4000-8000-000000000000",
        }
        first = self.submit(self.event.get_absolute_url(), data)
        second = self.submit(self.event.get_absolute_url(), data)
        self.assertEqual(first["Location"], second["Location"])
        self.assertEqual(EventRegistration.objects.count(), 1)
        self.assertEqual(len(mail.outbox), 1)

    def test_a_bad_phone_number_is_refused_with_an_example(self):
        response = self.register("anna@example.org", phone="123")
        self.assertContains(response, "non è un numero di telefono valido")
        self.assertFalse(EventRegistration.objects.exists())

    def test_an_event_without_seats_needs_no_registration(self):
        free = EventFactory(seats=None)
        response = self.client.get(free.get_absolute_url())
        self.assertNotContains(response, "Iscriviti")
        self.assertEqual(self.submit(free.get_absolute_url(), {"name": "x"}).status_code, 302)
        self.assertFalse(EventRegistration.objects.exists())


class TheCalendarFeeds(EngagementTestCase):
    @classmethod
    def setUpTestData(cls):
        cls.org = OrganizationFactory(name="Cooperativa Il Ponte")
        cls.start = timezone.now().replace(microsecond=0) + dt.timedelta(days=3)
        cls.event = EventFactory(
            title="Festa di quartiere, con musica; e cibo",
            organization=cls.org,
            starts_at=cls.start,
            ends_at=cls.start + dt.timedelta(hours=3),
        )
        cls.other = EventFactory(title="Incontro della rete")
        EventFactory(title="Evento nascosto", is_published=False)

    def parse(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        return Calendar.from_ical(response.content)

    def test_all_events_parse_back_with_their_times_place_and_link(self):
        calendar = self.parse("/eventi.ics")
        self.assertEqual(str(calendar["version"]), "2.0")
        events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
        self.assertEqual(
            set(events), {"Festa di quartiere, con musica; e cibo", "Incontro della rete"}
        )
        party = events["Festa di quartiere, con musica; e cibo"]
        self.assertEqual(party.decoded("dtstart"), self.start)
        self.assertEqual(party.decoded("dtend"), self.start + dt.timedelta(hours=3))
        self.assertEqual(str(party["location"]), "Sala consiliare, Piazza Roma 1, Aprilia")
        self.assertEqual(str(party["url"]), f"http://testserver{self.event.get_absolute_url()}")
        self.assertEqual(str(party["uid"]), f"{self.event.pk}@testserver")

    def test_one_organisations_feed_has_only_its_events(self):
        calendar = self.parse(f"/enti/{self.org.slug}/eventi.ics")
        self.assertEqual(
            [str(e["summary"]) for e in calendar.walk("VEVENT")],
            ["Festa di quartiere, con musica; e cibo"],
        )
        self.assertIn("Cooperativa Il Ponte", str(calendar["x-wr-calname"]))

    def test_an_unknown_organisation_has_no_feed(self):
        self.assertEqual(self.client.get("/enti/nessuno/eventi.ics").status_code, 404)
