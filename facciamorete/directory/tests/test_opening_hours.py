"""'Open now?' for the timetables people actually meet, past midnight and on holidays."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings

from facciamorete.directory.models import Closure, Schedule, Service
from facciamorete.directory.schedules import is_holiday, weekly_hours

from .factories import ScheduleFactory, ServiceFactory

ROME = ZoneInfo("Europe/Rome")


def at(year, month, day, hour, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ROME)


class AnOfficeOpenMondayToFridayMorningsTuesdayThursdayAfternoonsClosedInAugust(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.service = ServiceFactory()
        ScheduleFactory(
            service=cls.service, byday="MO,TU,WE,TH,FR", opens_at=dt.time(9), closes_at=dt.time(13)
        )
        ScheduleFactory(
            service=cls.service, byday="TU,TH", opens_at=dt.time(15), closes_at=dt.time(18)
        )
        Closure.objects.create(
            service=cls.service,
            start_date=dt.date(2026, 8, 1),
            end_date=dt.date(2026, 8, 31),
            every_year=True,
            reason="Ferie",
        )

    def test_it_is_open_on_a_monday_morning(self):
        self.assertTrue(self.service.is_open_at(at(2026, 11, 23, 10)))  # Monday

    def test_it_is_closed_on_a_monday_afternoon(self):
        self.assertFalse(self.service.is_open_at(at(2026, 11, 23, 16)))

    def test_it_is_open_on_a_tuesday_afternoon(self):
        self.assertTrue(self.service.is_open_at(at(2026, 11, 24, 16)))

    def test_it_closes_at_the_closing_minute(self):
        self.assertTrue(self.service.is_open_at(at(2026, 11, 24, 12, 59)))
        self.assertFalse(self.service.is_open_at(at(2026, 11, 24, 13, 0)))

    def test_it_is_closed_at_the_weekend(self):
        self.assertFalse(self.service.is_open_at(at(2026, 11, 28, 10)))  # Saturday

    def test_it_is_closed_in_august_every_year(self):
        self.assertFalse(self.service.is_open_at(at(2027, 8, 10, 10)))  # a Tuesday
        self.assertTrue(self.service.is_open_at(at(2027, 9, 1, 10)))

    def test_it_is_closed_on_a_national_holiday(self):
        # 8 December (Immacolata) 2026 is a Tuesday.
        self.assertTrue(is_holiday(dt.date(2026, 12, 8)))
        self.assertFalse(self.service.is_open_at(at(2026, 12, 8, 10)))

    @override_settings(EXTRA_HOLIDAYS=["11-25"])
    def test_it_is_closed_on_a_holiday_the_deployer_lists(self):
        self.assertFalse(self.service.is_open_at(at(2026, 11, 25, 10)))

    def test_the_catalogue_filter_agrees_with_the_service(self):
        self.assertIn(self.service, Service.objects.open_at(at(2026, 11, 24, 16)))
        self.assertNotIn(self.service, Service.objects.open_at(at(2026, 11, 23, 16)))

    def test_the_week_reads_monday_to_sunday_with_both_openings_on_tuesday(self):
        week = weekly_hours(self.service.schedules.all())
        self.assertEqual([d["code"] for d in week], ["MO", "TU", "WE", "TH", "FR", "SA", "SU"])
        self.assertEqual(
            [(s.opens_at.hour, s.closes_at.hour) for s in week[1]["intervals"]], [(9, 13), (15, 18)]
        )
        self.assertEqual(week[5]["intervals"], [])


class ANightShelterOpenFromEightPmToEightAm(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.service = ServiceFactory()
        ScheduleFactory(
            service=cls.service,
            byday="MO,TU,WE,TH,FR,SA,SU",
            opens_at=dt.time(20),
            closes_at=dt.time(8),
            closes_next_day=True,
            open_on_holidays=True,
        )

    def test_it_is_open_after_midnight(self):
        self.assertTrue(self.service.is_open_at(at(2026, 11, 24, 2)))

    def test_it_is_open_in_the_evening(self):
        self.assertTrue(self.service.is_open_at(at(2026, 11, 24, 21)))

    def test_it_is_closed_in_the_afternoon(self):
        self.assertFalse(self.service.is_open_at(at(2026, 11, 24, 15)))

    def test_it_stays_open_on_christmas_night_because_it_says_so(self):
        self.assertTrue(self.service.is_open_at(at(2026, 12, 25, 23)))


class AnOvernightOpeningOnlyOnFriday(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.service = ServiceFactory()
        ScheduleFactory(
            service=cls.service,
            byday="FR",
            opens_at=dt.time(22),
            closes_at=dt.time(3),
            closes_next_day=True,
        )

    def test_it_is_open_in_the_small_hours_of_saturday(self):
        self.assertTrue(self.service.is_open_at(at(2026, 11, 28, 1)))  # Saturday 01:00

    def test_it_is_not_open_in_the_small_hours_of_friday(self):
        self.assertFalse(self.service.is_open_at(at(2026, 11, 27, 1)))  # Friday 01:00


class ATemporaryClosure(TestCase):
    def test_closes_the_service_only_on_those_dates(self):
        service = ServiceFactory()
        ScheduleFactory(service=service)
        Closure.objects.create(
            service=service,
            start_date=dt.date(2026, 11, 23),
            end_date=dt.date(2026, 11, 24),
            reason="Trasloco",
        )
        self.assertFalse(service.is_open_at(at(2026, 11, 24, 10)))
        self.assertTrue(service.is_open_at(at(2026, 11, 26, 10)))

    def test_a_yearly_closure_can_span_new_year(self):
        service = ServiceFactory()
        ScheduleFactory(service=service)
        Closure.objects.create(
            service=service,
            start_date=dt.date(2026, 12, 24),
            end_date=dt.date(2027, 1, 6),
            every_year=True,
        )
        self.assertFalse(service.is_open_at(at(2027, 12, 29, 10)))
        self.assertFalse(service.is_open_at(at(2028, 1, 4, 10)))
        self.assertTrue(service.is_open_at(at(2028, 1, 10, 10)))


class ABadTimetableIsRefusedWithAClearMessage(TestCase):
    def _schedule(self, **kwargs):
        values = {
            "service": ServiceFactory(),
            "byday": "MO",
            "opens_at": dt.time(9),
            "closes_at": dt.time(13),
        }
        return Schedule(**(values | kwargs))

    def test_an_end_time_before_the_start_time(self):
        with self.assertRaises(ValidationError) as caught:
            self._schedule(opens_at=dt.time(15), closes_at=dt.time(9)).full_clean()
        self.assertIn("chiusura è prima di quello di apertura", str(caught.exception))

    def test_an_overnight_opening_is_accepted_when_declared(self):
        self._schedule(
            opens_at=dt.time(20), closes_at=dt.time(8), closes_next_day=True
        ).full_clean()

    def test_no_days(self):
        with self.assertRaises(ValidationError) as caught:
            self._schedule(byday="").full_clean()
        self.assertIn("byday", caught.exception.message_dict)

    def test_days_are_normalised(self):
        schedule = self._schedule(byday="fr, mo,MO")
        schedule.full_clean()
        self.assertEqual(schedule.byday, "MO,FR")
