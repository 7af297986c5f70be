"""Dates written as people write them in each language: "1 agosto 2026", "1 August 2026",
"1 серпня 2026". Django's catalogues capitalise Italian, French, Spanish and Romanian month and
day names; in those languages they are lowercase inside a sentence.

Amounts of money too: "30,00 €" in Italian, "€30.00" in English (`money`).

Registered as a template builtin (settings.TEMPLATES), so no `{% load %}` is needed.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import date as format_date
from django.utils.formats import number_format
from django.utils.translation import get_language

register = template.Library()

LOWERCASE_NAMES = {"it", "fr", "es", "ro", "uk"}
# Languages that write the euro sign before the amount ("€30.00"); the others after it, with a
# space ("30,00 €"). Digits stay Western in every language (Django's formats never change them).
SIGN_FIRST = {"en"}
CENT = Decimal("0.01")


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


@register.filter
def money(value) -> str:
    """An amount in euro as the active language writes it: 30,00 € · €30.00."""
    if value is None or value == "":
        return ""
    try:
        # Rounded to the cent (Django's number_format would cut the digits off).
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return ""
    if not amount.is_finite():
        return ""
    number = number_format(abs(amount), decimal_pos=2, use_l10n=True)
    minus = "-" if amount < 0 else ""
    if (get_language() or "")[:2] in SIGN_FIRST:
        return f"{minus}€{number}"
    return f"{minus}{number} €"
