"""Lodging a grievance from the field web, through issue 7's service.

Until the grievance desk is merged the page is absent; here its service is replaced by a
recording double with the agreed interface, which checks the wiring of this door.
"""

from __future__ import annotations

import importlib.machinery
import sys
import types
from dataclasses import dataclass, field

import pytest

from tests.conftest import AuthActions, _make_app, csrf_token
from tests.factories import community, make_user


@dataclass
class Lodged:
    number: str = "12345674"
    calls: list = field(default_factory=list)


def fake_service(record: Lodged) -> types.ModuleType:
    module = types.ModuleType("registry.grievances.service")
    module.__spec__ = importlib.machinery.ModuleSpec("registry.grievances.service", None)

    class GrievanceData:
        @classmethod
        def from_answers(cls, answers, *, language, channel=None):  # type: ignore[no-untyped-def]
            return {"answers": dict(answers), "language": language}

    def lodge_grievance(session, data, *, origin):  # type: ignore[no-untyped-def]
        record.calls.append((data, origin))
        return types.SimpleNamespace(number=record.number)

    def list_categories(session, language):  # type: ignore[no-untyped-def]
        return [types.SimpleNamespace(code="payment", name="Payment")]

    module.GrievanceData = GrievanceData
    module.lodge_grievance = lodge_grievance
    module.list_categories = list_categories
    return module


@pytest.fixture()
def lodged(monkeypatch, engine, session_factory, kv, settings):  # type: ignore[no-untyped-def]
    record = Lodged()
    package = types.ModuleType("registry.grievances")
    package.__spec__ = importlib.machinery.ModuleSpec("registry.grievances", None, is_package=True)
    monkeypatch.setitem(sys.modules, "registry.grievances", package)
    monkeypatch.setitem(sys.modules, "registry.grievances.service", fake_service(record))
    app = _make_app(engine, settings, kv)
    app.extensions["kinga"].sessionmaker = session_factory
    return record, app.test_client()


def test_page_present_exactly_when_the_grievance_desk_is(client, db_session, auth) -> None:  # type: ignore[no-untyped-def]
    from webapp.field.grievances import available

    make_user(db_session, {"field_worker"}, [community(db_session).code], username="fw")
    db_session.commit()
    auth.login("fw")
    installed = available()
    assert client.get("/field/grievance").status_code == (200 if installed else 404)
    assert ("/field/grievance" in client.get("/field/").get_data(as_text=True)) == installed


def test_field_worker_lodges_a_grievance(lodged, db_session) -> None:  # type: ignore[no-untyped-def]
    record, client = lodged
    place = community(db_session)
    make_user(db_session, {"field_worker"}, [place.parent.parent.code], username="fw")
    db_session.commit()
    AuthActions(client).login("fw")
    assert "/field/grievance" in client.get("/field/").get_data(as_text=True)
    page = client.get("/field/grievance").get_data(as_text=True)
    assert 'value="payment"' in page
    answers = {
        "category": "payment",
        "text": "Paid only half <b>",
        "area": place.code,
        "anonymous": "no",
        "complainant_phone": "0712345678",
        "consent_to_contact": "yes",
        "csrf_token": csrf_token(client, "/field/"),
    }
    summary = client.post("/field/grievance", data={**answers, "go": "summary", "step": "2"})
    assert summary.status_code == 200 and "Paid only half &lt;b&gt;" in summary.get_data(
        as_text=True
    )
    done = client.post("/field/grievance", data={**answers, "go": "save"})
    assert done.status_code == 200
    assert "123 456 74" in done.get_data(as_text=True)
    ((data, origin),) = record.calls
    assert data["answers"]["complainant_phone"] == "+254712345678"
    assert data["answers"]["area"] == place.code and data["answers"]["anonymous"] is False
    assert origin.channel == "field" and origin.actor_name == "fw"
