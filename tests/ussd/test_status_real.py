"""My status through USSD, answered by the real status service of `registry.programs`."""

from __future__ import annotations

import pytest

from registry.i18n import translate_ctx
from registry.programs.enrollment import apply_rule_set
from registry.programs.status import household_status
from tests.factories import community, region
from tests.registry.programs.helpers import ORIGIN, TODAY, make_family, make_program
from tests.ussd.conftest import new_phone, ussd_dial


@pytest.mark.parametrize("language", ["en", "fr", "sw", "pt", "ar"])
def test_status_shows_programs_reasons_and_payment(client, db_session, language):
    phone = new_phone()
    household = make_family(
        db_session, community(db_session, 0), [30, 3, 1, 8], phone=phone, language=language
    )
    program = make_program(db_session, region(db_session, 0))
    apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)
    call = ussd_dial(client, phone, "2")
    pages = [call.last]
    while "98 " in call.last:
        pages.append(call.send("98"))
    text = "\n".join(pages)
    assert translate_ctx(language, "ussd", "Household %(number)s", number=household.number) in text
    view = household_status(db_session, household, language)
    [line] = view.enrollments
    assert f"{line.program_name}: {line.status_label}" in text
    assert line.reason.split()[0] in text
    assert "250" in text and "KES" in text
    assert call.send("00").count("\n") == 5  # back to the main menu
