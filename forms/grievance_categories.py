"""Grievance categories for the form: issue 7's managed list, or a standard starting list.

The grievance desk (registry.grievances) keeps the categories people can pick; until it is
installed the form offers the usual top-level categories of a grievance mechanism.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from registry.i18n import N_

if TYPE_CHECKING:
    from forms.engine import FormContext

STARTING_CATEGORIES = (
    ("payment", N_("Payment missing or wrong")),
    ("exclusion", N_("Left out of a program")),
    ("conduct", N_("Behaviour of staff")),
    ("data", N_("Wrong personal details")),
    ("other", N_("Something else")),
)


def category_choices(ctx: FormContext) -> list[tuple[str, str]]:
    try:
        service = importlib.import_module("registry.grievances.service")
    except ImportError:
        return [(code, ctx.translate(label)) for code, label in STARTING_CATEGORIES]
    return [(c.code, c.name) for c in service.list_categories(ctx.session, ctx.language)]
