"""Grievance categories for the form: the grievance desk's managed list (registry.grievances)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from registry.grievances.service import list_categories

if TYPE_CHECKING:
    from forms.engine import FormContext


def category_choices(ctx: FormContext) -> list[tuple[str, str]]:
    return [(c.code, c.name) for c in list_categories(ctx.session, ctx.language)]
