"""The events as an iCalendar (RFC 5545) feed, built with the `icalendar` package."""

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as CalendarEvent


def events_calendar(events, *, request, organization=None) -> bytes:
    host = request.get_host().split(":")[0]
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//Eventi//IT")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = _("Eventi di %(name)s") % {
        "name": organization.name if organization else settings.SITE_NAME
    }
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        item = CalendarEvent()
        item.add("uid", f"{event.pk}@{host}")
        item.add("dtstamp", event.updated_at)
        item.add("dtstart", event.starts_at)
        if event.ends_at:
            item.add("dtend", event.ends_at)
        item.add("summary", event.title)
        item.add("description", event.summary)
        where = [event.place, event.address]
        if event.municipality:
            where.append(event.municipality.name)
        item.add("location", ", ".join(p for p in where if p))
        item.add("url", request.build_absolute_uri(event.get_absolute_url()))
        item.add(
            "organizer",
            f"mailto:{settings.DEFAULT_FROM_EMAIL.split('<')[-1].strip('> ')}",
            parameters={"CN": event.organizer_name},
        )
        calendar.add_component(item)
    return calendar.to_ical()
