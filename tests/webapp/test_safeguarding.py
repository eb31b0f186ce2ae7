"""Sensitive grievances (abuse, exploitation): only a safeguarding officer ever sees them."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry.grievances.models import Grievance
from registry.i18n import translate
from registry.users.roles import ROLE_LABELS, Permission, Role, can
from tests.conftest import AuthActions, csrf_token
from tests.factories import make_user, region
from tests.registry.grievances.helpers import PHONE, lodge


def _setup(db_session: Session) -> tuple[Grievance, Grievance]:
    first = region(db_session, 0).code
    make_user(db_session, {"grievance_officer"}, [first], username="officer")
    make_user(db_session, {"safeguarding_officer"}, [first], username="safe")
    abuse = lodge(db_session, category="abuse", text="Sexual exploitation by a paymaster.")
    plain = lodge(db_session, category="payment_missing")
    db_session.commit()
    assert abuse.category.sensitive and not plain.category.sensitive
    return abuse, plain


def test_grievance_officer_never_sees_a_sensitive_grievance(
    db_session: Session, client: FlaskClient, auth: AuthActions
) -> None:
    abuse, plain = _setup(db_session)
    auth.login("officer")
    listing = client.get("/inbox/?status=all").get_data(as_text=True)
    assert plain.number in listing and abuse.number not in listing
    search = client.get(f"/inbox/?q={abuse.number}&status=all").get_data(as_text=True)
    assert f'href="/inbox/{abuse.number}"' not in search  # (the query itself is echoed)
    by_category = client.get("/inbox/?category=abuse&status=all").get_data(as_text=True)
    assert f'href="/inbox/{abuse.number}"' not in by_category
    assert client.get(f"/inbox/{abuse.number}").status_code == 404
    token = csrf_token(client, "/inbox/")
    note = client.post(f"/inbox/{abuse.number}/note", data={"text": "x", "csrf_token": token})
    assert note.status_code == 404


def test_safeguarding_officer_sees_and_handles_it_in_full(
    db_session: Session, client: FlaskClient, auth: AuthActions
) -> None:
    abuse, plain = _setup(db_session)
    auth.login("safe")
    listing = client.get("/inbox/?status=all").get_data(as_text=True)
    assert abuse.number in listing and plain.number in listing
    search = client.get(f"/inbox/?q={abuse.number}&status=all").get_data(as_text=True)
    assert f'href="/inbox/{abuse.number}"' in search
    by_category = client.get("/inbox/?category=abuse&status=all").get_data(as_text=True)
    assert f'href="/inbox/{abuse.number}"' in by_category
    page = client.get(f"/inbox/{abuse.number}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sexual exploitation by a paymaster." in html
    assert PHONE in html  # full personal details: PII_FULL
    token = csrf_token(client, f"/inbox/{abuse.number}")
    note = client.post(
        f"/inbox/{abuse.number}/note",
        data={"text": "Referred to the protection team.", "csrf_token": token},
        follow_redirects=True,
    )
    assert note.status_code == 200 and "Referred to the protection team." in note.get_data(
        as_text=True
    )


def test_safeguarding_role_permissions() -> None:
    roles = {Role.SAFEGUARDING_OFFICER.value}
    for permission in (
        Permission.GRIEVANCE_HANDLE,
        Permission.GRIEVANCE_LODGE,
        Permission.GRIEVANCE_SENSITIVE,
        Permission.PII_FULL,
        Permission.DASHBOARD_VIEW,
    ):
        assert can(roles, permission), permission
    assert not can(roles, Permission.USER_MANAGE) and not can(roles, Permission.EXPORT)
    assert not can({Role.GRIEVANCE_OFFICER.value}, Permission.GRIEVANCE_SENSITIVE)


@pytest.mark.parametrize("language", ["fr", "sw", "pt", "ar"])
def test_safeguarding_role_label_is_translated(language: str) -> None:
    label = ROLE_LABELS[Role.SAFEGUARDING_OFFICER]
    assert translate(language, label) not in ("", label)
