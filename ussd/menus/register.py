"""Register: the household registration form of `forms/`, one question per screen.

The form engine decides the questions (the fields marked for USSD), validates each answer and
keeps its own JSON state; this menu numbers the choices, pages them, keeps a history for `0`
back, saves a resumable draft after each answer, and confirms before registering.
"""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select

from forms import engine
from forms.catalog import get_form
from forms.engine import FormContext
from forms.households import to_household_data
from registry.areas.models import Area
from registry.errors import InvalidInput
from registry.households.service import HouseholdData, register_household
from registry.i18n import translate, translate_ctx
from registry.selfservice.resume import discard_draft, save_draft
from ussd.dialog import MAIN, Dialog, Finish, Go, Outcome, Stay, choice, invalid
from ussd.screens import KEY_MORE, Screen, numbered

FLOW = "register"
REGISTRATION_FORM = "household_registration"
FORM_MORE = "more"  # forms.engine.MORE: the choice that turns the engine's page of choices


def _form() -> Any:
    return get_form(REGISTRATION_FORM)


def _context(d: Dialog) -> FormContext:
    return FormContext(
        session=d.session,
        language=d.lang,
        channel="ussd",
        default_country=d.settings.default_country,
    )


def _snapshot(step: Any) -> dict[str, Any]:
    return {
        "field": step.field,
        "prompt": step.prompt,
        "choices": [[value, label] for value, label in step.choices],
        "error": step.error,
        "state": step.state,
    }


def _shown(step: dict[str, Any]) -> list[list[str]]:
    """The choices to number; the engine's own "more" entry becomes the `98` key."""
    return [pair for pair in step["choices"] if pair[0] != FORM_MORE]


def _has_more(step: dict[str, Any]) -> bool:
    return any(pair[0] == FORM_MORE for pair in step["choices"])


def _save(d: Dialog) -> None:
    draft = copy.deepcopy(d.data["form"])
    d.after_commit(lambda: save_draft(d.kv, d.phone, FLOW, draft))


def begin_registration(d: Dialog) -> Outcome:
    form = _form()
    # The caller's own phone is known: the head is taken to be the caller, and not asked.
    prefill = {"head_has_phone": "yes", "head_phone": d.phone}
    step = engine.start(form, _context(d), prefill=prefill)
    d.data["form"] = {"step": _snapshot(step), "history": [], "final": None}
    _save(d)
    return Go(RegisterMenu.name)


def resume_registration(d: Dialog, draft: dict[str, Any]) -> Outcome:
    d.data["form"] = draft
    if draft.get("final"):
        return Go(ConfirmMenu.name)
    return Go(RegisterMenu.name)


class RegisterMenu:
    name = "register"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        step = d.data["form"]["step"]
        header = step["prompt"]
        if step.get("error") and not d.error:
            header = f"{step['error']}\n{header}"
        labels = [label for _, label in _shown(step)]
        return Screen(header, numbered(labels), more=_has_more(step))

    def back(self, d: Dialog) -> bool:
        history = d.data["form"]["history"]
        if not history:
            return False
        d.data["form"]["step"] = history.pop()
        _save(d)
        return True

    def handle(self, d: Dialog, raw: str) -> Outcome:
        current = d.data["form"]["step"]
        value = raw
        if raw == KEY_MORE and _has_more(current):
            value = FORM_MORE
        elif current["choices"]:
            # The engine reads the position typed on its page of choices (values may be
            # digits themselves), so the position goes back, once known to be on the list.
            if choice(raw, len(_shown(current))) is None:
                return invalid(d)
        form = _form()
        step = engine.answer(form, _context(d), current["state"], value)
        if step.error or value == FORM_MORE:
            d.data["form"]["step"] = _snapshot(step)
            _save(d)
            return Stay()
        clean = {**current, "error": None}
        d.data["form"]["history"].append(clean)
        if step.done:
            # The clean data is rebuilt from this last answer when needed: dates and the like
            # need not survive JSON in the session store.
            d.data["form"]["final"] = {"state": current["state"], "raw": value}
            _save(d)
            return Go(ConfirmMenu.name)
        d.data["form"]["step"] = _snapshot(step)
        _save(d)
        return Stay()


def household_data(d: Dialog) -> HouseholdData:
    form = _form()
    final = d.data["form"]["final"]
    step = engine.answer(form, _context(d), final["state"], final["raw"])
    data = to_household_data(step.data)
    data.consent_method = "ussd"
    if data.members:
        head = data.members[0]
        head.phone = head.phone or d.phone
        head.language = d.lang
    return data


class ConfirmMenu:
    name = "register_confirm"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        data = household_data(d)
        head = data.members[0]
        area = d.session.scalar(select(Area).where(Area.code == data.area_code))
        lines = [
            f"{head.given_name} {head.family_name}, {head.birth_year}",
            area.name_in(d.lang) if area else data.area_code,
            translate_ctx(d.lang, "ussd", "People: %(count)s", count=_size(data)),
        ]
        header = translate_ctx(d.lang, "ussd", "Is this right?")
        yes_no = numbered(
            [translate_ctx(d.lang, "ussd", "Yes"), translate_ctx(d.lang, "ussd", "No")]
        )
        return Screen("\n".join([header, *lines]), yes_no)

    def back(self, d: Dialog) -> bool:
        d.data["form"]["final"] = None
        history = d.data["form"]["history"]
        if history:
            d.data["form"]["step"] = history.pop()
        _save(d)
        d.go(RegisterMenu.name, push=False)
        return True

    def handle(self, d: Dialog, raw: str) -> Outcome:
        index = choice(raw, 2)
        if index is None:
            return invalid(d)
        if index == 1:
            d.after_commit(lambda: discard_draft(d.kv, d.phone))
            d.data.pop("form", None)
            d.state.stack.clear()
            return Go(MAIN, push=False)
        data = household_data(d)
        d.claim_once()
        try:
            household = register_household(d.session, data, origin=d.origin())
        except InvalidInput as exc:
            return Stay(translate(d.lang, exc.msgid, **exc.params))
        d.after_commit(lambda: discard_draft(d.kv, d.phone))
        return Finish(
            translate_ctx(
                d.lang,
                "ussd",
                "Thank you. Your household number is %(number)s. An SMS is on its way. "
                "A field worker will visit to verify.",
                number=household.number,
            )
        )


def _size(data: HouseholdData) -> int:
    declared = data.extra.get("household_size")
    return (
        int(declared)
        if isinstance(declared, int | str) and str(declared).isdigit()
        else len(data.members)
    )
