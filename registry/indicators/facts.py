"""The counts behind each indicator, read from the registry once per refresh (never per view).

Each function adds its section's figures to a `Tally`, per area where the data live; the
refresh adds them up to the country. Definitions of what is counted: `definitions.py`.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from registry.areas.models import Area, AreaLevel
from registry.grievances.models import Grievance, GrievanceCategory
from registry.grievances.states import Status
from registry.grievances.stats import hours_to_resolve, resolved_on_time
from registry.households.models import Household, Person, Relation
from registry.indicators.definitions import AGE_BANDS
from registry.indicators.periods import Period
from registry.indicators.tally import Tally
from registry.matching.models import MatchPair
from registry.outbox.models import OutboxMessage, OutboxStatus
from registry.payments.models import Entitlement, PaymentCycle
from registry.payments.picture import SETTLED, money_picture
from registry.programs.models import Decision, Enrollment, EnrollmentStatus, Program
from registry.scope import Scope
from registry.selfservice.models import SessionOutcome
from registry.selfservice.sessions import session_funnel

NO_FLOW = "menu"  # sessions that ended before the caller chose a service


def _flag(condition: object) -> object:
    return func.sum(case((condition, 1), else_=0))  # type: ignore[arg-type]


def registration(session: Session, period: Period, tally: Tally) -> None:
    end = period.end
    verified = and_(Household.verified_at.is_not(None), Household.verified_at < end)
    rows = session.execute(
        select(Household.area_id, func.count(Household.id), _flag(verified))
        .where(Household.created_at < end)
        .group_by(Household.area_id)
    )
    for area_id, registered, verified_count in rows:
        tally.add("households_registered", area_id, registered)
        tally.add("households_verified", area_id, verified_count or 0)
    band = case(
        *((Person.birth_year >= period.year - high, label) for label, _low, high in AGE_BANDS),
        else_=AGE_BANDS[-1][0],
    )
    people = session.execute(
        select(
            Household.area_id,
            Person.sex,
            band,
            Person.disability,
            func.count(Person.id),
            _flag(verified),
        )
        .join(Household, Household.id == Person.household_id)
        .where(Household.created_at < end)
        .group_by(Household.area_id, Person.sex, band, Person.disability)
    )
    for area_id, sex, age_band, disability, count, verified_count in people:
        tally.add("people_sex", area_id, count, dimension=sex)
        tally.add("people_age", area_id, count, dimension=age_band)
        tally.add("people_disability", area_id, count, dimension="yes" if disability else "no")
        tally.add("people_verified", area_id, verified_count or 0)


def quality(session: Session, period: Period, tally: Tally) -> None:
    head = aliased(Person)
    complete = and_(head.phone.is_not(None), head.national_id.is_not(None))
    rows = session.execute(
        select(Household.area_id, func.count(Household.id), _flag(complete))
        .outerjoin(head, and_(head.household_id == Household.id, head.relation == Relation.HEAD))
        .where(Household.created_at < period.end)
        .group_by(Household.area_id)
    )
    for area_id, households, complete_count in rows:
        tally.add("completeness", area_id, complete_count or 0, households)
    verified = session.execute(
        select(Household.area_id, Household.created_at, Household.verified_at).where(
            Household.verified_at >= period.start, Household.verified_at < period.end
        )
    )
    for area_id, created_at, verified_at in verified:
        days = max((verified_at - created_at).total_seconds(), 0) / 86400
        tally.add_value("verification_delay_days", area_id, days)
    pairs = session.execute(
        select(MatchPair.area_id, func.count(MatchPair.id))
        .where(MatchPair.created_at >= period.start, MatchPair.created_at < period.end)
        .group_by(MatchPair.area_id)
    )
    for area_id, count in pairs:
        tally.add("duplicates_found", area_id, count)


def targeting(session: Session, period: Period, tally: Tally) -> None:
    exited_now = and_(
        Enrollment.status == EnrollmentStatus.EXITED,
        Enrollment.status_changed_at >= period.start,
        Enrollment.status_changed_at < period.end,
    )
    rows = session.execute(
        select(
            Household.area_id,
            Program.code,
            Enrollment.decision,
            Enrollment.status,
            func.count(Enrollment.id),
            _flag(exited_now),
        )
        .join(Household, Household.id == Enrollment.household_id)
        .join(Program, Program.id == Enrollment.program_id)
        .where(Enrollment.decided_at < period.end)
        .group_by(Household.area_id, Program.code, Enrollment.decision, Enrollment.status)
    )
    taken_up = _taken_up(session, period)
    for area_id, code, decision, status, count, exits in rows:
        eligible = decision == Decision.ELIGIBLE
        enrolled = status == EnrollmentStatus.ENROLLED
        for program in (code, ""):
            tally.add("assessed", area_id, count, program=program)
            tally.add("eligible", area_id, count if eligible else 0, program=program)
            tally.add("enrolled", area_id, count if enrolled else 0, program=program)
            tally.add(
                "coverage",
                area_id,
                count if eligible and enrolled else 0,
                count if eligible else 0,
                program=program,
            )
            tally.add(
                "needs_review",
                area_id,
                count if decision == Decision.NEEDS_REVIEW else 0,
                count,
                program=program,
            )
            tally.add("exits", area_id, exits or 0, program=program)
            tally.add("take_up", area_id, 0, count if enrolled else 0, program=program)
    for (area_id, code), taken in taken_up.items():
        for program in (code, ""):
            tally.add("take_up", area_id, taken, program=program)


def _taken_up(session: Session, period: Period) -> dict[tuple[int, str], int]:
    """Enrolled households with a settled entitlement in a cycle up to the period, per area
    and program."""
    settled = (
        select(Entitlement.id)
        .join(PaymentCycle, PaymentCycle.id == Entitlement.cycle_id)
        .where(
            Entitlement.household_id == Enrollment.household_id,
            PaymentCycle.program_id == Enrollment.program_id,
            PaymentCycle.period <= str(period),
            Entitlement.status.in_(SETTLED),
        )
        .exists()
    )
    rows = session.execute(
        select(Household.area_id, Program.code, func.count(Enrollment.id))
        .join(Household, Household.id == Enrollment.household_id)
        .join(Program, Program.id == Enrollment.program_id)
        .where(
            Enrollment.status == EnrollmentStatus.ENROLLED,
            Enrollment.decided_at < period.end,
            settled,
        )
        .group_by(Household.area_id, Program.code)
    )
    return {(area_id, code): int(count) for area_id, code, count in rows}


def money(session: Session, period: Period, tally: Tally) -> None:
    """Budget and the month's payment cycles, per program (programs may pay in different
    currencies), counted by `registry.payments.picture` where each entitlement lives."""
    everywhere = Scope.unrestricted()
    for program in session.scalars(select(Program).order_by(Program.code)):
        picture = money_picture(
            session,
            program,
            year=period.year,
            scope=everywhere,
            period=str(period),
            level=AreaLevel.COMMUNITY,
        )
        for row in picture.rows:
            source = row.funding_source[:80]
            for code in ("budget", "committed", "paid", "failed", "uncollected"):
                tally.add(
                    code, row.area.id, getattr(row, code), program=program.code, dimension=source
                )


def grievances(session: Session, period: Period, tally: Tally, now: datetime) -> None:
    categories = {
        c.id: (c.parent.code if c.parent else c.code)
        for c in session.scalars(select(GrievanceCategory))
    }
    received = session.execute(
        select(
            Grievance.area_id, Grievance.channel, Grievance.category_id, func.count(Grievance.id)
        )
        .where(Grievance.received_at >= period.start, Grievance.received_at < period.end)
        .group_by(Grievance.area_id, Grievance.channel, Grievance.category_id)
    )
    for area_id, channel, category_id, count in received:
        tally.add("grievances_channel", area_id, count, dimension=channel)
        tally.add("grievances_category", area_id, count, dimension=categories[category_id])
    resolved = session.execute(
        select(
            Grievance.area_id, Grievance.received_at, Grievance.resolved_at, Grievance.due_at
        ).where(Grievance.resolved_at >= period.start, Grievance.resolved_at < period.end)
    )
    for area_id, received_at, resolved_at, due_at in resolved:
        tally.add("grievances_sla", area_id, int(resolved_on_time(resolved_at, due_at)), 1)
        tally.add_value(
            "grievances_median_hours", area_id, hours_to_resolve(received_at, resolved_at)
        )
    cutoff = period.cutoff(now)
    overdue = session.execute(
        select(Grievance.area_id, func.count(Grievance.id))
        .where(
            Grievance.received_at < cutoff,
            Grievance.due_at < cutoff,
            or_(Grievance.resolved_at.is_(None), Grievance.resolved_at >= cutoff),
            or_(Grievance.closed_at.is_(None), Grievance.closed_at >= cutoff),
            Grievance.status != Status.ON_HOLD,  # as the inbox counts them: a hold stops the clock
        )
        .group_by(Grievance.area_id)
    )
    for area_id, count in overdue:
        tally.add("grievances_overdue", area_id, count)


def selfservice(session: Session, period: Period, tally: Tally) -> None:
    """USSD sessions and SMS carry no area: they count at the country only."""
    country = session.scalar(select(Area.id).where(Area.level == AreaLevel.COUNTRY))
    if country is None:
        return
    for row in session_funnel(session, period.start, period.end):
        flow = row.flow or NO_FLOW
        tally.add("ussd_started", country, row.sessions, dimension=flow)
        if row.outcome == SessionOutcome.COMPLETED:
            tally.add("ussd_completed", country, row.sessions, dimension=flow)
        elif row.outcome == SessionOutcome.DROPPED:
            screen = f"{flow}/{row.last_screen or '-'}"[:80]
            tally.add("ussd_dropped", country, row.sessions, dimension=screen)
    sms = session.execute(
        select(OutboxMessage.status, func.count(OutboxMessage.id))
        .where(OutboxMessage.created_at >= period.start, OutboxMessage.created_at < period.end)
        .group_by(OutboxMessage.status)
    )
    for status, count in sms:
        if status in (OutboxStatus.SENT, OutboxStatus.DELIVERED):
            tally.add("sms_sent", country, count)
        elif status == OutboxStatus.FAILED:
            tally.add("sms_failed", country, count)
