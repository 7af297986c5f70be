"""Dates written as people write them in each language: "1 agosto 2026", "1 August 2026",
"1 серпня 2026". Django's catalogues capitalise Italian, French, Spanish and Romanian month and
day names; in those languages they are lowercase inside a sentence.

Registered as a template builtin (settings.TEMPLATES), so no `{% load %}` is needed.
"""

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.translation import get_language

register = template.Library()

LOWERCASE_NAMES = {"it", "fr", "es", "ro", "uk"}


def _written(value, fmt: str) -> str:
    text = format_date(value, fmt)
    return text.lower() if (get_language() or "")[:2] in LOWERCASE_NAMES else text


@register.filter
def long_date(value) -> str:
    """1 agosto 2026"""
    return _written(value, "j E Y")


@register.filter
def day_month(value) -> str:
    """1 agosto"""
    return _written(value, "j E")


@register.filter
def long_datetime(value) -> str:
    """sabato 1 agosto 2026, 10:30"""
    return _written(value, "l j E Y, H:i")
