"""The engine: walks a form one question at a time (USSD, SMS) or checks a page (web).

Both modes call the same `Field.clean`, so a rule holds on every channel. The step state is a
plain JSON-serializable dict that the door keeps between requests (USSD session, SMS thread).

Choice lists longer than `MAX_MENU_ITEMS` are paged for USSD and SMS: four items and "More".
A person may answer with the position they see (1..5) or with the value itself.
"""

from __future__ import annotations

import copy
from collections import ChainMap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from forms.areas import children
from forms.fields import AreaField, Field, FieldError, RepeatGroup, field_default
from registry.areas.models import AreaLevel
from registry.i18n import N_, translate
from registry.scope import Scope

MAX_MENU_ITEMS = 5
MORE = "more"
SHORT_CHANNELS = frozenset({"ussd", "sms"})
WEB_CHANNELS = {"web": "web", "field": "web", "api": "web", "ussd": "ussd", "sms": "sms"}


@dataclass
class FormContext:
    """Who fills the form and where: language, channel, deployment country, visible areas."""

    session: Session
    language: str
    channel: str
    default_country: str = "KE"
    scope: Scope = field(default_factory=Scope.unrestricted)
    today: date = field(default_factory=date.today)

    def __post_init__(self) -> None:
        self.channel = WEB_CHANNELS.get(str(self.channel), "web")

    @property
    def short(self) -> bool:
        return self.channel in SHORT_CHANNELS

    def translate(self, msgid: str, **params: object) -> str:
        return translate(self.language, msgid, **params)


@dataclass(frozen=True)
class Form:
    """A form declared once: ordered items, and the screens (groups) the web shows them on."""

    name: str
    title: str
    items: tuple[Field | RepeatGroup, ...]
    groups: tuple[tuple[str, str, str], ...] = ()  # (name, label msgid, icon)

    def item(self, name: str) -> Field | RepeatGroup:
        for item in self.items:
            if item.name == name:
                return item
        raise KeyError(name)


@dataclass
class Step:
    done: bool
    field: str | None
    prompt: str
    choices: list[tuple[str, str]]
    error: str | None
    state: dict[str, Any]
    data: dict[str, Any] | None = None


@dataclass
class PageResult:
    clean: dict[str, Any] | None
    errors: dict[str, str]


@dataclass(frozen=True)
class _Slot:
    field: Field
    group: RepeatGroup | None = None
    index: int = 0

    @property
    def path(self) -> str:
        if self.group is None:
            return self.field.name
        return f"{self.group.name}.{self.index}.{self.field.name}"


# --- walking a form step by step -------------------------------------------------------


def start(form: Form, ctx: FormContext, prefill: Mapping[str, Any] | None = None) -> Step:
    """The first question; `prefill` answers (already known: caller's phone...) are kept
    when valid and not asked again."""
    answers = _prefilled(form, ctx, prefill or {})
    state: dict[str, Any] = {"form": form.name, "answers": answers, "page": 0, "area": None}
    return _next_step(form, ctx, state, error=None)


def answer(form: Form, ctx: FormContext, state: dict[str, Any], raw: str) -> Step:
    """Takes the answer to the pending question; the next step, or the same one with `error`."""
    state = copy.deepcopy(state)
    state.setdefault("answers", {})
    state.setdefault("page", 0)
    slot = _pending(form, ctx, state["answers"])
    if slot is None:
        return _next_step(form, ctx, state, error=None)
    raw = "" if raw is None else str(raw)
    choices = _all_choices(slot, ctx, state)
    if choices is not None and ctx.short:
        picked = _pick_from_page(choices, state["page"], raw.strip())
        if picked == MORE:
            state["page"] = _next_page(len(choices), state["page"])
            return _next_step(form, ctx, state, error=None)
        if picked is not None:
            raw = picked
    if isinstance(slot.field, AreaField) and ctx.short:
        level = (state.get("area") or {}).get("level", AreaLevel.REGION)
        if level < AreaLevel.COMMUNITY:
            codes = {code for code, _ in choices or []}
            if raw.strip() not in codes:
                return _refuse(form, ctx, state, N_("Choose one of the answers in the list."))
            state["area"] = {"level": level + 1, "parent": raw.strip()}
            state["page"] = 0
            return _next_step(form, ctx, state, error=None)
    try:
        value = slot.field.clean(raw, ctx)
    except FieldError as exc:
        return _refuse(form, ctx, state, exc.msgid, **exc.params)
    _store(state["answers"], slot, value)
    state["page"] = 0
    state["area"] = None
    return _next_step(form, ctx, state, error=None)


def _refuse(form: Form, ctx: FormContext, state: dict[str, Any], msgid: str, **params: Any) -> Step:
    return _next_step(form, ctx, state, error=ctx.translate(msgid, **params))


def _next_step(form: Form, ctx: FormContext, state: dict[str, Any], error: str | None) -> Step:
    slot = _pending(form, ctx, state["answers"])
    if slot is None:
        data = finalize(form, ctx, state["answers"])
        return Step(True, None, "", [], error, state, data)
    choices = _all_choices(slot, ctx, state)
    more = ctx.translate(N_("More"))
    paged = choices is not None and ctx.short
    shown = _page(choices, state.get("page", 0), more) if paged and choices else choices
    return Step(False, slot.path, _prompt(slot, ctx, state), shown or [], error, state)


def _prompt(slot: _Slot, ctx: FormContext, state: dict[str, Any]) -> str:
    text = slot.field.short if ctx.short and slot.field.short else slot.field.label
    prompt = ctx.translate(text)
    if isinstance(slot.field, AreaField) and ctx.short:
        level = (state.get("area") or {}).get("level", AreaLevel.REGION)
        prompt = ctx.translate(AREA_LEVEL_PROMPTS[level])
    if slot.group is not None:
        prompt = f"{ctx.translate(slot.group.item_label, n=slot.index + 1)}: {prompt}"
    return prompt


AREA_LEVEL_PROMPTS = {
    AreaLevel.REGION: N_("Region?"),
    AreaLevel.DISTRICT: N_("District?"),
    AreaLevel.COMMUNITY: N_("Community?"),
}


def _all_choices(
    slot: _Slot, ctx: FormContext, state: dict[str, Any]
) -> list[tuple[str, str]] | None:
    if isinstance(slot.field, AreaField) and ctx.short:
        area_state = state.get("area") or {}
        return children(ctx, area_state.get("parent"), area_state.get("level", AreaLevel.REGION))
    return slot.field.choices(ctx)


def _page(
    choices: list[tuple[str, str]], page: int, more_label: str = "»"
) -> list[tuple[str, str]]:
    if len(choices) <= MAX_MENU_ITEMS:
        return list(choices)
    size = MAX_MENU_ITEMS - 1
    return [*choices[page * size : (page + 1) * size], (MORE, more_label)]


def _next_page(total: int, page: int) -> int:
    size = MAX_MENU_ITEMS - 1
    return page + 1 if (page + 1) * size < total else 0


def _pick_from_page(choices: list[tuple[str, str]], page: int, raw: str) -> str | None:
    """The value behind a position typed on a paged menu (or MORE); None if not a position."""
    shown = _page(choices, page)
    if raw.isdecimal() and len(raw) <= 2 and 1 <= int(raw) <= len(shown):
        return shown[int(raw) - 1][0]
    if raw == MORE and len(choices) > MAX_MENU_ITEMS:
        return MORE
    return None


def _pending(form: Form, ctx: FormContext, answers: Mapping[str, Any]) -> _Slot | None:
    for item in form.items:
        if isinstance(item, RepeatGroup):
            if not item.applies(answers, ctx.channel):
                continue
            entries = answers.get(item.name) or []
            for index in range(_count(item, answers)):
                entry = entries[index] if index < len(entries) else {}
                view = ChainMap(entry, answers)
                for sub in item.fields:
                    if sub.name not in entry and sub.applies(view, ctx.channel):
                        return _Slot(sub, item, index)
        elif item.name not in answers and item.applies(answers, ctx.channel):
            return _Slot(item)
    return None


def _count(group: RepeatGroup, answers: Mapping[str, Any]) -> int:
    count = answers.get(group.count_field)
    return min(count, group.max_items) if isinstance(count, int) else 0


def _store(answers: dict[str, Any], slot: _Slot, value: Any) -> None:
    if slot.group is None:
        answers[slot.field.name] = value
        return
    entries = answers.setdefault(slot.group.name, [])
    while len(entries) <= slot.index:
        entries.append({})
    entries[slot.index][slot.field.name] = value


def _prefilled(form: Form, ctx: FormContext, prefill: Mapping[str, Any]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for item in form.items:
        if item.name not in prefill or prefill[item.name] is None:
            continue
        if isinstance(item, RepeatGroup):
            entries = []
            for given in prefill[item.name] or []:
                entry = {}
                for sub in item.fields:
                    value = _clean_quietly(sub, given.get(sub.name), ctx)
                    if value is not None:
                        entry[sub.name] = value
                entries.append(entry)
            answers[item.name] = entries
        else:
            value = _clean_quietly(item, prefill[item.name], ctx)
            if value is not None:
                answers[item.name] = value
    return answers


def _clean_quietly(item: Field, value: Any, ctx: FormContext) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        value = "yes" if value else "no"
    try:
        return item.clean(str(value), ctx)
    except FieldError:
        return None


def finalize(form: Form, ctx: FormContext, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Clean data with every field present: answered, defaulted (not asked on this channel)
    or None (skipped by skip logic)."""
    data: dict[str, Any] = {}
    for item in form.items:
        if isinstance(item, RepeatGroup):
            entries = list(answers.get(item.name) or [])[: _count(item, answers)]
            data[item.name] = [
                {sub.name: _final_value(sub, entry, ctx) for sub in item.fields}
                for entry in entries
            ]
        else:
            data[item.name] = _final_value(item, answers, ctx)
    return data


def _final_value(item: Field, values: Mapping[str, Any], ctx: FormContext) -> Any:
    if item.name in values:
        return values[item.name]
    if ctx.channel not in item.channels:
        return field_default(item, ctx)
    return None


# --- checking a web page ---------------------------------------------------------------


def validate_page(
    form: Form,
    ctx: FormContext,
    data: Mapping[str, str | list[str]],
    *,
    groups: Iterable[str] | None = None,
) -> PageResult:
    """Checks posted answers. Repeat-group answers come as lists under "group.field".

    With `groups`, only the questions of those screens report errors (the web asks one group
    per screen); answers elsewhere are still read for the skip logic. `clean` is None when
    anything is refused; otherwise it holds every field (see `finalize`).
    """
    only = set(groups) if groups is not None else None
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def check(item: Field, raw: Any, key: str, target: dict[str, Any]) -> None:
        try:
            value = item.clean(raw, ctx)
        except FieldError as exc:
            if only is None or item.group in only:
                errors[key] = ctx.translate(exc.msgid, **exc.params)
            return
        if value is not None:
            target[item.name] = value

    for item in form.items:
        if isinstance(item, RepeatGroup):
            if not item.applies(answers, ctx.channel):
                continue
            entries: list[dict[str, Any]] = []
            for index in range(_count(item, answers)):
                entry: dict[str, Any] = {}
                for sub in item.fields:
                    if sub.applies(ChainMap(entry, answers), ctx.channel):
                        raw_list = data.get(f"{item.name}.{sub.name}")
                        raw = _at(raw_list, index)
                        check(sub, raw, f"{item.name}.{index}.{sub.name}", entry)
                entries.append(entry)
            answers[item.name] = entries
        elif item.applies(answers, ctx.channel):
            check(item, data.get(item.name), item.name, answers)
    if errors:
        return PageResult(None, errors)
    return PageResult(finalize(form, ctx, answers), {})


def _at(raw: Any, index: int) -> str:
    if isinstance(raw, list | tuple):
        return str(raw[index]) if index < len(raw) else ""
    return str(raw) if raw is not None and index == 0 else ""


def render_text(step: Step) -> str:
    """A step as USSD/SMS text: error, prompt, then numbered choices ("1. Yes")."""
    lines = [line for line in (step.error, step.prompt) if line]
    lines += [f"{n}. {label}" for n, (_value, label) in enumerate(step.choices, start=1)]
    return "\n".join(lines)
