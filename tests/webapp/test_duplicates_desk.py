"""The duplicates desk through HTTP: a run started from the page as a job, masking, batches."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.households.service import HouseholdData, MemberData, register_household
from registry.matching.models import MatchPair, PairStatus
from registry.origin import Channel, Origin
from tests.conftest import csrf_token
from tests.factories import community, make_household, make_user
from tests.jobs import job_url, run_jobs


def _twice(session: Session, place) -> None:  # type: ignore[no-untyped-def]
    """One woman registered twice in the field (the worker said "another household")."""
    from registry.households.service import OnDuplicate

    make_household(session, place, members=1, phone="+254711222333", family_name="Achieng")
    register_household(
        session,
        HouseholdData(
            area_code=place.code,
            members=[MemberData("Amina", "Atchieng", "F", 1981, "head", national_id="12345678")],
            consent_given=True,
        ),
        origin=Origin(Channel.FIELD, "en", actor_name="tests"),
        on_duplicate=OnDuplicate.RECORD,
    )


def test_run_from_the_page_fills_the_queue(app: Flask, client, auth, db_session: Session) -> None:  # type: ignore[no-untyped-def]
    place = community(db_session, 0)
    region = place.parent.parent
    make_user(db_session, {"program_manager"}, [region.code], username="dm")
    make_household(db_session, place, members=1, phone=None, family_name="Njeri")
    make_household(db_session, place, members=1, phone=None, family_name="Njery", head_name="Amina")
    db_session.query(MatchPair).delete()  # what the factories queued: the run must find it again
    db_session.commit()
    auth.login("dm")
    token = csrf_token(client, "/duplicates/")
    refused = client.post("/duplicates/run", data={"area": "KG-NOWHERE", "csrf_token": token})
    assert refused.status_code == 400
    started = client.post("/duplicates/run", data={"area": region.code, "csrf_token": token})
    url = job_url(started)
    run_jobs(client)
    page = client.get(url).get_data(as_text=True)
    assert "New in the review queue" in page
    pairs = list(db_session.scalars(select(MatchPair).where(MatchPair.origin == "run")))
    assert len(pairs) == 1 and pairs[0].status == PairStatus.OPEN
    listing = client.get("/duplicates/").get_data(as_text=True)
    assert "Njery" in listing and "Njeri" in listing


def test_pair_page_masks_for_roles_without_full_pii(
    app: Flask, client, auth, db_session: Session
) -> None:  # type: ignore[no-untyped-def]
    place = community(db_session, 0)
    make_user(db_session, {"program_manager"}, [place.parent.parent.code], username="dm2")
    _twice(db_session, place)
    db_session.commit()
    pair = db_session.scalar(select(MatchPair))
    assert pair is not None
    auth.login("dm2")
    page = client.get(f"/duplicates/{pair.id}").get_data(as_text=True)
    assert "Atchieng" in page and "12345678" not in page and "••••78" in page
    assert "254711222333" not in page and "•••••333" in page
    token = csrf_token(client, "/duplicates/")
    kept = client.post(
        "/duplicates/decide",
        data={f"decision-{pair.id}": "different", "back": "pair", "csrf_token": token},
    )
    assert kept.status_code == 303 and kept.headers["Location"].endswith(f"/duplicates/{pair.id}")
    db_session.expire_all()
    assert db_session.get(MatchPair, pair.id).status == PairStatus.DIFFERENT
    again = client.post(
        "/duplicates/decide", data={f"decision-{pair.id}": "same", "csrf_token": token}
    )
    assert again.status_code == 303
    assert "decided about this pair already" in client.get("/duplicates/").get_data(as_text=True)
    assert db_session.scalar(select(MatchPair.status).where(MatchPair.id == pair.id)) == "different"
