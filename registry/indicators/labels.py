"""Names of breakdown values and table columns, in the reader's language (web and PDF alike)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.grievances.models import GrievanceCategory
from registry.grievances.states import CHANNEL_LABELS
from registry.i18n import N_, translate

DIMENSION_LABELS = {
    "sex": {"F": N_("Women and girls"), "M": N_("Men and boys")},
    "disability": {"yes": N_("With a disability"), "no": N_("Without a disability")},
    "channel": {str(k): v for k, v in CHANNEL_LABELS.items()},
    "flow": {
        "menu": N_("Main menu"),
        "language": N_("Choosing a language"),
        "register": N_("Registering"),
        "status": N_("Checking status"),
        "report": N_("Reporting a problem"),
        "track": N_("Tracking a grievance"),
    },
}
AGE_LABEL = N_("%(band)s years")
COLUMN_LABELS = {
    "value": N_("Total"),
    "numerator": N_("Numerator"),
    "denominator": N_("Denominator"),
    "cases": N_("Cases"),
}
PERCENT_LABEL = N_("Percent")
MEDIAN_LABEL = N_("Median")


class Labeller:
    """Turns stored breakdown values into words; category names come from the registry."""

    def __init__(self, session: Session, language: str) -> None:
        self.language = language
        self._categories = {
            c.code: c.name_in(language)
            for c in session.scalars(
                select(GrievanceCategory).where(GrievanceCategory.parent_id.is_(None))
            )
        }

    def dimension(self, kind: str | None, value: str) -> str:
        if kind == "age":
            return translate(self.language, AGE_LABEL, band=value)
        if kind == "category":
            return self._categories.get(value, value)
        if kind == "screen":
            flow, _slash, screen = value.partition("/")
            return f"{self.dimension('flow', flow)}: {screen}"
        known = DIMENSION_LABELS.get(kind or "", {}).get(value)
        return translate(self.language, known) if known else value

    def column(self, kind: str | None, column: str, unit: str) -> str:
        if column == "value" and unit == "percent":
            return translate(self.language, PERCENT_LABEL)
        if column == "value" and unit == "median":
            return translate(self.language, MEDIAN_LABEL)
        if column in COLUMN_LABELS:
            return translate(self.language, COLUMN_LABELS[column])
        return self.dimension(kind, column)


def format_figure(value: Decimal | None, unit: str, language: str, currency: str = "") -> str:
    """A figure as people read it; a dash for hidden or absent figures."""
    if value is None:
        return "–"
    locale = language if language in ("en", "fr", "sw", "pt", "ar") else "en"
    if unit == "percent":
        return format_decimal(value, format="#,##0.0", locale=locale) + " %"
    if unit == "median":
        return format_decimal(value, format="#,##0.0", locale=locale)
    if unit == "money":
        text = format_decimal(value, format="#,##0.00", locale=locale)
        return f"{text} {currency}".strip()
    return format_decimal(value, format="#,##0", locale=locale)
