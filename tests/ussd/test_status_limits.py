"""Through USSD: unknown number, wrong year and a locked-out phone get the same answer."""

from __future__ import annotations

from registry.numbers import luhn_check_digit
from registry.selfservice.lookup import PHONE_ATTEMPTS
from tests.factories import community, make_household
from tests.ussd.conftest import new_phone, ussd_dial


def _unknown_number(n: int) -> str:
    body = f"88{n:06d}"
    return body + luhn_check_digit(body)


def test_unknown_wrong_year_and_locked_out_look_the_same(app, client, db_session):
    app.config["KINGA_STATUS_LOOKUP_LIMIT"] = "100 per minute"  # the service's own lockout here
    household = make_household(db_session, community(db_session), phone=None)
    phone = new_phone()
    unknown = ussd_dial(client, phone, "1", "2", _unknown_number(0), "1980").last
    wrong_year = ussd_dial(client, phone, "2", household.number, "1979").last
    assert unknown == wrong_year
    assert unknown.startswith("END ")
    for n in range(1, PHONE_ATTEMPTS):
        ussd_dial(client, phone, "2", _unknown_number(n), "1980")
    locked_out = ussd_dial(client, phone, "2", household.number, "1980").last
    assert locked_out == unknown
    found = ussd_dial(client, None, "1", "2", household.number, "1980").last
    assert household.number in found


def test_status_by_a_real_card_number(client, db_session, tmp_path):
    from registry.cards.keys import Keyring
    from registry.cards.service import issue_card
    from registry.origin import Origin

    household = make_household(db_session, community(db_session), phone=None)
    card = issue_card(
        db_session, household, origin=Origin.system("tests"), keyring=Keyring(tmp_path / "keys")
    )
    db_session.commit()
    call = ussd_dial(client, None, "1", "2", card.number, str(household.head.birth_year))
    assert household.number in call.last
