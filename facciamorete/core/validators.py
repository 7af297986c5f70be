"""Validators for Italian facts, with messages a person can act on."""

from decimal import Decimal

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.it import codicefiscale, iva

# Italy's extreme points (Lampedusa to Vetta d'Italia, Isola del Sole to Otranto), with margin.
ITALY_LATITUDE = (Decimal("35.4"), Decimal("47.1"))
ITALY_LONGITUDE = (Decimal("6.6"), Decimal("18.6"))


def normalize_tax_code(value: str) -> str:
    return "".join(value.split()).upper()


def validate_tax_code(value: str) -> None:
    """An organisation's codice fiscale: 11 digits (enti, imprese) or 16 characters (persone)."""
    code = normalize_tax_code(value)
    if len(code) == 11 and code.isdigit():
        if not iva.is_valid(code):
            raise ValidationError(
                _("Il codice fiscale %(code)s non è valido: la cifra di controllo non torna."),
                code="invalid_check_digit",
                params={"code": code},
            )
        return
    if len(code) == 16:
        if not codicefiscale.is_valid(code):
            raise ValidationError(
                _("Il codice fiscale %(code)s non è valido: controlla lettere e cifre."),
                code="invalid_check_digit",
                params={"code": code},
            )
        return
    raise ValidationError(
        _("Il codice fiscale deve avere 11 cifre (enti) o 16 caratteri (persone fisiche)."),
        code="invalid_length",
    )


def normalize_phone(value: str) -> str:
    """Store phone numbers in the international format, e.g. +39 06 1234567."""
    number = phonenumbers.parse(value, "IT")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def validate_phone(value: str) -> None:
    try:
        number = phonenumbers.parse(value, "IT")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("«%(value)s» non è un numero di telefono valido. Esempio: 06 1234567 o 333 1234567."),
            code="invalid_phone",
            params={"value": value},
        )


def validate_latitude_in_italy(value) -> None:
    if value is not None and not ITALY_LATITUDE[0] <= Decimal(value) <= ITALY_LATITUDE[1]:
        raise ValidationError(
            _("La latitudine %(value)s è fuori dall'Italia (deve stare tra 35,4 e 47,1)."),
            code="outside_italy",
            params={"value": value},
        )


def validate_longitude_in_italy(value) -> None:
    if value is not None and not ITALY_LONGITUDE[0] <= Decimal(value) <= ITALY_LONGITUDE[1]:
        raise ValidationError(
            _("La longitudine %(value)s è fuori dall'Italia (deve stare tra 6,6 e 18,6)."),
            code="outside_italy",
            params={"value": value},
        )
