"""Every screen, in every language, with the longest real values: within 182 characters.

Each menu is rendered directly with data chosen to make it as long as it can get (the
longest area names of the demo country, long names, long program lines, the longest error
above it), and paged the way the endpoint pages it.
"""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area, AreaLevel
from registry.kvstore import KeyValueStore
from registry.numbers import luhn_check_digit
from tests.factories import make_household
from tests.ussd.conftest import Fakes
from tests.ussd.fakes import PROMPTS, tracking_number
from ussd.dialog import Dialog
from ussd.menus import MENUS
from ussd.screens import ELLIPSIS, LIMIT, PREFIX, FooterWords, Screen, paginate
from ussd.state import DialogState
from webapp.state import state as app_state

LANGUAGES = ("en", "fr", "sw", "pt", "ar")
LONG_GIVEN = "Nyambura-Wanjiku Achieng'"
LONG_FAMILY = "Kipchumba-Odhiambo Mwangangi"
ERRORS = (
    "Please choose a number from the list.",
    "This number has a mistake. Check it.",
    "Enter 4 digits, for example 1980.",
)


def _longest_children(session: Session, level: AreaLevel, language: str) -> list[Area]:
    """The areas of `level` under the parent whose children have the longest names."""
    areas = list(session.scalars(select(Area).where(Area.level == level)))
    by_parent: dict[int | None, list[Area]] = {}
    for area in areas:
        by_parent.setdefault(area.parent_id, []).append(area)
    return max(by_parent.values(), key=lambda group: sum(len(a.name_in(language)) for a in group))


def _data_for(screen: str, session: Session, language: str, household_id: int) -> dict:
    communities = _longest_children(session, AreaLevel.COMMUNITY, language)
    longest = max(communities, key=lambda a: len(a.name_in(language)))
    choices = [[a.code, a.name_in(language)] for a in communities]
    answers = {
        "head_given_name": LONG_GIVEN,
        "head_family_name": LONG_FAMILY,
        "head_sex": "F",
        "head_birth_year": "1948",
        "region": longest.parent.parent.code,
        "district": longest.parent.code,
        "community": longest.code,
        "household_size": "30",
    }
    step = {
        "field": "community",
        "prompt": max(PROMPTS.values(), key=len),
        "choices": choices,
        "error": "Choose from the list.",
        "state": {"answers": {}},
    }
    return {
        "form": {
            "step": step,
            "history": [],
            "final": {"state": {"answers": answers}, "raw": "yes"},
        },
        "status_household": household_id,
        "status_number": "123456782",
        "report": {
            "category": "C1",
            "name": "Payment not received or incomplete (" + language + ")",
            "text": "x" * 160,
            "anonymous": True,
        },
        "track_number": tracking_number(),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_fits_in_every_language(
    app: Flask, db_session: Session, kv: KeyValueStore, fakes: Fakes, language: str
):
    area = _longest_children(db_session, AreaLevel.COMMUNITY, language)[0]
    household = make_household(db_session, area, phone=None, language=language)
    settings = app_state(app).settings
    with app.test_request_context():
        for name in MENUS:
            for error in (None, *ERRORS):
                state = DialogState(phone="+254700000001", language=language, screen=name)
                state.data = _data_for(name, db_session, language, household.id)
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
