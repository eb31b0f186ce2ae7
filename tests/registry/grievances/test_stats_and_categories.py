from datetime import timedelta

import pytest
import time_machine
from sqlalchemy.orm import Session

from registry.errors import Conflict, InvalidInput
from registry.grievances import actions
from registry.grievances.categories import CategoryInput, get_category, save_category
from registry.grievances.states import Decision
from registry.grievances.stats import counters, inbox_stats
from registry.origin import Origin
from tests.registry.grievances.helpers import (
    country_officer,
    lodge,
    officer,
    origin_of,
    setup_categories,
    viewer_of,
)


def test_counters_and_figures(db_session: Session) -> None:
    setup_categories(db_session)
    user = officer(db_session, 0)
    viewer, origin = viewer_of(user), origin_of(user)
    with time_machine.travel("2026-03-02 08:00:00+00:00", tick=False) as clock:
        fast = lodge(db_session, category="payment_missing")  # 72 h SLA
        slow = lodge(db_session, category="payment_missing")
        lodge(db_session, category="fraud_bribe")
        lodge(db_session, category="abuse")  # sensitive: not counted for this officer
        lodge(db_session, region_index=1)  # other region: not counted
        actions.assign_grievance(db_session, viewer, fast.number, user.id, origin=origin)
        clock.shift(timedelta(hours=10))
        actions.resolve_grievance(
            db_session, viewer, fast.number, Decision.UPHELD, "ok", origin=origin
        )
        clock.shift(timedelta(hours=90))
        actions.resolve_grievance(
            db_session, viewer, slow.number, Decision.REJECTED, "no", origin=origin
        )
        now = fast.resolved_at + timedelta(hours=200)  # type: ignore[operator]
        counts = counters(db_session, viewer, now)
        figures = inbox_stats(db_session, viewer, now, "en")
    assert (counts.open, counts.overdue, counts.mine, counts.unassigned) == (1, 1, 0, 1)
    assert figures.resolved == 2 and figures.resolved_on_time == 1
    assert figures.sla_compliance == 0.5
    assert figures.median_hours_to_resolve == 55.0  # 10 h and 100 h
    assert figures.open_by_category == [("Fraud or corruption", 1)]  # subcategory rolled up
    assert [name for name, _ in figures.open_by_area] == ["Kilifi Kaskazini District"]
    national = inbox_stats(db_session, viewer_of(country_officer(db_session)), now, "en")
    assert {name for name, _ in national.open_by_area} == {"Pwani Region", "Ziwa Region"}


def test_category_editing_rules(db_session: Session) -> None:
    setup_categories(db_session)
    origin = Origin.system("tests")
    names = {"en": "Water point", "sw": "Kisima"}
    water = save_category(
        db_session,
        CategoryInput("water", names, 48, parent_code="abuse"),
        origin=origin,
        create=True,
    )
    assert water.sensitive  # inherits the parent's sensitivity
    with pytest.raises(Conflict):
        save_category(db_session, CategoryInput("water", names, 48), origin=origin, create=True)
    for bad in (
        CategoryInput("Water!", names, 48),
        CategoryInput("water2", {"fr": "x"}, 48),
        CategoryInput("water2", names, 0),
        CategoryInput("water2", names, 48, default_priority="asap"),
        CategoryInput("water2", names, 48, parent_code="water"),  # a subcategory as parent
    ):
        with pytest.raises(InvalidInput):
            save_category(db_session, bad, origin=origin, create=True)
    other = get_category(db_session, "other")
    save_category(
        db_session,
        CategoryInput("other", {"en": "Other"}, 24, sensitive=True),
        origin=origin,
        create=False,
    )
    assert other.sla_hours == 24 and other.sensitive
