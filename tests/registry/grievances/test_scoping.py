"""An officer of region 2 never sees region 1's grievances: by list, count, search or number."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.errors import NotFound
from registry.grievances.queries import (
    InboxFilter,
    count_grievances,
    display_phone,
    get_grievance,
    list_grievances,
)
from tests.registry.grievances.helpers import (
    PHONE,
    lodge,
    officer,
    setup_categories,
    viewer_of,
)


def _now() -> datetime:
    return utcnow() + timedelta(seconds=1)


def test_region_two_never_sees_region_one(db_session: Session) -> None:
    setup_categories(db_session)
    one = lodge(db_session, region_index=0)
    two = lodge(db_session, region_index=1)
    viewer = viewer_of(officer(db_session, 1))
    listed = list_grievances(db_session, viewer, InboxFilter(status="all"), _now())
    assert [g.number for g in listed] == [two.number]
    assert count_grievances(db_session, viewer, InboxFilter(status="all"), _now()) == 1
    searched = list_grievances(db_session, viewer, InboxFilter(number=one.number), _now())
    assert searched == []
    with pytest.raises(NotFound):
        get_grievance(db_session, viewer, one.number)
    assert get_grievance(db_session, viewer, two.number) is two


def test_filters(db_session: Session) -> None:
    setup_categories(db_session)
    user = officer(db_session, 0)
    viewer = viewer_of(user)
    payment = lodge(db_session)
    data = lodge(db_session, category="data_correction")
    sub = lodge(db_session, category="fraud_bribe")
    payment.assignee_id = user.id
    payment.due_at = utcnow() - timedelta(hours=1)
    db_session.flush()

    def numbers(**kwargs: object) -> set[str]:
        found = list_grievances(db_session, viewer, InboxFilter(**kwargs), _now())  # type: ignore[arg-type]
        return {g.number for g in found}

    assert numbers() == {payment.number, data.number, sub.number}
    assert numbers(mine=True) == {payment.number}
    assert numbers(overdue=True) == {payment.number}
    assert numbers(category_code="fraud") == {sub.number}  # includes subcategories
    assert numbers(status="resolved") == set()
    assert numbers(area_code=payment.area.code) == {payment.number, data.number, sub.number}
    assert numbers(area_code="KG-ZW") == set()
    # Sorted by due time: the late one first.
    first = list_grievances(db_session, viewer, InboxFilter(), _now())[0]
    assert first.number == payment.number


def test_phone_is_masked_without_full_pii(db_session: Session) -> None:
    setup_categories(db_session)
    grievance = lodge(db_session)
    masked = display_phone(grievance, viewer_of(officer(db_session, 0)))
    assert masked is not None and masked != PHONE and masked.endswith(PHONE[-3:])
    admin = officer(db_session, 0, roles={"admin"})
    assert display_phone(grievance, viewer_of(admin)) == PHONE
