""" "What is my status?": registration, each program with its reason, and the next payment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.households.models import Household
from registry.i18n import N_, translate
from registry.programs.models import (
    DECISION_LABELS,
    Decision,
    Enrollment,
    EnrollmentStatus,
    PlannedPayment,
    Program,
)
from registry.programs.reasons import REGISTRATION_LABELS, AreaNames, localized, render_reason


@dataclass(frozen=True)
class EnrollmentLine:
    program_code: str
    program_name: str
    status: str
    status_label: str
    reason: str


@dataclass(frozen=True)
class NextPayment:
    program_code: str
    due_date: date
    amount: Decimal | None
    currency: str
    items: str | None


@dataclass(frozen=True)
class LastPayment:
    program_code: str
    paid_on: date
    amount: Decimal | None
    currency: str
    items: str | None


@dataclass(frozen=True)
class HouseholdStatusView:
    household_number: str
    registration_status: str
    registration_label: str
    enrollments: list[EnrollmentLine]
    next_payment: NextPayment | None
    last_payment: LastPayment | None = None


def status_label(enrollment: Enrollment, language: str) -> str:
    if enrollment.status == EnrollmentStatus.POTENTIAL:
        if enrollment.decision == Decision.ELIGIBLE:
            return translate(language, N_("Eligible, not yet enrolled"))
        return translate(language, DECISION_LABELS[Decision(enrollment.decision)])
    labels = {
        EnrollmentStatus.ENROLLED: N_("Enrolled"),
        EnrollmentStatus.SUSPENDED: N_("Suspended"),
        EnrollmentStatus.EXITED: N_("Exited"),
    }
    return translate(language, labels[EnrollmentStatus(enrollment.status)])


def items_text(items: list[list[Any]] | None, language: str) -> str | None:
    """ "20 kg maize flour, 2 L cooking oil" from the stored [names, quantity, unit] items."""
    if not items:
        return None
    parts = []
    for names, quantity, unit in items:
        amount = f"{float(quantity):g}"
        measure = f"{amount} {unit}" if unit else amount
        parts.append(f"{measure} {localized(names, language)}")
    return ", ".join(parts)


def _next_payment(
    session: Session, household: Household, enrolled: list[Enrollment], today: date
) -> NextPayment | None:
    if not enrolled:
        return None
    area_ids = []
    area: Area | None = household.area
    while area is not None:
        area_ids.append(area.id)
        area = area.parent
    by_program = {e.program_id: e for e in enrolled}
    payment = session.scalar(
        select(PlannedPayment)
        .where(
            PlannedPayment.program_id.in_(list(by_program)),
            PlannedPayment.due_date >= today,
            PlannedPayment.cancelled.is_(False),
            or_(PlannedPayment.area_id.is_(None), PlannedPayment.area_id.in_(area_ids)),
        )
        .order_by(PlannedPayment.due_date, PlannedPayment.id)
        .limit(1)
    )
    if payment is None:
        return None
    enrollment = by_program[payment.program_id]
    program: Program = enrollment.program
    return NextPayment(
        program_code=program.code,
        due_date=payment.due_date,
        amount=enrollment.amount,
        currency=program.currency,
        items=None,
    )


def _from_entitlements(
    session: Session, household: Household, language: str, today: date
) -> tuple[NextPayment | None, LastPayment | None]:
    """The real figures: the newest settled entitlement, and one approved but not yet paid."""
    from registry.payments.models import CycleStatus, Entitlement, EntitlementStatus, PaymentCycle

    rows = session.execute(
        select(Entitlement, PaymentCycle)
        .join(PaymentCycle, PaymentCycle.id == Entitlement.cycle_id)
        .where(
            Entitlement.household_id == household.id,
            PaymentCycle.status.in_((CycleStatus.APPROVED, CycleStatus.CLOSED)),
        )
        .order_by(PaymentCycle.period.desc(), Entitlement.id.desc())
    ).all()
    settled = (EntitlementStatus.PAID, EntitlementStatus.PARTLY_PAID, EntitlementStatus.COLLECTED)
    pending = (EntitlementStatus.DUE, EntitlementStatus.SUBMITTED, EntitlementStatus.SENT)
    last = next_ = None
    for entitlement, cycle in rows:
        cash = cycle.program.kind == "cash"
        if last is None and entitlement.status in settled and entitlement.paid_at:
            last = LastPayment(
                cycle.program.code,
                entitlement.paid_at.date(),
                entitlement.paid_amount if cash else None,
                entitlement.currency,
                None if cash else items_text(entitlement.items, language),
            )
        if entitlement.status in pending and cycle.status == CycleStatus.APPROVED:
            year, month = (int(x) for x in cycle.period.split("-"))
            planned = session.scalar(
                select(PlannedPayment.due_date)
                .where(
                    PlannedPayment.program_id == cycle.program_id,
                    PlannedPayment.cancelled.is_(False),
                    PlannedPayment.due_date >= date(year, month, 1),
                )
                .order_by(PlannedPayment.due_date)
                .limit(1)
            )
            next_ = NextPayment(
                cycle.program.code,
                planned or max(date(year, month, 1), today),
                entitlement.amount if cash else None,
                entitlement.currency,
                None if cash else items_text(entitlement.items, language),
            )
    return next_, last


def household_status(
    session: Session, household: Household, language: str, *, today: date | None = None
) -> HouseholdStatusView:
    """The answer to "what is my status", in `language`, for USSD, SMS and the web."""
    today = today or date.today()
    enrollments = list(
        session.scalars(
            select(Enrollment)
            .join(Program, Program.id == Enrollment.program_id)
            .where(Enrollment.household_id == household.id)
            .order_by(Program.code)
        )
    )
    areas = AreaNames(session)
    lines = [
        EnrollmentLine(
            program_code=e.program.code,
            program_name=e.program.name_in(language),
            status=e.status,
            status_label=status_label(e, language),
            reason=render_reason(e.reason, language, areas),
        )
        for e in enrollments
    ]
    enrolled = [e for e in enrollments if e.status == EnrollmentStatus.ENROLLED]
    payment = _next_payment(session, household, enrolled, today)
    if payment is not None:
        enrollment = next(e for e in enrolled if e.program.code == payment.program_code)
        payment = NextPayment(
            payment.program_code,
            payment.due_date,
            payment.amount,
            payment.currency,
            items_text(enrollment.items, language),
        )
    owed, last = _from_entitlements(session, household, language, today)
    return HouseholdStatusView(
        household_number=household.number,
        registration_status=household.status,
        registration_label=translate(language, REGISTRATION_LABELS[household.status]),
        enrollments=lines,
        next_payment=owed or payment,  # an approved entitlement beats a planned date
        last_payment=last,
    )
