"""The case desk in real headless Chromium: a case worker on a 360 px phone with the network
cut records a visit and a day's attendance; both sync when the signal returns, once each even
when the phone sends them again. Also the pages the screenshots in docs/cases.md come from."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.cases import attendance, work
from registry.cases.access import CaseViewer
from registry.cases.demo import _answers
from registry.cases.intake import Intake, open_case
from registry.cases.models import AttendanceMark, Case, CaseVisit
from registry.cases.types import load_shipped
from registry.db import make_engine
from registry.demo.loader import load_areas
from registry.grievances.demo import load_categories
from registry.migrate import upgrade
from registry.origin import Channel, Origin
from registry.scope import Scope
from registry.users.service import origin_for, scope_of
from tests.browser.conftest import SCREENSHOTS, login
from tests.factories import community, make_household, make_user
from tests.live import app_on, serving

pytestmark = pytest.mark.browser
PHONE = {
    "viewport": {"width": 360, "height": 640},
    "device_scale_factor": 1,
    "is_mobile": True,
    "has_touch": True,
    "bypass_csp": True,
}
ORIGIN = Origin.system("tests")
# True once the phone's offline queue (IndexedDB, shared by every tab) holds nothing.
QUEUE_EMPTY = """() => new Promise(resolve => {
  const req = indexedDB.open('kinga-field', 1);
  req.onsuccess = () => {
    const all = req.result.transaction('outbox').objectStore('outbox').getAll();
    all.onsuccess = () => resolve(all.result.length === 0);
  };
  req.onerror = () => resolve(false);
})"""


@dataclass
class CaseWorld:
    url: str
    engine: object
    case: str
    place: str
    fresh: str  # an early-education case assigned to the worker, not assessed yet

    def session(self) -> Session:
        return Session(self.engine)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CaseWorld]:

    folder = tmp_path_factory.mktemp("live-cases")
    os.environ["KINGA_INSTANCE_DIR"] = str(folder / "instance")
    engine = make_engine(f"sqlite:///{folder / 'live.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        load_categories(session, ORIGIN)
        load_shipped(session, origin=ORIGIN)
        region = community(session, 0).parent.parent  # type: ignore[union-attr]
        worker = make_user(session, {"case_worker"}, [region.code], username="chebet")
        worker.full_name = "Chebet Kiprono"
        supervisor = make_user(session, {"case_supervisor"}, [region.code], username="salma")
        supervisor.full_name = "Salma Odhiambo"
        other = make_user(session, {"case_supervisor"}, [region.code], username="sup-2")
        household = make_household(
            session, community(session, 0), members=4, family_name="Wekesa", head_name="Neema"
        )
        child = household.members[1]
        case = open_case(
            session,
            Intake(
                "child_protection",
                "field",
                "Child often alone at night; neighbours worried.",
                child,
                household.area_id,
            ),
            origin=ORIGIN,
        )
        case.worker = worker
        session.flush()
        me = CaseViewer(scope_of(worker), worker.id, worker.roles)
        mine = origin_for(worker, Channel.WEB, "en")
        work.record_assessment(
            session, me, case.number, _answers(case.case_type), "b" * 20, origin=mine
        )
        work.add_plan_item(
            session, me, case.number, "goal", "Safe care every night", None, origin=mine
        )
        work.add_plan_item(
            session,
            me,
            case.number,
            "action",
            "Meet the aunt and the teacher",
            date.today(),
            origin=mine,
        )
        work.submit_plan(session, me, case.number, origin=mine)
        sup = CaseViewer(scope_of(other), other.id, other.roles)
        work.approve_plan(session, sup, case.number, origin=origin_for(other, Channel.WEB, "en"))
        work.refer(
            session,
            me,
            case.number,
            "psychosocial",
            "Tumaini counselling centre",
            None,
            origin=mine,
        )
        for index in range(2):  # two more cases for the lists
            extra = open_case(
                session,
                Intake(
                    ("early_education", "disability_inclusion")[index],
                    "field",
                    "Asks for support.",
                    household.members[2 + index],
                    household.area_id,
                ),
                origin=ORIGIN,
                today=date.today() - timedelta(days=20 * index),  # the second one is late
            )
            if index == 0:
                extra.worker = worker
                fresh = extra.number
        place = attendance.create_place(
            session,
            code="ELC-01",
            name="Tumaini early learning centre",
            kind="early_education",
            area_code=community(session, 0).code,
            capacity=20,
            program_code=None,
            origin=ORIGIN,
        )
        for position in (2, 3, 4):
            attendance.enroll(
                session,
                Scope.unrestricted(),
                place.code,
                household.number,
                member_position=position,
                origin=ORIGIN,
            )
        session.commit()
        number = case.number
    app = app_on(engine)
    with serving(app) as base_url:
        yield CaseWorld(base_url, engine, number, "ELC-01", fresh)
    engine.dispose()


def _phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(**PHONE)
    context.set_default_timeout(90_000)
    return context


def _counts(world: CaseWorld) -> tuple[int, int]:
    with world.session() as session:
        visits = session.scalar(select(func.count(CaseVisit.id)))
        marks = session.scalar(
            select(func.count(AttendanceMark.id)).where(AttendanceMark.day == date.today())
        )
        return int(visits or 0), int(marks or 0)


def test_visit_and_attendance_recorded_offline_sync_once(browser, world) -> None:  # type: ignore[no-untyped-def]
    context = _phone(browser)
    visit = context.new_page()
    login(visit, world.url, "chebet")
    visit.goto(f"{world.url}/cases/")
    visit.screenshot(path=str(SCREENSHOTS / "cases-caseload-phone.png"), full_page=True)
    visit.goto(f"{world.url}/cases/{world.case}/visit")
    register = context.new_page()
    register.goto(f"{world.url}/cases/places/{world.place}")
    assert _counts(world) == (0, 0)

    context.set_offline(True)
    visit.check("input[name=met_person][value=yes]")
    visit.check("input[name=risk][value=medium]")
    visit.fill("#notes", "Aunt now sleeps at the house; child calmer.")
    visit.evaluate(
        "const f = document.querySelector('form.wiz'), b = f.querySelector('button[value=save]');"
        "f.requestSubmit(b); f.requestSubmit(b);"  # a double tap
    )
    visit.wait_for_function("document.getElementById('queue').textContent.includes('1 waiting')")
    visit.screenshot(path=str(SCREENSHOTS / "cases-visit-offline.png"))
    boxes = register.locator("input[name=present]")
    assert boxes.count() == 3
    boxes.nth(0).check()
    boxes.nth(2).check()
    register.click("button[value=save]")
    register.wait_for_function("document.getElementById('queue').textContent.includes('2 waiting')")
    register.screenshot(path=str(SCREENSHOTS / "cases-register-offline.png"))
    assert _counts(world) == (0, 0)

    # Both tabs hear "online" and flush the one queue on the phone; whichever sends an item,
    # the server counts it once.
    context.set_offline(False)
    register.evaluate("window.dispatchEvent(new Event('online'))")
    deadline = time.monotonic() + 90
    while not register.evaluate(QUEUE_EMPTY) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert register.evaluate(QUEUE_EMPTY)
    assert _counts(world) == (1, 3)
    with world.session() as session:
        case = session.scalar(select(Case).where(Case.number == world.case))
        assert case is not None and case.risk == "medium"
        present = session.scalar(
            select(func.count(AttendanceMark.id)).where(AttendanceMark.present.is_(True))
        )
        assert present == 2
    # The phone never heard back and sends both again: nothing is counted twice.
    for page, url in (
        (visit, f"/cases/{world.case}/visit"),
        (register, f"/cases/places/{world.place}"),
    ):
        reply = page.evaluate(
            """async (url) => {
              const body = new URLSearchParams(new FormData(document.querySelector('form.wiz')));
              const token = await (await fetch('/field/csrf')).json();
              body.set('csrf_token', token.csrf_token);
              body.set('go', 'save');
              body.set('offline', '1');
              const headers = {Accept: 'application/json'};
              const r = await fetch(url, {method: 'POST', body, headers});
              return r.json();
            }""",
            url,
        )
        assert reply["status"] == "saved" and reply["created"] is False, reply
    assert _counts(world) == (1, 3)
    visit.goto(f"{world.url}/cases/{world.case}")
    assert "Aunt now sleeps at the house" in visit.content()
    visit.screenshot(path=str(SCREENSHOTS / "cases-case-phone.png"))
    context.close()


def test_desk_pages_for_the_screenshots(browser, world) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    context.set_default_timeout(90_000)
    page = context.new_page()
    login(page, world.url, "salma")
    page.goto(f"{world.url}/cases/team")
    late = page.locator("tr.late")
    assert late.count() >= 1 and "Disability inclusion" in late.first.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "cases-team.png"))
    page.goto(f"{world.url}/cases/{world.case}")
    assert "Safe care every night" in page.content()
    page.screenshot(path=str(SCREENSHOTS / "cases-case.png"))
    page.click("button[lang=ar]")
    page.goto(f"{world.url}/cases/{world.case}")
    assert page.locator("html[dir=rtl]").count() == 1
    page.screenshot(path=str(SCREENSHOTS / "cases-case-ar.png"))
    context.close()


def test_assessment_filled_offline_on_the_field_wizard(browser, world) -> None:  # type: ignore[no-untyped-def]
    context = _phone(browser)
    page = context.new_page()
    login(page, world.url, "chebet")
    page.goto(f"{world.url}/cases/{world.fresh}/assess")
    assert page.locator("section.screen.current").count() == 1
    context.set_offline(True)
    page.fill("#f-age_months", "30")
    page.check("input[name=attended_before][value=no]")
    page.check("input[name=distance][value=far]")
    page.screenshot(path=str(SCREENSHOTS / "cases-assessment-phone.png"))
    page.click("section.current button[value=next]")
    page.check("input[name=risk][value=high]")
    page.click("section.current button[value=summary]")
    summary = page.locator("#offline-summary")
    summary.wait_for()
    assert "30" in summary.inner_text()
    page.click("#offline-summary button[value=save]")
    page.wait_for_function("document.getElementById('queue').textContent.includes('1 waiting')")
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    deadline = time.monotonic() + 90
    while not page.evaluate(QUEUE_EMPTY) and time.monotonic() < deadline:
        time.sleep(0.5)
    with world.session() as session:
        case = session.scalar(select(Case).where(Case.number == world.fresh))
        assert case is not None and case.risk == "high"
        assert case.assessment == {"age_months": 30, "attended_before": False, "distance": "far"}
        assert case.stage == "placement"
    context.close()
