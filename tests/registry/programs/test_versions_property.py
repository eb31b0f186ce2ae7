"""Property: after any sequence of rule versions, every recorded decision still carries the
version it was made with, and still matches what that version decides for the household."""

from __future__ import annotations

from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.households.models import Household
from registry.programs.enrollment import apply_rule_set
from registry.programs.models import EnrollmentEvent
from registry.programs.population import facts_of
from registry.programs.rulesets import activate, compiled, create_draft
from tests.factories import community, region
from tests.registry.programs.helpers import ORIGIN, TODAY, make_family, make_program

ages = st.lists(st.integers(0, 90), min_size=1, max_size=6)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    families=st.lists(ages, min_size=1, max_size=3),
    cutoffs=st.lists(st.integers(20, 60), min_size=1, max_size=3),
)
def test_decisions_keep_their_version(
    db_session: Session, families: list[list[int]], cutoffs: list[int]
) -> None:
    savepoint = db_session.begin_nested()
    try:
        area = community(db_session, 0)
        for family in families:
            make_family(db_session, area, [max(family[0], 18), *family[1:]])
        program = make_program(db_session, region(db_session, 0))
        apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)
        seen: dict[int, tuple[int | None, str, list[object]]] = {}
        for cutoff in cutoffs:
            document = dict(program.active_rule_set.document)
            document["pmt"] = dict(document["pmt"], cutoff=cutoff)
            draft = create_draft(
                db_session,
                program,
                source=yaml.safe_dump(document),
                reason=f"cut-off {cutoff}",
                effective_from=TODAY,
                origin=ORIGIN,
            )
            activate(db_session, draft, origin=ORIGIN, today=TODAY)
            events = list(db_session.scalars(select(EnrollmentEvent).order_by(EnrollmentEvent.id)))
            for event in events:
                snapshot = (event.rule_set_id, event.decision, event.reason)
                assert seen.setdefault(event.id, snapshot) == snapshot
            apply_rule_set(db_session, program, origin=ORIGIN, today=TODAY)
        for event in db_session.scalars(select(EnrollmentEvent)):
            household = db_session.get(Household, event.enrollment.household_id)
            assert household is not None and event.rule_set is not None
            outcome = compiled(event.rule_set).evaluate(
                facts_of(db_session, household, date.today())
            )
            assert outcome.decision == event.decision
            assert [[m, p] for m, p in outcome.reason] == event.reason
    finally:
        savepoint.rollback()
        db_session.expunge_all()
