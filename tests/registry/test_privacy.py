from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.db import utcnow
from registry.errors import Forbidden, InvalidInput, NotFound
from registry.households.models import Household, HouseholdStatus, Person
from registry.origin import Channel, Origin
from registry.privacy import exports
from registry.privacy.exports import export_households
from registry.privacy.masking import (
    display_birth,
    mask_national_id,
    mask_phone,
    personal_fields,
)
from registry.privacy.retention import RetentionPolicy, run_retention
from registry.privacy.statistics import households_by_region, suppress
from registry.privacy.subject_access import subject_access_export
from registry.scope import Scope
from registry.users.roles import Permission, permissions_of
from tests.factories import community, make_household, region


def _origin(*roles: str) -> Origin:
    return Origin(channel=Channel.WEB, actor_id=1, actor_name="exporter", roles=frozenset(roles))


def _last(session: Session, action: str) -> AuditEvent | None:
    return session.scalar(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq.desc())
    )


def test_masking_rules() -> None:
    assert mask_phone("+254712345678") == "•••••678"
    assert mask_phone("+255 700 000 999").endswith("999") and "700" not in mask_phone(
        "+255700000999"
    )
    assert mask_phone(None) == "" and mask_phone("12") == "•••••"
    assert mask_national_id("12345678") == "••••78"
    assert mask_national_id("123") == "••••"

    class Someone:
        birth_year = 1984
        birth_date = date(1984, 3, 9)
        phone = "+254712345678"
        national_id = "12345678"

    full = permissions_of({"case_worker"})
    limited = permissions_of({"grievance_officer"})
    assert display_birth(Someone(), full) == "1984-03-09"
    assert display_birth(Someone(), limited) == "1984"
    assert personal_fields(Someone(), full).phone == "+254712345678"
    shown = personal_fields(Someone(), limited)
    assert (shown.phone, shown.national_id, shown.birth) == ("•••••678", "••••78", "1984")
    assert Permission.PII_FULL not in permissions_of({"program_manager"})


def test_csv_export_is_masked_carries_exporter_and_is_audited(db_session: Session) -> None:
    make_household(db_session, community(db_session, 0), phone="+254711000123")
    make_household(db_session, community(db_session, 1), family_name="Faraway")
    scope = Scope.of_areas([region(db_session, 0)])
    file = export_households(
        db_session, scope, origin=_origin("program_manager"), reason="Payment list check", fmt="csv"
    )
    text = file.data.decode("utf-8-sig")
    assert "# exported_by,exporter" in text and "Payment list check" in text
    assert "+254711000123" not in text and "•••••123" in text
    assert "Faraway" not in text  # another region
    rows = list(csv.reader(io.StringIO(text)))
    header = rows.index(list(exports.COLUMNS))
    assert len(rows) - header - 1 == file.rows == 3
    event = _last(db_session, "export.households")
    assert event is not None and event.details["rows"] == 3 and event.details["masked"] is True


def test_xlsx_export_for_a_full_pii_role(db_session: Session) -> None:
    make_household(db_session, community(db_session, 0), phone="+254711000456")
    file = export_households(
        db_session,
        Scope.of_areas([region(db_session, 0)]),
        origin=_origin("admin"),
        reason="Audit of payments",
        fmt="xlsx",
        status=HouseholdStatus.ACTIVE,
    )
    workbook = load_workbook(io.BytesIO(file.data))
    values = [c for row in workbook["households"].iter_rows(values_only=True) for c in row]
    assert "+254711000456" in values
    about = dict(workbook["about"].iter_rows(values_only=True))
    assert about["exported_by"] == "exporter" and about["reason"] == "Audit of payments"


def test_export_needs_a_reason_a_permission_and_respects_the_cap(
    db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    scope = Scope.of_areas([region(db_session, 0)])
    with pytest.raises(InvalidInput) as short:
        export_households(db_session, scope, origin=_origin("admin"), reason="x", fmt="csv")
    assert short.value.field == "reason"
    with pytest.raises(Forbidden):
        export_households(
            db_session, scope, origin=_origin("field_worker"), reason="for my records", fmt="csv"
        )
    make_household(db_session, community(db_session, 0))
    make_household(db_session, community(db_session, 0, 1))
    monkeypatch.setitem(exports.EXPORT_CAPS, exports.Role.PROGRAM_MANAGER, 1)
    with pytest.raises(InvalidInput) as capped:
        export_households(
            db_session, scope, origin=_origin("program_manager"), reason="too many rows", fmt="csv"
        )
    assert capped.value.params["cap"] == 1


def test_csv_cells_cannot_smuggle_formulas(db_session: Session) -> None:
    make_household(db_session, community(db_session, 0), head_name="=HYPERLINK(1)")
    file = export_households(
        db_session,
        Scope.of_areas([region(db_session, 0)]),
        origin=_origin("admin"),
        reason="formula check",
        fmt="csv",
    )
    assert ",'=HYPERLINK(1)," in file.data.decode("utf-8-sig")


def test_suppression_hides_small_cells_and_a_complement() -> None:
    assert suppress({"a": 3, "b": 10, "c": 0}) == {"a": None, "b": None, "c": 0}
    assert suppress({"a": 3, "b": 4, "c": 20}) == {"a": None, "b": None, "c": 20}
    assert suppress({"a": 7, "b": 5}) == {"a": 7, "b": 5}


def test_statistics_never_show_a_count_under_five(db_session: Session) -> None:
    for _ in range(2):
        make_household(db_session, community(db_session, 2), channel=Channel.USSD)
    rows = {r.area_code: r for r in households_by_region(db_session, "fr")}
    third = region(db_session, 2)
    row = rows[third.code]
    assert row.area_name == third.name_in("fr")
    for row in rows.values():
        for value in [*row.cells.values(), row.total]:
            assert value is None or value == 0 or value >= 5


def test_subject_access_gives_everything_to_the_family(db_session: Session) -> None:
    household = make_household(db_session, community(db_session, 0), phone="+254711000789")
    scope = Scope.of_areas([region(db_session, 0)])
    file = subject_access_export(
        db_session,
        scope,
        origin=_origin("case_worker"),
        number=household.number,
        reason="Requested by the head",
    )
    document = json.loads(file.data)
    assert document["members"][0]["phone"] == "+254711000789"
    assert document["consents"][0]["notice_version"]
    assert document["history"][0]["action"] == "household.register"
    assert _last(db_session, "export.subject_access") is not None
    with pytest.raises(NotFound):
        subject_access_export(
            db_session,
            Scope.of_areas([region(db_session, 1)]),
            origin=_origin("case_worker"),
            number=household.number,
            reason="Requested by the head",
        )
    with pytest.raises(Forbidden):
        subject_access_export(
            db_session,
            scope,
            origin=_origin("program_manager"),
            number=household.number,
            reason="Requested by the head",
        )


def test_retention_removes_personal_data_and_keeps_counts(db_session: Session) -> None:
    closed = make_household(db_session, community(db_session, 0), family_name="Oldclosed")
    recent = make_household(db_session, community(db_session, 0), family_name="Stillhere")
    closed.status = HouseholdStatus.INACTIVE
    db_session.flush()
    count_before = db_session.scalar(select(func.count(Person.id)))
    later = utcnow() + timedelta(days=6 * 365)
    dry = run_retention(db_session, origin=Origin.cli(), now=later, dry_run=True)
    assert dry.households.get("closed", 0) >= 1
    assert db_session.scalar(select(func.count(Person.id)).where(Person.family_name == "Oldclosed"))
    report = run_retention(
        db_session,
        origin=Origin.cli(),
        now=later,
        policy=RetentionPolicy(
            closed_after=timedelta(days=5 * 365), unverified_after=timedelta(days=10 * 365)
        ),
    )
    assert report.households["closed"] >= 1
    assert not db_session.scalar(
        select(func.count(Person.id)).where(Person.family_name == "Oldclosed")
    )
    heads = db_session.scalars(select(Person).where(Person.household_id == closed.id)).all()
    assert all(p.phone is None and p.birth_year for p in heads)
    assert db_session.scalar(select(func.count(Person.id))) == count_before
    assert db_session.get(Household, recent.id).members[0].family_name == "Stillhere"
    again = run_retention(db_session, origin=Origin.cli(), now=later)
    assert again.households.get("closed", 0) == 0
    assert _last(db_session, "retention.erase") is not None
