"""View, edit with optimistic locking, verify a self-registration, record consent."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forms.catalog import get_form
from forms.households import from_household
from registry.households.models import Consent, HouseholdStatus
from registry.origin import Channel
from tests.conftest import csrf_token
from tests.factories import community, make_household, make_user
from webapp.field.wizard import raw_from_clean


@pytest.fixture()
def place(db_session, auth):  # type: ignore[no-untyped-def]
    area = community(db_session, 0, 1)
    make_user(db_session, {"field_worker"}, [area.parent.parent.code], username="fw")
    db_session.commit()
    auth.login("fw")
    return area


def household_form(household):  # type: ignore[no-untyped-def]
    """What the edit page posts back when nothing is changed."""
    data = raw_from_clean(get_form("household_registration"), from_household(household))
    posted = {}
    for key, value in data.items():
        if isinstance(value, list):
            group, sub = key.split(".")
            for index, item in enumerate(value):
                posted[f"{group}.{index}.{sub}"] = item
        else:
            posted[key] = value
    posted.update(consent="yes", consent_method="spoken", version=str(household.version))
    return posted


def named(db_session, place, channel=Channel.FIELD):  # type: ignore[no-untyped-def]
    household = make_household(db_session, place, channel=channel)
    for member, name in zip(household.members[1:], ("Juma", "Neema"), strict=True):
        member.given_name = name
    db_session.commit()
    return household


def test_view_shows_members_and_actions(client, place, db_session) -> None:  # type: ignore[no-untyped-def]
    household = named(db_session, place)
    page = client.get(f"/field/households/{household.number}").get_data(as_text=True)
    assert "Amina Otieno" in page and "Juma" in page and "/edit" in page


def test_households_outside_my_areas_are_not_found(client, place, db_session) -> None:  # type: ignore[no-untyped-def]
    other = make_household(db_session, community(db_session, 2, 0))
    db_session.commit()
    for path in ("", "/edit", "/verify", "/consent"):
        assert client.get(f"/field/households/{other.number}{path}").status_code == 404


def test_edit_saves_when_nobody_changed_it(client, place, db_session) -> None:  # type: ignore[no-untyped-def]
    household = named(db_session, place)
    posted = household_form(household)
    posted.update(head_given_name="Amira", go="save", csrf_token=csrf_token(client, "/field/"))
    reply = client.post(f"/field/households/{household.number}/edit", data=posted)
    assert reply.status_code == 303
    db_session.refresh(household)
    assert household.members[0].given_name == "Amira"
    assert household.version == 2


def test_second_edit_on_an_old_version_shows_both_versions(client, place, db_session) -> None:  # type: ignore[no-untyped-def]
    household = named(db_session, place)
    first = household_form(household)
    second = household_form(household)  # opened at the same time, same version
    token = csrf_token(client, "/field/")
    first.update(head_given_name="Amira", go="save", csrf_token=token)
    assert client.post(f"/field/households/{household.number}/edit", data=first).status_code == 303
    second.update(head_given_name="Aminata", go="save", csrf_token=token)
    refused = client.post(f"/field/households/{household.number}/edit", data=second)
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "Changed since you opened it" in page
    assert "Aminata" in page and "Amira" in page  # mine and the saved one, side by side
    db_session.refresh(household)
    assert household.members[0].given_name == "Amira"  # nothing silently overwritten
    # choosing "save mine over it" posts with the version just shown
    assert 'name="version" value="2"' in page
    second.update(version="2")
    assert client.post(f"/field/households/{household.number}/edit", data=second).status_code == 303
    db_session.refresh(household)
    assert household.members[0].given_name == "Aminata"


def test_verify_a_self_registration(client, place, db_session) -> None:  # type: ignore[no-untyped-def]
    household = named(db_session, place, channel=Channel.USSD)
    assert household.status == HouseholdStatus.PENDING_VERIFICATION
    assert household.number[:3] in client.get("/field/").get_data(as_text=True)
    page = client.get(f"/field/households/{household.number}/verify").get_data(as_text=True)
    assert 'value="Amina"' in page  # pre-filled with what came by USSD
    posted = household_form(household)
    posted.update(go="save", csrf_token=csrf_token(client, "/field/"), checked_in_person="no")
    refused = client.post(f"/field/households/{household.number}/verify", data=posted)
    assert refused.status_code == 422
    posted["checked_in_person"] = "yes"
    reply = client.post(f"/field/households/{household.number}/verify", data=posted)
    assert reply.status_code == 303
    db_session.refresh(household)
    assert household.status == HouseholdStatus.ACTIVE and household.verified_by_id


def test_record_consent(client, place, db_session) -> None:  # type: ignore[no-untyped-def]
    household = named(db_session, place)
    page = client.get(f"/field/households/{household.number}/consent").get_data(as_text=True)
    assert 'type="date"' in page
    posted = {
        "consent": "yes",
        "consent_method": "signed",
        "consent_date": "2000-01-01",
        "go": "save",
        "csrf_token": csrf_token(client, "/field/"),
    }
    too_old = client.post(f"/field/households/{household.number}/consent", data=posted)
    assert too_old.status_code == 422
    posted["consent_date"] = __import__("datetime").date.today().isoformat()
    assert (
        client.post(f"/field/households/{household.number}/consent", data=posted).status_code == 303
    )
    consents = db_session.scalars(
        select(Consent).where(Consent.household_id == household.id).order_by(Consent.id)
    ).all()
    assert consents[-1].method == "signed" and consents[-1].given
    assert consents[-1].recorded_by_id is not None
    page = client.get(f"/field/households/{household.number}").get_data(as_text=True)
    assert "Signed" in page and "notice 2026-01" in page and "Fw" in page


def test_a_lost_race_on_the_version_is_retried(client, place, db_session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy.orm.exc import StaleDataError

    import webapp.field.views as views

    household = named(db_session, place)
    real, calls = views.update_household, []

    def racing(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise StaleDataError("UPDATE statement on table 'households' expected 1 row")
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "update_household", racing)
    posted = household_form(household)
    posted.update(go="save", csrf_token=csrf_token(client, "/field/"))
    reply = client.post(f"/field/households/{household.number}/edit", data=posted)
    assert reply.status_code == 303 and len(calls) == 2
