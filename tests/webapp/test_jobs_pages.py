"""The job pages through HTTP: who sees which job, progress that refreshes without JavaScript,
the summary, downloads checked in the query layer, and the failure reason in the reader's
language."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry.jobs import Job, submit_job
from registry.origin import Channel, Origin
from registry.scope import Scope
from registry.users.roles import Role
from registry.users.service import scope_of
from tests.conftest import AuthActions
from tests.factories import make_user, region
from tests.registry.jobs import bodies  # noqa: F401  (registers the test job kinds)


def _people(db_session: Session) -> dict[str, object]:
    north, south = region(db_session, 0), region(db_session, 1)
    users = {
        "starter": make_user(db_session, {Role.FIELD_WORKER}, [north.code], username="starter"),
        "colleague": make_user(
            db_session, {Role.PROGRAM_MANAGER}, [north.code], username="colleague"
        ),
        "faraway": make_user(db_session, {Role.PROGRAM_MANAGER}, [south.code], username="faraway"),
        "nosy": make_user(db_session, {Role.FIELD_WORKER}, [north.code], username="nosy"),
    }
    db_session.commit()
    return users


def _start(db_session: Session, user, kind: str = "tests.mark_items", **params) -> Job:  # type: ignore[no-untyped-def]
    origin = Origin(
        channel=Channel.WEB, actor_id=user.id, actor_name=user.username, roles=user.roles
    )
    job = submit_job(db_session, kind, params, origin=origin, scope=scope_of(user))
    db_session.commit()
    return job


def test_a_queued_job_page_refreshes_itself_and_shows_progress(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    users = _people(db_session)
    job = _start(db_session, users["starter"], items=4)
    auth.login("starter")
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' in page and "<progress" in page and "Waiting" in page
    db_session.execute(
        Job.__table__.update()
        .where(Job.id == job.id)
        .values(state="running", progress_done=2, progress_total=4, attempts=1)
    )
    db_session.commit()
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'value="2"' in page and 'max="4"' in page and "50%" in page


def test_a_done_job_shows_its_summary_and_file_to_those_who_may_see_it(
    app: Flask, client: FlaskClient, auth: AuthActions, db_session: Session, run_queued_jobs
) -> None:  # type: ignore[no-untyped-def]
    users = _people(db_session)
    job = _start(db_session, users["starter"], items=3)
    run_queued_jobs()
    auth.login("starter")
    page = client.get(f"/jobs/{job.id}").get_data(as_text=True)
    assert 'http-equiv="refresh"' not in page and "Done" in page
    assert "Households" in page and f"/jobs/{job.id}/files/marked.csv" in page
    download = client.get(f"/jobs/{job.id}/files/marked.csv")
    assert download.status_code == 200 and download.data.startswith(b"item\n0\n")
    assert f"/jobs/{job.id}" in client.get("/jobs/").get_data(as_text=True)
    for name in ("../marked.csv", "other.csv", ".hidden"):
        assert client.get(f"/jobs/{job.id}/files/{name}").status_code == 404
    auth.logout()
    # Same region and the kind's permission (export): may see it.
    auth.login("colleague")
    assert client.get(f"/jobs/{job.id}").status_code == 200
    assert client.get(f"/jobs/{job.id}/files/marked.csv").status_code == 200
    auth.logout()
    # Another region, or the region without the permission: the job does not exist for them.
    for outsider in ("faraway", "nosy"):
        auth.login(outsider)
        assert client.get(f"/jobs/{job.id}").status_code == 404
        assert client.get(f"/jobs/{job.id}/files/marked.csv").status_code == 404
        assert f"/jobs/{job.id}" not in client.get("/jobs/").get_data(as_text=True)
        auth.logout()


def test_a_failed_job_gives_its_reason_in_the_readers_language(
    client: FlaskClient, auth: AuthActions, db_session: Session, run_queued_jobs
) -> None:  # type: ignore[no-untyped-def]
    users = _people(db_session)
    refused = _start(db_session, users["starter"], "tests.refuse")
    crashed = _start(db_session, users["starter"], items=4, fail_at=1)
    run_queued_jobs()
    auth.login("starter", language="fr")
    page = client.get(f"/jobs/{refused.id}").get_data(as_text=True)
    assert "AAAA-MM-JJ" in page or "YYYY-MM-DD" in page
    assert 'role="alert"' in page
    page = client.get(f"/jobs/{crashed.id}").get_data(as_text=True)
    assert "RuntimeError" in page and "Amina" not in page


def test_jobs_need_a_login(client: FlaskClient, db_session: Session) -> None:
    job = submit_job(
        db_session,
        "tests.mark_items",
        {"items": 1},
        origin=Origin.cli(),
        scope=Scope.unrestricted(),
    )
    db_session.commit()
    assert client.get("/jobs/").status_code == 302
    assert client.get(f"/jobs/{job.id}").status_code == 302
