"""Simulation: counts, newly in and out, cost against budget, examples; nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.db import make_engine
from registry.programs.enrollment import apply_rule_set
from registry.programs.models import Enrollment
from registry.programs.reasons import render_reason
from registry.programs.rulesets import create_draft
from registry.programs.simulate import simulate
from tests.factories import community, region
from tests.registry.programs.helpers import ORIGIN, TODAY, make_family, make_program
from webapp.cli import main


def test_simulation_reports_changes_and_writes_nothing(db_session: Session) -> None:
    area = community(db_session, 0)
    poor = make_family(db_session, area, [30, 3, 1, 8])
    make_family(db_session, area, [30, 2])  # score 44: out under v1, 38 under the draft
    make_family(db_session, area, [40, 12])
    program = make_program(db_session, region(db_session, 0))
    apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)
    document = dict(program.active_rule_set.document)
    kids = [{"name": "kids", "expression": "children_under_5", "weight": 8}]
    document["pmt"] = dict(document["pmt"], intercept=30, indicators=kids)
    draft = create_draft(
        db_session,
        program,
        source=yaml.safe_dump(document),
        reason="Try a new scale",
        effective_from=TODAY,
        origin=ORIGIN,
    )
    db_session.flush()
    before = _fingerprint(db_session)
    result = simulate(db_session, program, draft, today=TODAY)
    assert _fingerprint(db_session) == before
    assert result.evaluated == 3 and result.currently_in == 1
    assert (result.eligible, result.newly_in, result.newly_out) == (1, 1, 1)
    [example_in] = result.examples_in
    assert (
        render_reason(example_in.reason, "en") == "children under 5: 1; income score 38 is below 40"
    )
    assert render_reason(result.examples_out[0].reason, "en") == "income score 46 is not below 40"
    assert result.examples_out[0].household_number == poor.number
    [cost] = result.costs
    assert cost.eligible == 1 and cost.budget == 1000
    assert cost.yearly_cost == 100 * 12 and cost.over_budget
    elsewhere = simulate(
        db_session, program, draft, today=TODAY, area_code=community(db_session, 0, 1).code
    )
    assert elsewhere.evaluated == 0


def _fingerprint(session: Session) -> tuple[int, ...]:
    return (
        session.scalar(select(func.count(AuditEvent.seq))) or 0,
        session.scalar(select(func.count(Enrollment.id))) or 0,
        session.scalar(select(func.max(Enrollment.decided_at)).select_from(Enrollment)) and 1 or 0,
    )


JOB_BOOKKEEPING = {"jobs", "audit_events"}  # a simulation job records itself, nothing else


def _registry_digest(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """A digest of every table's rows, except the job's own bookkeeping."""
    from registry.db import Base

    digests = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            if table.name in JOB_BOOKKEEPING:
                continue
            rows = connection.execute(select(table).order_by(*table.primary_key.columns)).all()
            digests[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def test_cli_simulation_changes_nothing_but_its_job_record(tmp_path: Path) -> None:
    database = tmp_path / "sim.db"
    env = {
        "KINGA_DATABASE_URL": f"sqlite:///{database}",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_DEMO_PASSWORD": "demo password 1",
        "KINGA_REDIS_URL": "",
    }
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    demo = runner.invoke(main, ["demo", "--households", "400", "--quiet"], env=env)
    assert demo.exit_code == 0, demo.output
    engine = make_engine(env["KINGA_DATABASE_URL"])
    _demo_has_real_status_answers(engine)
    before = _registry_digest(engine)
    with engine.connect() as connection:
        audit_before = connection.scalar(select(func.max(AuditEvent.seq)))
    result = runner.invoke(main, ["programs", "simulate", "CG"], env=env)
    assert result.exit_code == 0, result.output
    assert "rules version 2 (draft)" in result.output
    assert "newly in:" in result.output and "examples newly in:" in result.output
    area = runner.invoke(main, ["programs", "simulate", "FOOD", "--area", "KG-ZW"], env=env)
    assert area.exit_code == 0 and "in KG-ZW" in area.output
    assert _registry_digest(engine) == before
    with engine.connect() as connection:
        added = connection.scalars(
            select(AuditEvent.action).where(AuditEvent.seq > audit_before)
        ).all()
        jobs = connection.execute(text("SELECT kind, state FROM jobs ORDER BY id")).all()
    assert set(added) == {"job.submitted", "job.done"}
    assert [tuple(j) for j in jobs] == [("programs.simulate", "done")] * 2
    engine.dispose()


def test_cli_load_reports_rule_errors_in_one_line(tmp_path: Path) -> None:
    env = {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/load.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_REDIS_URL": "",
    }
    runner = CliRunner()
    runner.invoke(main, ["db", "upgrade"], env=env)
    runner.invoke(main, ["demo", "--households", "0", "--quiet"], env=env)
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"code": "BAD", "kind": "cash", "names": {"en": "Bad"}, "areas": ["KG"],'
        ' "rules": {"conditions": ["size > 1 and childs > 2"], "benefit": {"type": "service"}}}'
    )
    result = runner.invoke(main, ["programs", "load", str(bad)], env=env)
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1] == (
        "Error: conditions[1], line 1, column 14: unknown field “childs”"
    )
    good = runner.invoke(main, ["programs", "load", "docs/programs/early-learning.yaml"], env=env)
    assert good.exit_code == 0, good.output
    assert "rules unchanged" in good.output  # the demo loaded it already


def _demo_has_real_status_answers(engine: object) -> None:
    from datetime import date

    from registry.households.models import Household
    from registry.outbox.models import OutboxMessage
    from registry.programs.models import Program
    from registry.programs.status import household_status

    with Session(engine) as session:  # type: ignore[arg-type]
        programs = {
            p.code: [r.status for r in p.rule_sets] for p in session.scalars(select(Program))
        }
        assert programs == {
            "CG": ["active", "draft"],
            "ELC": ["active"],
            "FOOD": ["active"],
        }
        enrolled = session.scalars(
            select(Enrollment).where(
                Enrollment.status == "enrolled",
                Enrollment.program_id.in_(select(Program.id).where(Program.code == "FOOD")),
            )
        ).first()
        assert enrolled is not None
        household = session.get(Household, enrolled.household_id)
        view = household_status(session, household, "sw", today=date.today())
        assert any(line.program_code == "FOOD" for line in view.enrollments)
        assert view.next_payment is not None and view.next_payment.due_date >= date.today()
        assert view.enrollments[0].reason
        sms = session.scalar(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.template == "enrollment.enrolled"
            )
        )
        assert sms and sms > 0
