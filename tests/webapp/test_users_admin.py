"""The administrator's acts on accounts, through `/admin/users` and `kinga users ...`: every act
audited, sessions of a disabled or reset account ended at once, a one-time password changed at
the next login."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.db import make_engine, make_sessionmaker
from registry.users.models import User
from registry.users.roles import Role
from tests.conftest import AuthActions, csrf_token
from tests.factories import PASSWORD, make_user, region
from webapp.cli import main

ONE_TIME = re.compile(r'id="one-time-password" dir="ltr"><code>([^<]+)</code>')


def _actions(session: Session, user_id: int) -> list[str]:
    rows = session.scalars(
        select(AuditEvent).where(
            AuditEvent.target_type == "user", AuditEvent.target_id == str(user_id)
        )
    )
    return [row.action for row in rows]


def _admin_client(app: Flask, db_session: Session, areas: list[str] | None = None):  # type: ignore[no-untyped-def]
    codes = areas or [region(db_session, 0).code, region(db_session, 1).code]
    make_user(db_session, {Role.ADMIN}, codes, username="ada")
    db_session.commit()
    client = app.test_client()
    assert AuthActions(client).login("ada").status_code == 302
    return client


def _post(client, path: str, **data: object):  # type: ignore[no-untyped-def]
    return client.post(path, data={**data, "csrf_token": csrf_token(client, "/admin/users")})


def test_create_with_one_time_password_then_forced_change(app: Flask, db_session: Session) -> None:
    admin = _admin_client(app, db_session)
    own = region(db_session, 0).code
    page = _post(
        admin,
        "/admin/users",
        username="Grace",
        full_name="Grace Officer",
        roles=["grievance_officer"],
        areas=[own],
        language="fr",
    )
    assert page.status_code == 200
    password = ONE_TIME.search(page.get_data(as_text=True)).group(1)
    user = db_session.scalar(select(User).where(User.username == "grace"))
    assert user.must_change_password and user.roles == {"grievance_officer"}
    assert [a.code for a in user.areas] == [own]
    assert "user.create" in _actions(db_session, user.id)

    grace = app.test_client()
    login = AuthActions(grace).login("grace", password)
    assert login.headers["Location"] == "/password"
    assert grace.get("/inbox/").headers["Location"] == "/password"  # nothing else opens
    token = csrf_token(grace, "/password")
    same = grace.post(
        "/password",
        data={
            "current_password": password,
            "new_password": password,
            "confirm_password": password,
            "csrf_token": token,
        },
    )
    assert same.status_code == 400
    done = grace.post(
        "/password",
        data={
            "current_password": password,
            "new_password": "grace's own secret",
            "confirm_password": "grace's own secret",
            "csrf_token": token,
        },
    )
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert grace.get("/inbox/").status_code == 200
    db_session.expire_all()
    assert not db_session.get(User, user.id).must_change_password
    assert "user.password_change" in _actions(db_session, user.id)


def test_disable_ends_live_sessions_and_enable_restores(app: Flask, db_session: Session) -> None:
    admin = _admin_client(app, db_session)
    worker = make_user(db_session, {Role.FIELD_WORKER}, [region(db_session, 0).code], username="fw")
    db_session.commit()
    live = app.test_client()
    AuthActions(live).login("fw")
    assert live.get("/field/").status_code == 200
    _post(admin, f"/admin/users/{worker.id}/active", action="disable")
    assert live.get("/field/").status_code == 302  # the live session ended at once
    assert AuthActions(app.test_client()).login("fw").status_code == 401
    _post(admin, f"/admin/users/{worker.id}/active", action="enable")
    assert AuthActions(app.test_client()).login("fw").status_code == 302
    acts = [a for a in _actions(db_session, worker.id) if a.startswith("user.")]
    assert acts[-2:] == ["user.disable", "user.enable"]


def test_reset_password_ends_sessions_and_forces_a_change(app: Flask, db_session: Session) -> None:
    admin = _admin_client(app, db_session)
    worker = make_user(
        db_session, {Role.FIELD_WORKER}, [region(db_session, 0).code], username="fw2"
    )
    db_session.commit()
    live = app.test_client()
    AuthActions(live).login("fw2")
    page = _post(admin, f"/admin/users/{worker.id}/password")
    password = ONE_TIME.search(page.get_data(as_text=True)).group(1)
    assert live.get("/field/").status_code == 302
    assert AuthActions(app.test_client()).login("fw2", PASSWORD).status_code == 401
    fresh = app.test_client()
    assert AuthActions(fresh).login("fw2", password).headers["Location"] == "/password"
    assert "user.password_reset" in _actions(db_session, worker.id)


def test_roles_and_areas_change_and_are_audited(app: Flask, db_session: Session) -> None:
    admin = _admin_client(app, db_session)
    worker = make_user(
        db_session, {Role.FIELD_WORKER}, [region(db_session, 0).code], username="fw3"
    )
    db_session.commit()
    other = region(db_session, 1).code
    _post(admin, f"/admin/users/{worker.id}/roles", roles=["case_worker"], areas=[other])
    db_session.expire_all()
    changed = db_session.get(User, worker.id)
    assert changed.roles == {"case_worker"} and [a.code for a in changed.areas] == [other]
    event = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "user.roles").order_by(AuditEvent.id.desc())
    )
    assert event.details["after"] == {"roles": ["case_worker"], "areas": [other]}


def test_a_regional_admin_manages_only_their_region(app: Flask, db_session: Session) -> None:
    own, other = region(db_session, 0).code, region(db_session, 1).code
    admin = _admin_client(app, db_session, [own])
    stranger = make_user(db_session, {Role.FIELD_WORKER}, [other], username="far")
    db_session.commit()
    assert "far" not in admin.get("/admin/users").get_data(as_text=True)
    assert admin.get(f"/admin/users/{stranger.id}").status_code == 404
    grab = _post(
        admin, "/admin/users", username="mine", full_name="Mine", roles=["admin"], areas=[other]
    )
    assert grab.status_code == 400
    assert db_session.scalar(select(User).where(User.username == "mine")) is None


def test_an_admin_cannot_disable_themselves(app: Flask, db_session: Session) -> None:
    admin = _admin_client(app, db_session)
    me = db_session.scalar(select(User).where(User.username == "ada"))
    _post(admin, f"/admin/users/{me.id}/active", action="disable")
    db_session.expire_all()
    assert db_session.get(User, me.id).active


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/users.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_REDIS_URL": "",
    }


def test_cli_users_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    from registry.demo.loader import load_areas

    engine = make_engine(env["KINGA_DATABASE_URL"])
    with make_sessionmaker(engine)() as session:
        load_areas(session)
        session.commit()

    def run(*args: str):  # type: ignore[no-untyped-def]
        result = runner.invoke(main, ["users", *args], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    created = run(
        "create",
        "--username",
        "joy",
        "--name",
        "Joy",
        "--role",
        "field_worker",
        "--area",
        "KG-PW",
        "--one-time-password",
    )
    assert "one-time password (shown once):" in created
    assert run("list").splitlines() == ["joy\tnew-password-due\tfield_worker\tKG-PW\tJoy"]
    run("disable", "joy")
    assert "\tdisabled\t" in run("list")
    run("enable", "joy")
    reset = run("reset-password", "joy")
    assert re.search(r"shown once\): \S{12}$", reset.strip())
    run("set-roles", "joy", "--role", "case_worker", "--role", "field_worker", "--area", "KG-ZW")
    assert "case_worker,field_worker\tKG-ZW" in run("list")
    unknown = runner.invoke(main, ["users", "disable", "nobody"], env=env)
    assert unknown.exit_code != 0 and "No such user." in unknown.output
    with make_sessionmaker(engine)() as session:
        actions = [e.action for e in session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    for action in (
        "user.create",
        "user.disable",
        "user.enable",
        "user.password_reset",
        "user.roles",
    ):
        assert action in actions
