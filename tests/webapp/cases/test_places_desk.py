"""Registers through the web: enrol by household number and position, take the register, and
see the attendance on the service program's page (counts, no names)."""

from __future__ import annotations

from datetime import date

from flask import Flask
from sqlalchemy.orm import Session

from registry.cases import attendance
from registry.origin import Origin
from tests.conftest import AuthActions, csrf_token
from tests.factories import community, make_household, make_user, region
from tests.registry.programs.helpers import make_program


def test_enrol_register_and_program_status(app: Flask, db_session: Session) -> None:
    first = region(db_session, 0)
    make_user(db_session, {"case_worker"}, [first.code], username="worker")
    make_user(db_session, {"program_manager"}, [first.code], username="manager")
    program = make_program(db_session, first, code="ELX", kind="service")
    attendance.create_place(
        db_session,
        code="ELX-1",
        name="Upendo centre",
        kind="early_education",
        area_code=community(db_session, 0).code,
        capacity=3,
        program_code="ELX",
        origin=Origin.system("tests"),
    )
    household = make_household(db_session, community(db_session, 0), members=3, head_name="Zuhura")
    db_session.commit()

    worker = app.test_client()
    AuthActions(worker).login("worker")
    token = csrf_token(worker, "/")
    for member in ("2", "3", "9"):
        worker.post(
            "/cases/places/ELX-1/enroll",
            data={"csrf_token": token, "household": household.number, "member": member},
        )
    page = worker.get("/cases/places/ELX-1").get_data(as_text=True)
    assert "Child1" in page and "Child2" in page and "2 enrolled for 3 places" in page
    ids = [m.id for m in household.members[1:]]
    saved = worker.post(
        "/cases/places/ELX-1",
        data={
            "csrf_token": token,
            "day": date.today().isoformat(),
            "present": str(ids[0]),
            "submission_key": "register-key-000001",
        },
    )
    assert saved.status_code == 303
    assert "Upendo centre" in worker.get("/cases/places/").get_data(as_text=True)

    manager = app.test_client()
    AuthActions(manager).login("manager")
    shown = manager.get(f"/programs/{program.code}").get_data(as_text=True)
    assert "Upendo centre" in shown and "50 %" in shown
    assert "Child1" not in shown and "Zuhura" not in shown
    assert manager.get("/cases/places/ELX-1").status_code == 403
