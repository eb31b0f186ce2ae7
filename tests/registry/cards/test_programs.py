"""Cards carry the programs where the household is enrolled; the check shows enrollments."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from registry.cards.holder_view import holder_view
from registry.cards.keys import Keyring
from registry.cards.payload import read_claims
from registry.cards.service import issue_card
from registry.origin import Origin
from registry.programs.models import Enrollment, EnrollmentStatus
from registry.scope import Scope
from tests.factories import community, make_household, region
from tests.registry.programs.helpers import make_program


def test_enrolled_programs_are_on_the_card_and_in_the_check(
    db_session: Session, tmp_path: Path
) -> None:
    program = make_program(db_session, region(db_session, 0))
    household = make_household(db_session, community(db_session))
    db_session.add(
        Enrollment(
            household_id=household.id,
            program_id=program.id,
            status=EnrollmentStatus.ENROLLED,
            decision="eligible",
            decided_by="tests",
            status_changed_by="tests",
        )
    )
    db_session.flush()
    card = issue_card(
        db_session, household, origin=Origin.system("t"), keyring=Keyring(tmp_path / "k")
    )
    assert read_claims(card.payload).programs == (program.code,)
    view = holder_view(db_session, card, Scope.unrestricted(), "en")
    assert view is not None
    assert [line.program for line in view.enrollments] == [program.name_in("en")]
    assert view.enrollments[0].status
