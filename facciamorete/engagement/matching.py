"""Which volunteers suit an opportunity, and which opportunities suit a volunteer.

A pair matches when the opportunity is in one of the volunteer's comuni and, where the
opportunity names days or parts of the day, the volunteer is free then. Matches are ranked by
shared skills, then shared languages.
"""

from .models import Opportunity, Volunteer, skill_words


def available(volunteer: Volunteer, opportunity: Opportunity) -> bool:
    days_ok = not opportunity.weekdays or set(opportunity.weekdays) & set(volunteer.weekdays)
    parts_ok = not opportunity.day_parts or set(opportunity.day_parts) & set(volunteer.day_parts)
    return bool(days_ok and parts_ok)


def score(volunteer: Volunteer, opportunity: Opportunity) -> tuple[int, int]:
    skills = len(skill_words(volunteer.skills) & skill_words(opportunity.skills_wanted))
    languages = len(
        {lang.pk for lang in volunteer.languages.all()}
        & {lang.pk for lang in opportunity.languages.all()}
    )
    return skills, languages


def opportunities_for(volunteer: Volunteer, limit: int = 20) -> list[Opportunity]:
    candidates = (
        Opportunity.objects.published()
        .filter(municipality__in=volunteer.municipalities.all())
        .select_related("organization", "municipality")
        .prefetch_related("languages")
    )
    matches = [o for o in candidates if available(volunteer, o)]
    matches.sort(key=lambda o: score(volunteer, o), reverse=True)
    return matches[:limit]


def volunteers_for(opportunity: Opportunity, limit: int = 20) -> list[Volunteer]:
    candidates = (
        Volunteer.objects.active()
        .filter(municipalities=opportunity.municipality_id)
        .prefetch_related("languages", "municipalities")
    )
    matches = [v for v in candidates if available(v, opportunity)]
    matches.sort(key=lambda v: score(v, opportunity), reverse=True)
    return matches[:limit]
