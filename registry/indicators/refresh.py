"""Refreshing a month's snapshots: count everything once, add up to the country, replace.

The old figures of the month are deleted and the new ones written in one transaction, so a
refresh run twice (or retried after a killed worker) leaves the same rows, never twice as many.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.indicators import facts
from registry.indicators.definitions import INDICATORS, Unit
from registry.indicators.models import IndicatorSnapshot, SnapshotRun
from registry.indicators.periods import Period
from registry.indicators.tally import Tally, ancestors_of, roll_up
from registry.origin import Origin

Progress = Callable[[int, int], None]
_PERCENT = {i.code for i in INDICATORS if i.unit == Unit.PERCENT}
_BATCH = 5000


@dataclass(frozen=True)
class RefreshSummary:
    period: str
    rows: int
    seconds: float


def refresh_period(
    session: Session,
    period: Period,
    *,
    origin: Origin,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> RefreshSummary:
    began = time.perf_counter()
    now = now or utcnow()
    tally = Tally()
    steps: list[Callable[[], None]] = [
        lambda: facts.registration(session, period, tally),
        lambda: facts.quality(session, period, tally),
        lambda: facts.targeting(session, period, tally),
        lambda: facts.money(session, period, tally),
        lambda: facts.grievances(session, period, tally, now),
        lambda: facts.selfservice(session, period, tally),
    ]
    total = len(steps) + 1
    for done, step in enumerate(steps):
        step()
        if progress:
            progress(done + 1, total)
    figures = roll_up(tally, ancestors_of(session), _PERCENT)
    key = str(period)
    session.execute(delete(IndicatorSnapshot).where(IndicatorSnapshot.period == key))
    rows = [
        {
            "indicator": f.indicator,
            "area_id": f.area_id,
            "program": f.program,
            "period": key,
            "dimension": f.dimension,
            "value": f.value,
            "numerator": f.numerator,
            "denominator": f.denominator,
            "refreshed_at": now,
        }
        for f in figures
    ]
    for start in range(0, len(rows), _BATCH):
        session.execute(insert(IndicatorSnapshot), rows[start : start + _BATCH])
    seconds = time.perf_counter() - began
    run = session.get(SnapshotRun, key)
    if run is None:
        run = SnapshotRun(period=key)
        session.add(run)
    run.refreshed_at = now
    run.seconds = Decimal(str(round(seconds, 2)))
    run.rows = len(rows)
    record(
        session,
        origin,
        "indicators.refresh",
        target_type="period",
        target_id=key,
        details={"rows": len(rows)},
    )
    session.flush()
    if progress:
        progress(total, total)
    return RefreshSummary(period=key, rows=len(rows), seconds=round(seconds, 2))
