"""Numbers, dates and amounts written the way a speech synthesiser says them in each language.

Tracking and household numbers are read digit by digit (a pause between each), never as one big
number; dates are spelled with the month's name; amounts as a number and the currency's name.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal, get_currency_name

BABEL_LOCALES = {"en": "en", "fr": "fr", "sw": "sw", "pt": "pt", "ar": "ar"}


def digit_by_digit(number: str) -> str:
    """ "4821" -> "4, 8, 2, 1": each digit its own word, with a short pause between them."""
    return ", ".join(ch for ch in number if ch.isdigit())


def spoken_date(day: date, language: str) -> str:
    """ "7 December 2026" in the language (long date; Western digits for the synthesiser)."""
    text = format_date(day, format="long", locale=BABEL_LOCALES.get(language, "en"))
    return _western_digits(text)


def spoken_amount(amount: Decimal, currency: str, language: str) -> str:
    """ "1500 Kenyan shillings": a plain number (no grouping marks to misread) and the name."""
    locale = BABEL_LOCALES.get(language, "en")
    whole = amount == amount.to_integral_value()
    number = (
        str(int(amount))
        if whole
        else format_decimal(amount, format="0.00", locale=locale, group_separator=False)
    )
    try:
        name = get_currency_name(currency, count=int(amount) if whole else 2, locale=locale)
    except Exception:  # an unknown code: say the code
        name = currency
    return f"{_western_digits(number)} {name}"


def _western_digits(text: str) -> str:
    """espeak-ng reads Western digits in every voice; Arabic-Indic ones it may skip."""
    return text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
