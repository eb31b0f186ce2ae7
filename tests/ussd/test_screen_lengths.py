"""Every screen, in every language, with the longest real values: within 182 characters.

Each menu is rendered directly with data chosen to make it as long as it can get: the real
registration form walked with long names and, at each list, the longest real choice (so the
longest area names of the demo country), with the longest error the form gives above its
widest question; a household with a real program line, reason and next payment; the longest
real grievance category; a real complaint with a public reply. Pages are cut the way the
endpoint cuts them.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from forms import engine
from forms.catalog import get_form
from forms.engine import MORE, FormContext
from registry.areas.models import Area, AreaLevel
from registry.grievances.actions import reply_to_complainant
from registry.grievances.service import GrievanceData, list_categories, lodge_grievance
from registry.kvstore import KeyValueStore
from registry.numbers import luhn_check_digit
from registry.origin import Channel, Origin
from registry.programs.enrollment import apply_rule_set
from registry.scope import Scope
from tests.factories import community, region
from tests.registry.grievances.helpers import country_officer, origin_of, viewer_of
from tests.registry.programs.helpers import ORIGIN, TODAY, make_family, make_program
from ussd.dialog import Dialog
from ussd.menus import MENUS
from ussd.menus.register import REGISTRATION_FORM
from ussd.screens import ELLIPSIS, LIMIT, PREFIX, FooterWords, Screen, paginate
from ussd.state import DialogState
from webapp.state import state as app_state

LANGUAGES = ("en", "fr", "sw", "pt", "ar")
PHONE = "+254700000001"
LONG_GIVEN = "Nyambura-Wanjiku Achieng'"
LONG_FAMILY = "Kipchumba-Odhiambo Mwangangi"
LONG_TEXT = {"given_name": LONG_GIVEN, "family_name": LONG_FAMILY, "other_members": "1"}
WANTED = {"consent": "yes", "has_phone": "yes", "has_id": "no"}
WRONG = ("", "19", "x" * 200, "99")  # refused answers, to collect the form's own errors
REPLY = "We have asked the paying agent to check your payment of March and will call you back."
ERRORS = (
    "Please choose a number from the list.",
    "This number has a mistake. Check it.",
    "Enter 4 digits, for example 1980.",
)


def _snapshot(step: Any) -> dict[str, Any]:
    return {
        "field": step.field,
        "prompt": step.prompt,
        "choices": [[value, label] for value, label in step.choices],
        "error": step.error,
        "state": step.state,
    }


def _width(step: dict[str, Any]) -> int:
    return len(step["prompt"]) + sum(len(label) + 4 for _, label in step["choices"])


def _path_to_longest_community(session: Session, language: str) -> set[str]:
    """Codes of the community with the longest name in `language` and of its ancestors."""
    communities = session.scalars(select(Area).where(Area.level == AreaLevel.COMMUNITY))
    area: Area | None = max(communities, key=lambda a: len(a.name_in(language)))
    codes = set()
    while area is not None:
        codes.add(area.code)
        area = area.parent
    return codes


def _typed(step: Any, path: set[str]) -> str:
    """A long, accepted answer: long names, the way to the longest community, else the
    longest choice on each list."""
    name = str(step.field).rsplit(".", 1)[-1].removeprefix("head_")
    shown = [(value, label) for value, label in step.choices if value != MORE]
    if not shown:
        if name == "birth_year":
            return "2012" if str(step.field).startswith("members") else "1948"
        return LONG_TEXT.get(name, "1")
    values = [value for value, _ in shown]
    on_path = [i for i, value in enumerate(values) if value in path]
    if on_path:
        return str(on_path[0] + 1)
    if WANTED.get(name) in values:
        return str(values.index(WANTED[name]) + 1)
    longest = max(range(len(shown)), key=lambda i: len(shown[i][1]))
    return str(longest + 1)


def _registration(session: Session, language: str, country: str) -> dict[str, Any]:
    """The real form walked to its end: its widest question with its longest error, and the
    last answer kept for the confirm screen."""
    form = get_form(REGISTRATION_FORM)
    ctx = FormContext(session=session, language=language, channel="ussd", default_country=country)
    step = engine.start(form, ctx, prefill={"head_has_phone": "yes", "head_phone": PHONE})
    path = _path_to_longest_community(session, language)
    seen: list[dict[str, Any]] = []
    errors: list[str] = []
    for _ in range(60):
        assert not step.error, step.error
        seen.append(_snapshot(step))
        if any(value == MORE for value, _ in step.choices):
            seen.append(_snapshot(engine.answer(form, ctx, step.state, MORE)))
        for wrong in WRONG:
            refused = engine.answer(form, ctx, step.state, wrong)
            if refused.error:
                errors.append(refused.error)
        raw = _typed(step, path)
        following = engine.answer(form, ctx, step.state, raw)
        if following.done:
            widest = max(seen, key=_width)
            widest["error"] = max(errors, key=len)
            return {"step": widest, "history": [], "final": {"state": step.state, "raw": raw}}
        step = following
    raise AssertionError("the registration form never ended")


def _household_with_a_program(session: Session, language: str) -> int:
    household = make_family(
        session, community(session, 0), [30, 3, 1, 8], phone=None, language=language
    )
    program = make_program(session, region(session, 0))
    apply_rule_set(session, program, origin=ORIGIN, today=TODAY)
    return household.id


def _complaint(session: Session, language: str, category: str) -> str:
    data = GrievanceData(
        category_code=category,
        text="No money this month",
        area_code=None,
        complainant_phone=PHONE,
        person_id=None,
        anonymous=False,
        consent_to_contact=True,
        language=language,
    )
    number = lodge_grievance(
        session, data, origin=Origin(channel=Channel.USSD), scope=Scope.unrestricted()
    ).number
    user = country_officer(session)
    reply_to_complainant(session, viewer_of(user), number, REPLY, origin=origin_of(user))
    return number


def _data_for(session: Session, language: str, country: str) -> dict[str, Any]:
    categories = list_categories(session, language)
    category = max(categories, key=lambda c: len(c.name))
    return {
        "form": _registration(session, language, country),
        "status_household": _household_with_a_program(session, language),
        "status_number": "123456782",
        "report": {
            "category": category.code,
            "name": category.name,
            "text": "x" * 160,
            "anonymous": True,
        },
        # The first category: some (like abuse) are seen by fewer officers than the test's one.
        "track_number": _complaint(session, language, categories[0].code),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_fits_in_every_language(
    app: Flask, db_session: Session, kv: KeyValueStore, language: str
):
    settings = app_state(app).settings
    data = _data_for(db_session, language, settings.default_country)
    db_session.commit()
    with app.test_request_context():
        for name in MENUS:
            for error in (None, *ERRORS):
                state = DialogState(phone=PHONE, language=language, screen=name)
                state.data = data
                dialog = Dialog(state, db_session, kv, settings, "test", "s", MENUS)
                dialog.error = None if error is None else dialog_error(language, error)
                pages = dialog.pages()
                assert pages, name
                for page in pages:
                    assert len(page) + PREFIX <= LIMIT, f"{name} [{language}]:\n{page}"
                if error is None:
                    assert ELLIPSIS not in "".join(pages), f"{name} [{language}] was cut"


def dialog_error(language: str, msgid: str) -> str:
    from registry.i18n import translate_ctx

    return translate_ctx(language, "ussd", msgid)


@pytest.mark.parametrize("language", LANGUAGES)
def test_end_screens_fit_in_every_language(language: str):
    from registry.i18n import translate_ctx

    number = "9" * 8 + luhn_check_digit("9" * 8)
    texts = [
        translate_ctx(
            language,
            "ussd",
            "Thank you. Your household number is %(number)s. An SMS is on its way. "
            "A field worker will visit to verify.",
            number=number,
        ),
        translate_ctx(
            language,
            "ussd",
            "We could not find a household with these details. Check them and try again "
            "later, or ask a field worker.",
        ),
        translate_ctx(
            language,
            "ussd",
            "Your report is received. Tracking number: %(number)s. An SMS is on its way.",
            number=number[:8],
        ),
        translate_ctx(language, "ussd", "No complaint with this number. Check it and try later."),
        translate_ctx(language, "ussd", "Please dial again in a minute."),
    ]
    for text in texts:
        assert len(text) + PREFIX <= 160, text  # END screens cannot page: aim, not just limit


def test_pager_splits_long_lines_between_words():
    words = FooterWords("More", "Back", "Menu")
    screen = Screen("Household 123456782", ["word " * 80])
    pages = paginate(screen, words)
    assert len(pages) > 1
    assert all(len(page) + PREFIX <= LIMIT for page in pages)
    assert all("98 More" in page for page in pages[:-1]) and "98 More" not in pages[-1]
    assert ELLIPSIS not in "".join(pages)


def test_numbered_options_keep_their_numbers_across_pages():
    words = FooterWords("More", "Back", "Menu")
    labels = [f"Community with a rather long name number {i}" for i in range(1, 13)]
    screen = Screen("Community?", [f"{i} {label}" for i, label in enumerate(labels, start=1)])
    pages = paginate(screen, words)
    assert len(pages) >= 3
    assert "12 Community" in pages[-1]
