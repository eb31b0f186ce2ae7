"""Status check: which household, proven by its number (or card number) and the head's birth year.

A caller whose phone belongs to exactly one household skips this form (issue 5's lookup).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from forms.engine import Form
from forms.fields import BirthYearField, Field, FieldError
from forms.text import ascii_digits
from registry.i18n import N_
from registry.numbers import CARD_NUMBER_LENGTH, HOUSEHOLD_NUMBER_LENGTH, is_valid

if TYPE_CHECKING:
    from forms.engine import FormContext


@dataclass(frozen=True)
class HouseholdOrCardNumber(Field):
    """A household number (9 digits) or card number (12), Luhn-checked before any lookup."""

    icon: str = "number"
    widget = "number"
    inputmode = "numeric"

    def convert(self, text: str, ctx: FormContext) -> str:
        digits = ascii_digits(text) if len(text) <= 40 else None
        if (
            digits is None
            or len(digits) not in (HOUSEHOLD_NUMBER_LENGTH, CARD_NUMBER_LENGTH)
            or not is_valid(digits)
        ):
            raise FieldError(N_("Check the number: a digit is wrong or missing."))
        return digits


FORM = Form(
    name="status_check",
    title=N_("Check a household's status"),
    items=(
        HouseholdOrCardNumber(
            "number", N_("Household number or card number"), short=N_("Household or card number?")
        ),
        BirthYearField(
            "head_birth_year", N_("Year of birth of the head"), short=N_("Head's year of birth?")
        ),
    ),
    groups=(("main", N_("Check a household's status"), "search"),),
)
