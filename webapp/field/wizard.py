"""One group of questions per screen, with plain form posts (JavaScript optional).

Every screen posts the whole form (other screens' inputs are in the page, hidden by CSS), so
the server always holds every answer and checks only the current screen's group; the summary
and the save check everything with `forms.engine.validate_page`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from werkzeug.datastructures import MultiDict

from forms.areas import area_label, communities_by_district
from forms.engine import Form, FormContext, PageResult, validate_page
from forms.fields import Field, RepeatGroup


@dataclass
class Screen:
    name: str
    label: str
    icon: str
    items: list[Field | RepeatGroup] = field(default_factory=list)


def screens(form: Form, ctx: FormContext) -> list[Screen]:
    """The web screens of `form`: its groups that hold at least one web question."""
    by_name = {name: Screen(name, label, icon) for name, label, icon in form.groups}
    for item in form.items:
        if ctx.channel in item.channels and item.group in by_name:
            by_name[item.group].items.append(item)
    return [screen for screen in by_name.values() if screen.items]


def posted_data(form: Form, posted: MultiDict[str, str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {}
    for item in form.items:
        if isinstance(item, RepeatGroup):
            count = member_count(form, posted).get(item.name, 0)
            for sub in item.fields:
                data[f"{item.name}.{sub.name}"] = [
                    posted.get(f"{item.name}.{i}.{sub.name}", "") for i in range(count)
                ]
        elif item.name in posted:
            data[item.name] = posted.get(item.name, "")
    return data


def raw_from_clean(form: Form, clean: Mapping[str, Any]) -> dict[str, str | list[str]]:
    """Answers as the inputs show them, from clean values (pre-filling an existing household)."""
    data: dict[str, str | list[str]] = {}
    for item in form.items:
        if isinstance(item, RepeatGroup):
            entries = clean.get(item.name) or []
            for sub in item.fields:
                data[f"{item.name}.{sub.name}"] = [_raw(e.get(sub.name)) for e in entries]
        elif item.name in clean:
            data[item.name] = _raw(clean[item.name])
    return data


def defaults(form: Form, ctx: FormContext) -> dict[str, Any]:
    """Pre-selected answers: the field's default (e.g. message language = the worker's)."""
    return {
        item.name: item.default(ctx)
        for item in form.items
        if isinstance(item, Field) and item.default is not None
    }


def _raw(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def member_count(form: Form, data: Mapping[str, Any]) -> dict[str, int]:
    """How many blocks each repeat group shows: the count answered, within its bounds."""
    counts: dict[str, int] = {}
    for item in form.items:
        if isinstance(item, RepeatGroup):
            raw = str(data.get(item.count_field) or "0").strip()
            counts[item.name] = min(int(raw), item.max_items) if raw.isdigit() else 0
    return counts


def check_screen(
    form: Form, ctx: FormContext, data: Mapping[str, Any], screen: Screen
) -> PageResult:
    return validate_page(form, ctx, data, groups=[screen.name])


def area_groups(ctx: FormContext) -> list[tuple[str, list[tuple[str, str]]]]:
    return communities_by_district(ctx)


def condition_of(item: Field) -> tuple[str, str] | None:
    """(field, value) a question depends on, when the page can show or hide it live."""
    return getattr(item.ask_if, "when", None) if item.ask_if is not None else None


__all__ = ["area_label"]
