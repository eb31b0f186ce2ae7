import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.grievances.models import Grievance
from registry.outbox.models import OutboxMessage
from tests.conftest import AuthActions, csrf_token
from tests.factories import make_user, region
from tests.jobs import download_result
from tests.registry.grievances.helpers import lodge, setup_categories


def _officer(session: Session, region_index: int, name: str, roles: set[str] | None = None):  # type: ignore[no-untyped-def]
    return make_user(
        session,
        roles or {"grievance_officer"},
        [region(session, region_index).code],
        username=name,
    )


def _setup(db_session: Session) -> tuple[Grievance, Grievance]:
    setup_categories(db_session)
    _officer(db_session, 0, "off1")
    _officer(db_session, 1, "off2")
    one, two = lodge(db_session, region_index=0), lodge(db_session, region_index=1)
    db_session.commit()
    return one, two


def test_region_two_officer_sees_only_region_two(
    db_session: Session, client: FlaskClient, auth: AuthActions
) -> None:
    one, two = _setup(db_session)
    auth.login("off2")
    page = client.get("/inbox/").get_data(as_text=True)
    assert two.number in page and one.number not in page
    search = client.get(f"/inbox/?q={one.number}&status=all").get_data(as_text=True)
    assert f'href="/inbox/{one.number}"' not in search
    assert client.get(f"/inbox/{one.number}").status_code == 404
    token = csrf_token(client, "/inbox/")
    response = client.post(f"/inbox/{one.number}/note", data={"text": "x", "csrf_token": token})
    assert response.status_code == 404
    assert client.get(f"/inbox/{two.number}").status_code == 200
    stats = client.get("/inbox/stats")
    assert stats.status_code == 200 and "<svg" in stats.get_data(as_text=True)


def test_officer_replies_and_the_sms_is_queued_and_audited(
    db_session: Session, client: FlaskClient, auth: AuthActions
) -> None:
    one, _two = _setup(db_session)
    auth.login("off1")
    page = client.get(f"/inbox/{one.number}").get_data(as_text=True)
    assert "+254711000111" not in page  # masked for an officer without full PII
    token = csrf_token(client, f"/inbox/{one.number}")
    response = client.post(
        f"/inbox/{one.number}/reply",
        data={"text": "Tunaangalia malipo yako.", "csrf_token": token},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Tunaangalia malipo yako." in html
    message = db_session.scalar(
        select(OutboxMessage).where(
            OutboxMessage.related_id == one.number, OutboxMessage.template == "grievance.reply"
        )
    )
    assert message is not None and "Tunaangalia malipo yako." in message.body
    assert db_session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.action == "grievance.reply", AuditEvent.target_id == one.number
        )
    )
    assert "waiting to be sent" in html
    message.status = "delivered"  # what the worker records on the provider's delivery report
    db_session.commit()
    assert "delivered" in client.get(f"/inbox/{one.number}").get_data(as_text=True)


def test_refused_transition_is_a_message_not_an_error(
    db_session: Session, client: FlaskClient, auth: AuthActions
) -> None:
    one, _two = _setup(db_session)
    auth.login("off1")
    token = csrf_token(client, f"/inbox/{one.number}")
    response = client.post(
        f"/inbox/{one.number}/close", data={"csrf_token": token}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "cannot be done" in response.get_data(as_text=True)


def test_bulk_assign(db_session: Session, client: FlaskClient, auth: AuthActions) -> None:
    one, two = _setup(db_session)
    auth.login("off1")
    officer_id = re.search(
        r'<option value="(\d+)">Off1</option>', client.get("/inbox/").get_data(as_text=True)
    )
    assert officer_id
    token = csrf_token(client, "/inbox/")
    response = client.post(
        "/inbox/bulk-assign",
        data={
            "numbers": [one.number, two.number],
            "assignee": officer_id.group(1),
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "1 grievance(s) assigned." in html and two.number in html
    db_session.expire_all()
    assert db_session.get(Grievance, one.id).assignee_id == int(officer_id.group(1))  # type: ignore[union-attr]
    assert db_session.get(Grievance, two.id).assignee_id is None  # type: ignore[union-attr]


def test_field_worker_lodges_and_admin_edits_categories(
    db_session: Session, client: FlaskClient, auth: AuthActions
) -> None:
    _setup(db_session)
    _officer(db_session, 0, "field1", {"field_worker"})
    make_user(db_session, {"admin"}, ["KG"], username="admin1")
    db_session.commit()
    auth.login("field1")
    assert client.get("/inbox/").status_code == 403
    page = client.get("/inbox/new").get_data(as_text=True)
    area = re.search(r'<option value="(KG-PW-01-01)"', page)
    assert area
    token = csrf_token(client, "/inbox/new")
    response = client.post(
        "/inbox/new",
        data={
            "category": "other",
            "text": "Road to pay point flooded",
            "area": area.group(1),
            "phone": "0712 345 678",
            "consent": "1",
            "language": "sw",
            "csrf_token": token,
        },
        follow_redirects=True,
    )
    assert "recorded" in response.get_data(as_text=True)
    lodged = db_session.scalar(
        select(Grievance).where(Grievance.text == "Road to pay point flooded")
    )
    assert lodged is not None and lodged.channel == "field"
    assert lodged.complainant_phone == "+254712345678"
    token = csrf_token(client, "/inbox/new")
    response = client.post(
        "/inbox/new",
        data={"category": "other", "text": "Elsewhere", "area": "KG-ZW-01-01", "csrf_token": token},
    )
    assert "Choose a community from the list." in response.get_data(as_text=True)
    assert db_session.scalar(select(Grievance).where(Grievance.text == "Elsewhere")) is None
    auth.logout()
    auth.login("admin1")
    token = csrf_token(client, "/inbox/categories/new")
    data = {
        "code": "water",
        "name_en": "Water point",
        "name_fr": "Point d'eau",
        "sla_hours": "48",
        "default_priority": "high",
        "active": "1",
        "csrf_token": token,
    }
    response = client.post("/inbox/categories/new", data=data, follow_redirects=True)
    assert "Water point" in response.get_data(as_text=True)
    data["sla_hours"] = "0"
    response = client.post("/inbox/categories/water", data=data)
    assert "between 1 and" in response.get_data(as_text=True)


def test_export_is_scoped_audited_and_has_no_text_or_phone(
    db_session: Session, client: FlaskClient, auth: AuthActions
) -> None:
    one, two = _setup(db_session)
    _officer(db_session, 1, "exporter2", {"grievance_officer", "program_manager"})
    db_session.commit()
    auth.login("off2")
    assert client.get("/inbox/export").status_code == 403  # officers have no export right
    auth.logout()
    auth.login("exporter2")
    form = client.get("/inbox/export?status=all").get_data(as_text=True)
    assert 'name="status" value="all"' in form  # the inbox's filters are carried
    token = csrf_token(client, "/inbox/export?status=all")
    no_reason = client.post("/inbox/export", data={"status": "all", "csrf_token": token})
    assert no_reason.status_code == 400
    assert "State why you need this export" in no_reason.get_data(as_text=True)
    started = client.post(
        "/inbox/export",
        data={"status": "all", "reason": "monthly grievance review", "csrf_token": token},
    )
    response = download_result(client, started)  # the file is written by a job
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert two.number in body and one.number not in body
    assert "+2547" not in body and "malipo" not in body
    assert "# exported_by,exporter2" in body and "monthly grievance review" in body
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "export.grievances"))
    assert event is not None and event.details["reason"] == "monthly grievance review"
