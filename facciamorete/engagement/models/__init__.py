"""Joining the network, volunteering with it, and the network's news and events.

Personal data here (applicants' contacts, people registered to events, volunteers) is read in the
staff area only by district coordinators and network admins: `visible_to(user)` decides it.
"""

from .base import PersonalDataQuerySet, new_access_token, new_reference
from .joining import Charter, JoinApplication, NetworkGoal
from .news_events import Event, EventRegistration, NewsItem
from .support import Campaign, Donation, Pledge
from .volunteering import (
    DayPart,
    HoursLog,
    Interest,
    Opportunity,
    Profession,
    Volunteer,
    Weekday,
    skill_words,
)

__all__ = [
    "Campaign",
    "Donation",
    "Pledge",
    "DayPart",
    "HoursLog",
    "Interest",
    "Opportunity",
    "Profession",
    "Volunteer",
    "Weekday",
    "skill_words",
    "Charter",
    "Event",
    "EventRegistration",
    "JoinApplication",
    "NetworkGoal",
    "NewsItem",
    "PersonalDataQuerySet",
    "new_access_token",
    "new_reference",
]
