"""Each indicator against a count made here from the objects the test created."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from statistics import median

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.areas.models import Area, AreaLevel
from registry.db import utcnow
from registry.errors import NotFound
from registry.indicators.definitions import INDICATORS, Unit
from registry.indicators.models import IndicatorSnapshot
from registry.indicators.read import area_for, read_board
from registry.indicators.refresh import refresh_period
from registry.origin import Origin
from registry.scope import Scope
from tests.registry.indicators.world import Made, areas_above, build

EVERYWHERE = Scope.unrestricted()


@pytest.fixture()
def made(db_session: Session) -> Made:
    made = build(db_session)
    refresh_period(db_session, made.period, origin=Origin.system("tests"))
    return made


def _value(session: Session, made: Made, code: str, area: str, *, dim: str = "", program=""):  # type: ignore[no-untyped-def]
    board = read_board(
        session,
        EVERYWHERE,
        area=area_for(session, EVERYWHERE, area),
        period=made.period,
        program=program,
    )
    return board.get(code, board.area, dim)


def _country(session: Session) -> str:
    return session.scalar(select(Area.code).where(Area.level == AreaLevel.COUNTRY)) or ""


def test_registration_counts_match_the_households_made(db_session: Session, made: Made) -> None:
    country = _country(db_session)
    people = [p for h in made.households for p in h.members]
    assert _value(db_session, made, "households_registered", country).value == len(made.households)
    verified = [h for h in made.households if h.verified_at is not None]
    assert _value(db_session, made, "households_verified", country).value == len(verified)
    assert _value(db_session, made, "people_verified", country).value == sum(
        len(h.members) for h in verified
    )
    by_sex = Counter(p.sex for p in people)
    for sex, n in by_sex.items():
        assert _value(db_session, made, "people_sex", country, dim=sex).value == n
    year = made.period.year
    bands = Counter(
        "0-17" if year - p.birth_year <= 17 else "18-59" if year - p.birth_year <= 59 else "60+"
        for p in people
    )
    for band, n in bands.items():
        assert _value(db_session, made, "people_age", country, dim=band).value == n
    disabled = sum(1 for p in people if p.disability)
    assert _value(db_session, made, "people_disability", country, dim="yes").value == disabled
    assert (
        _value(db_session, made, "people_disability", country, dim="no").value
        == len(people) - disabled
    )
    region = areas_above(made.households[0].area)[1]
    in_region = [h for h in made.households if areas_above(h.area)[1] == region]
    assert _value(db_session, made, "households_registered", region).value == len(in_region)


def test_quality_figures(db_session: Session, made: Made) -> None:
    country = _country(db_session)
    complete = [h for h in made.households if h.head and h.head.phone and h.head.national_id]
    figure = _value(db_session, made, "completeness", country)
    assert (figure.numerator, figure.denominator) == (len(complete), len(made.households))
    assert figure.value == (Decimal(len(complete) * 100) / len(made.households)).quantize(
        Decimal("0.1")
    )
    delays = [
        (h.verified_at - h.created_at).total_seconds() / 86400
        for h in made.households
        if h.verified_at is not None
    ]
    figure = _value(db_session, made, "verification_delay_days", country)
    assert figure.denominator == len(delays)
    assert figure.value == Decimal(str(round(median(delays), 1)))


def test_duplicates_found_counts_the_pairs_of_the_month(db_session: Session, made: Made) -> None:
    from registry.matching.models import MatchPair

    taken = {(p.person_a_id, p.person_b_id) for p in db_session.scalars(select(MatchPair))}
    heads = [(h, min(m.id for m in h.members)) for h in made.households]
    added = 0
    for (a, pa), (b, pb) in zip(heads, heads[1:], strict=False):
        if added == 2 or (pa, pb) in taken:
            continue
        second = b
        db_session.add(
            MatchPair(
                person_a_id=pa,
                person_b_id=pb,
                household_a_id=a.id,
                household_b_id=b.id,
                area_id=b.area_id,
                score=0.9,
                levels={},
                origin="run",
            )
        )
        added += 1
    assert added == 2
    db_session.flush()
    refresh_period(db_session, made.period, origin=Origin.system("tests"))
    # Counted here from the pairs themselves (the world's look-alikes may have queued some).
    pairs = [
        p
        for p in db_session.scalars(select(MatchPair))
        if made.period.start <= p.created_at < made.period.end
    ]
    by_area = Counter(p.area_id for p in pairs)
    assert _value(db_session, made, "duplicates_found", _country(db_session)).value == len(pairs)
    here = db_session.get(Area, second.area_id)
    assert here is not None and by_area[here.id] >= 1
    assert _value(db_session, made, "duplicates_found", here.code).value == by_area[here.id]


def test_targeting_figures(db_session: Session, made: Made) -> None:
    country, code = _country(db_session), made.program.code  # type: ignore[union-attr]
    rows = made.enrollments
    eligible = [e for e in rows if e.decision == "eligible"]
    enrolled = [e for e in rows if e.status == "enrolled"]
    for program in (code, ""):
        assert _value(db_session, made, "assessed", country, program=program).value == len(rows)
        assert _value(db_session, made, "eligible", country, program=program).value == len(eligible)
        assert _value(db_session, made, "enrolled", country, program=program).value == len(enrolled)
        coverage = _value(db_session, made, "coverage", country, program=program)
        assert coverage.numerator == sum(1 for e in eligible if e.status == "enrolled")
        assert coverage.denominator == len(eligible)
        review = _value(db_session, made, "needs_review", country, program=program)
        assert review.numerator == sum(1 for e in rows if e.decision == "needs_review")
        assert _value(db_session, made, "exits", country, program=program).value == sum(
            1 for e in rows if e.status == "exited"
        )
    taken = {e.household_id for e in made.entitlements if e.status in ("paid", "partly_paid")}
    take_up = _value(db_session, made, "take_up", country, program=code)
    assert take_up.denominator == len(enrolled)
    assert take_up.numerator == sum(1 for e in enrolled if e.household_id in taken)


def test_money_figures(db_session: Session, made: Made) -> None:
    country, code = _country(db_session), made.program.code  # type: ignore[union-attr]
    budget = _value(db_session, made, "budget", country, program=code, dim="Treasury")
    assert budget.value == Decimal("1000.50")
    owed = made.entitlements
    committed = sum((e.amount for e in owed), Decimal(0))
    paid = sum((e.paid_amount for e in owed if e.status in ("paid", "partly_paid")), Decimal(0))
    failed = sum((e.amount for e in owed if e.status == "failed"), Decimal(0))
    for indicator, expected in (
        ("committed", committed),
        ("paid", paid),
        ("failed", failed),
        ("uncollected", committed - paid - failed),
    ):
        figure = _value(db_session, made, indicator, country, program=code, dim="Treasury")
        assert figure.value == expected, indicator
        assert _value(db_session, made, indicator, country, program=code).value == expected
    region = areas_above(made.households[0].area)[1]
    in_region = [e for e in owed if areas_above(e.area)[1] == region]
    assert _value(db_session, made, "committed", region, program=code).value == sum(
        (e.amount for e in in_region), Decimal(0)
    )


def test_grievance_figures(db_session: Session, made: Made) -> None:
    country = _country(db_session)
    grievances = made.grievances
    for channel, n in Counter(g.channel for g in grievances).items():
        assert _value(db_session, made, "grievances_channel", country, dim=channel).value == n
    for category, n in Counter(g.category.code for g in grievances).items():
        assert _value(db_session, made, "grievances_category", country, dim=category).value == n
    resolved = [g for g in grievances if g.resolved_at is not None]
    sla = _value(db_session, made, "grievances_sla", country)
    assert sla.denominator == len(resolved)
    assert sla.numerator == sum(1 for g in resolved if g.resolved_at <= g.due_at)  # type: ignore[operator]
    hours = [(g.resolved_at - g.received_at).total_seconds() / 3600 for g in resolved]  # type: ignore[operator]
    assert _value(db_session, made, "grievances_median_hours", country).value == Decimal(
        str(round(median(hours), 1))
    )
    now = utcnow()
    overdue = [
        g for g in grievances if g.resolved_at is None and g.due_at < now and g.status != "on_hold"
    ]
    assert _value(db_session, made, "grievances_overdue", country).value == len(overdue)


def test_selfservice_figures_count_at_the_country(db_session: Session, made: Made) -> None:
    country = _country(db_session)
    started = Counter(s.flow or "menu" for s in made.sessions)
    for flow, n in started.items():
        assert _value(db_session, made, "ussd_started", country, dim=flow).value == n
    completed = Counter(s.flow for s in made.sessions if s.outcome == "completed")
    for flow, n in completed.items():
        assert _value(db_session, made, "ussd_completed", country, dim=flow).value == n
    dropped = Counter(
        f"{s.flow or 'menu'}/{s.last_screen}" for s in made.sessions if s.outcome == "dropped"
    )
    for key, n in dropped.items():
        assert _value(db_session, made, "ussd_dropped", country, dim=key).value == n
    statuses = Counter(m.status for m in made.messages)
    assert (
        _value(db_session, made, "sms_sent", country).value
        == statuses["sent"] + statuses["delivered"]
    )
    assert _value(db_session, made, "sms_failed", country).value == statuses["failed"]


def _drill(session: Session, made: Made, area: Area) -> None:
    board = read_board(session, EVERYWHERE, area=area, period=made.period)
    assert board.children
    additive = [i for i in INDICATORS if i.unit in (Unit.COUNT, Unit.PERCENT)]
    for indicator in additive:
        for dim in ["", *board.dimensions(indicator.code)]:
            parent = board.get(indicator.code, area, dim)
            kids = [board.get(indicator.code, child, dim) for child in board.children]
            if indicator.scope.value == "national":
                continue
            assert parent.value is not None or parent.numerator is None
            assert (parent.numerator or 0) == sum(k.numerator or 0 for k in kids), (
                indicator.code,
                dim,
                area.code,
            )
            if indicator.unit == Unit.PERCENT:
                assert (parent.denominator or 0) == sum(k.denominator or 0 for k in kids)


def test_drill_down_sums_add_up_to_the_level_above(db_session: Session, made: Made) -> None:
    country = db_session.scalar(select(Area).where(Area.level == AreaLevel.COUNTRY))
    assert country is not None
    _drill(db_session, made, country)
    for household in made.households[:1] + made.households[-1:]:
        region_code, district_code = areas_above(household.area)[1:3]
        for code in (region_code, district_code):
            _drill(db_session, made, area_for(db_session, EVERYWHERE, code))
    total = _value(db_session, made, "households_registered", country.code).value
    assert total == len(made.households) > 0


def test_a_second_refresh_replaces_the_figures(db_session: Session, made: Made) -> None:
    def rows() -> int:
        return int(
            db_session.scalar(
                select(func.count(IndicatorSnapshot.id)).where(
                    IndicatorSnapshot.period == str(made.period)
                )
            )
            or 0
        )

    before = rows()
    refresh_period(db_session, made.period, origin=Origin.system("tests"))
    assert rows() == before > 0


def test_reading_is_scoped_to_the_callers_areas(db_session: Session, made: Made) -> None:
    own_region = made.households[0].area.parent.parent  # type: ignore[union-attr]
    other = made.households[-1].area.parent.parent  # type: ignore[union-attr]
    assert own_region.code != other.code
    scope = Scope.of_areas([own_region])
    assert area_for(db_session, scope, None).code == own_region.code
    with pytest.raises(NotFound):
        area_for(db_session, scope, other.code)
    with pytest.raises(NotFound):
        area_for(db_session, scope, _country(db_session))
    # Even asked for the country directly, the query returns only rows of the own region.
    country = db_session.scalar(select(Area).where(Area.level == AreaLevel.COUNTRY))
    board = read_board(db_session, scope, area=country, period=made.period)  # type: ignore[arg-type]
    assert {area_id for (_c, _d, area_id) in board.figures} <= {own_region.id}
    assert [c.code for c in board.children] == [own_region.code]
