"""Decision reasons are stored as message ids with values, and put into words on display."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.households.models import HouseholdStatus
from registry.i18n import N_, translate
from registry.programs.expr import RuleError, Type
from registry.programs.rules import RuleDocumentError

REGISTRATION_LABELS = {
    HouseholdStatus.PENDING_VERIFICATION: N_("waiting for verification"),
    HouseholdStatus.ACTIVE: N_("active"),
    HouseholdStatus.INACTIVE: N_("inactive"),
}
TYPE_LABELS = {
    Type.NUMBER: N_("a number"),
    Type.BOOL: N_("yes or no"),
    Type.TEXT: N_("a text"),
    Type.TEXT_LIST: N_("a list of texts"),
    Type.NUMBER_LIST: N_("a list of numbers"),
}


class AreaNames:
    """Area names by code, read once per rendering batch."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._names: dict[str, Area] | None = None

    def name(self, code: str, language: str) -> str:
        if self._names is None:
            self._names = {a.code: a for a in self.session.scalars(select(Area))}
        area = self._names.get(code)
        return area.name_in(language) if area else code


def render_reason(
    parts: Sequence[Sequence[Any]], language: str, areas: AreaNames | None = None
) -> str:
    """One line in `language`: "household has 2 children under 5; income score 31 is below 40"."""
    words = []
    for msgid, params in parts:
        params = dict(params)
        if "area" in params:
            params["value"] = areas.name(params["area"], language) if areas else params["area"]
        if "status" in params:
            label = REGISTRATION_LABELS.get(params["status"], params["status"])
            params["value"] = translate(language, label)
        params = {k: v for k, v in params.items() if k not in ("area", "status")}
        words.append(translate(language, msgid, **params))
    return "; ".join(words)


def render_rule_error(error: RuleDocumentError, language: str) -> str:
    """ "conditions[2], line 1, column 8: unknown field “childs”" in `language`."""
    params = {
        key: translate(language, TYPE_LABELS[value]) if isinstance(value, Type) else value
        for key, value in error.params.items()
    }
    message = translate(language, error.msgid, **params)
    if error.line is None:
        return translate(language, N_("%(where)s: %(text)s"), where=error.where, text=message)
    return translate(
        language,
        N_("%(where)s, line %(line)s, column %(column)s: %(text)s"),
        where=error.where,
        line=error.line,
        column=error.column,
        text=message,
    )


def rule_error_pointer(error: RuleDocumentError) -> str | None:
    inner: RuleError | None = error.error
    return inner.pointer() if inner else None


def localized(names: Mapping[str, str], language: str, fallback: str = "") -> str:
    return names.get(language) or names.get("en") or fallback
