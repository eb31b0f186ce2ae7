"""Registering partners: the CLI and the administrators' page; secrets shown once, hashed."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.partners.models import PartnerClient
from tests.conftest import AuthActions, csrf_token
from tests.factories import make_user, region
from webapp.cli import main


def test_cli_create_list_suspend(tmp_path: Path) -> None:
    env = {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/c.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "i"),
        "KINGA_REDIS_URL": "",
    }
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(main, ["demo", "--households", "0", "--quiet"], env=env).exit_code == 0
    made = runner.invoke(
        main,
        [
            "clients",
            "create",
            "Payments platform",
            "--scopes",
            "search,subscribe",
            "--areas",
            "KG-PW",
            "--purpose",
            "Pay enrolled households",
        ],
        env=env,
    )
    assert made.exit_code == 0, made.output
    client_id = re.search(r"client_id: (\S+)", made.output).group(1)  # type: ignore[union-attr]
    secret = re.search(r"client_secret: (\S+)", made.output).group(1)  # type: ignore[union-attr]
    with Session(make_engine(env["KINGA_DATABASE_URL"])) as session:
        row = session.scalar(select(PartnerClient).where(PartnerClient.client_id == client_id))
        assert (
            row is not None
            and secret not in row.secret_hash
            and row.secret_hash.startswith("$argon2")
        )
    listed = runner.invoke(main, ["clients", "list"], env=env)
    assert client_id in listed.output and "active" in listed.output and secret not in listed.output
    assert runner.invoke(main, ["clients", "suspend", client_id], env=env).exit_code == 0
    assert "suspended" in runner.invoke(main, ["clients", "list"], env=env).output
    bad = runner.invoke(
        main,
        ["clients", "create", "X", "--scopes", "everything", "--areas", "KG-PW", "--purpose", "p"],
        env=env,
    )
    assert bad.exit_code != 0 and "scopes" in bad.output
    unknown_area = runner.invoke(
        main,
        ["clients", "create", "Y", "--scopes", "search", "--areas", "NOPE", "--purpose", "p"],
        env=env,
    )
    assert unknown_area.exit_code != 0 and "area" in unknown_area.output


def test_admin_page_shows_the_secret_once(client: FlaskClient, db_session: Session) -> None:
    make_user(db_session, {"admin"}, [region(db_session, 0).code], username="partners-admin")
    make_user(db_session, {"program_manager"}, [region(db_session, 0).code], username="pm1")
    db_session.commit()
    auth = AuthActions(client)
    auth.login("pm1")
    assert client.get("/partners/").status_code == 403
    auth.logout()
    auth.login("partners-admin")
    token = csrf_token(client, "/partners/new")
    response = client.post(
        "/partners/new",
        data={
            "csrf_token": token,
            "name": "Civil registry",
            "purpose": "Check deaths against payments",
            "scopes": ["search"],
            "areas": [region(db_session, 0).code],
            "fields": ["household_number", "area"],
            "expires": "2099-12-31",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "shown only once" in page
    secret = re.search(r"<dt>Client secret</dt><dd><code>([^<]+)</code>", page).group(1)  # type: ignore[union-attr]
    listing = client.get("/partners/").get_data(as_text=True)
    assert "Civil registry" in listing and secret not in listing
    refused = client.post(
        "/partners/new",
        data={
            "csrf_token": token,
            "name": "No scopes",
            "purpose": "x",
            "areas": [],
            "expires": "2099-01-01",
        },
    )
    assert refused.status_code == 200 and "scopes" in refused.get_data(as_text=True)
