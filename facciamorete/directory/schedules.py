"""Opening hours: "open now?" in SQL, holidays and closures included, and hours in words."""

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
WEEKDAY_NAMES = [
    _("lunedì"),
    _("martedì"),
    _("mercoledì"),
    _("giovedì"),
    _("venerdì"),
    _("sabato"),
    _("domenica"),
]


@lru_cache(maxsize=64)
def _public_holidays(year: int, country: str, subdiv: str | None) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdiv, years=year).keys())


def is_holiday(day: dt.date) -> bool:
    """A public holiday of the configured country, or a date the deployer lists."""
    if day in _public_holidays(day.year, settings.HOLIDAYS_COUNTRY, settings.HOLIDAYS_SUBDIV):
        return True
    for item in settings.EXTRA_HOLIDAYS:
        if item == day.isoformat() or item == day.strftime("%m-%d"):
            return True
    return False


def month_day(day: dt.date) -> int:
    return day.month * 100 + day.day


def closure_covering(day: dt.date) -> Q:
    """Closures (once or every year) that include `day`; yearly ones may wrap past 31 Dec."""
    md = month_day(day)
    once = Q(every_year=False, start_date__lte=day, end_date__gte=day)
    yearly_plain = Q(start_md__lte=md, end_md__gte=md) & Q(start_md__lte=models.F("end_md"))
    yearly_wrapping = Q(start_md__gt=models.F("end_md")) & (Q(start_md__lte=md) | Q(end_md__gte=md))
    return once | (Q(every_year=True) & (yearly_plain | yearly_wrapping))


class ScheduleQuerySet(models.QuerySet):
    def _opening_on(self, day: dt.date) -> Q:
        """Rows whose opening starts on `day`: right weekday, valid, not closed that day."""
        from .models import Closure

        q = Q(byday__contains=WEEKDAY_CODES[day.weekday()])
        q &= Q(valid_from__isnull=True) | Q(valid_from__lte=day)
        q &= Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        if is_holiday(day):
            q &= Q(open_on_holidays=True)
        closed = Closure.objects.filter(closure_covering(day)).values("service_id")
        return q & ~Q(service_id__in=closed)

    def open_at(self, moment: dt.datetime):
        """Rows open at `moment`, including overnight openings that began the day before."""
        local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        today, now = local.date(), local.time()
        yesterday = today - dt.timedelta(days=1)
        started_today = (
            self._opening_on(today)
            & Q(opens_at__lte=now)
            & (Q(closes_next_day=True) | Q(closes_at__gt=now))
        )
        started_yesterday = self._opening_on(yesterday) & Q(closes_next_day=True, closes_at__gt=now)
        return self.filter(started_today | started_yesterday)


def weekly_hours(schedules) -> list[dict]:
    """Seven rows, Monday first: the day's name and its opening intervals, in time order."""
    rows = [
        {"code": code, "name": WEEKDAY_NAMES[i], "intervals": []}
        for i, code in enumerate(WEEKDAY_CODES)
    ]
    for schedule in sorted(schedules, key=lambda s: s.opens_at):
        for code in schedule.days:
            if code in WEEKDAY_CODES:
                rows[WEEKDAY_CODES.index(code)]["intervals"].append(schedule)
    return rows
