"""The monthly report for an area and program, with the snapshots it needs counted first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from registry.indicators.models import SnapshotRun
from registry.indicators.periods import Period
from registry.indicators.read import area_for, program_code
from registry.indicators.refresh import Progress, refresh_period
from registry.indicators.report import build_monthly_report
from registry.origin import Origin
from registry.scope import Scope


@dataclass(frozen=True)
class MonthlyReport:
    pdf: bytes
    file_name: str
    area_code: str
    program: str
    period: str


def ensure_snapshots(
    session: Session, periods: list[Period], *, origin: Origin, progress: Progress | None = None
) -> list[str]:
    """Counts the months that were never refreshed; returns the ones it counted."""
    counted = []
    for period in periods:
        if session.get(SnapshotRun, str(period)) is None:
            refresh_period(session, period, origin=origin, progress=progress)
            counted.append(str(period))
    return counted


def monthly_report(
    session: Session,
    scope: Scope,
    *,
    period: Period,
    area_code: str | None,
    program: str | None,
    language: str,
    origin: Origin,
    progress: Progress | None = None,
) -> MonthlyReport:
    area = area_for(session, scope, area_code)
    code = program_code(session, program)
    ensure_snapshots(session, [period, period.previous()], origin=origin, progress=progress)
    pdf = build_monthly_report(
        session, scope, area=area, period=period, program=code, language=language
    )
    name = f"kinga-monthly-{period}-{area.code}{'-' + code if code else ''}.pdf"
    return MonthlyReport(pdf, name, area.code, code, str(period))
