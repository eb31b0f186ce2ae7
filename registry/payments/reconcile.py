"""Importing a provider's results file into an approved cycle.

Columns: `reference, status (paid|failed), amount, paid_at, provider_reference`. The whole file is
read and checked first: a structural error (a missing column, a bad status, amount or date) refuses
it whole, with the line and the reason, and nothing is applied. Then every row is matched by
reference: paid, failed and partly paid amounts are recorded; unknown references, duplicate rows
and amount mismatches go into the report. The same file imported again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput
from registry.i18n import N_
from registry.origin import Origin
from registry.payments.export import adjustments_of
from registry.payments.models import (
    CycleStatus,
    Entitlement,
    EntitlementStatus,
    PaymentCycle,
    PaymentEvent,
    ReconciliationImport,
)
from registry.payments.notices import note_payment

REQUIRED = ("reference", "status", "amount", "paid_at", "provider_reference")
LISTED = 1000  # report lines kept per kind (the counts are always complete)
CHUNK = 5000
Progress = Callable[[int, int], None]


class ReconciliationFileError(InvalidInput):
    """A structural error: the file is refused whole."""

    def __init__(self, msgid: str, line: int, **params: object) -> None:
        super().__init__(msgid, field="file", line=line, **params)
        self.line = line


@dataclass(frozen=True)
class ResultRow:
    line: int
    reference: str
    status: str
    amount: Decimal
    paid_at: datetime | None
    provider_reference: str


@dataclass
class ReconciliationReport:
    rows: int = 0
    matched: int = 0
    paid: int = 0
    partly_paid: int = 0
    failed: int = 0
    unchanged: int = 0
    mismatches: int = 0
    unknown: int = 0
    duplicates: int = 0
    paid_total: Decimal = Decimal("0.00")
    already_imported: bool = False
    mismatch_lines: list[list[Any]] = field(default_factory=list)
    unknown_lines: list[list[Any]] = field(default_factory=list)
    duplicate_lines: list[list[Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "matched": self.matched,
            "paid": self.paid,
            "partly_paid": self.partly_paid,
            "failed": self.failed,
            "unchanged": self.unchanged,
            "mismatches": self.mismatches,
            "unknown": self.unknown,
            "duplicates": self.duplicates,
            "paid_total": f"{self.paid_total:.2f}",
            "mismatch_lines": self.mismatch_lines,
            "unknown_lines": self.unknown_lines,
            "duplicate_lines": self.duplicate_lines,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ReconciliationReport:
        report = cls(**{k: v for k, v in data.items() if k != "paid_total"})
        report.paid_total = Decimal(data.get("paid_total", "0"))
        return report


def _amount(text: str, line: int) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        raise ReconciliationFileError(
            N_("Line %(line)s: the amount “%(value)s” is not an amount of money."),
            line,
            value=text[:40],
        )
    return value.quantize(Decimal("0.01"))


def _when(text: str, line: int) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ReconciliationFileError(
            N_("Line %(line)s: the date “%(value)s” is not a date (YYYY-MM-DD)."),
            line,
            value=text[:40],
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def parse_results(data: bytes) -> list[ResultRow]:
    """Reads and checks the whole file; raises `ReconciliationFileError` on the first fault."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ReconciliationFileError(N_("Line %(line)s: the file is not UTF-8 text."), 1) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise ReconciliationFileError(N_("Line %(line)s: the file is empty."), 1)
    names = [h.strip().lower() for h in header]
    for column in REQUIRED:
        if column not in names:
            raise ReconciliationFileError(
                N_("Line %(line)s: the column “%(column)s” is missing."), 1, column=column
            )
    index = {column: names.index(column) for column in REQUIRED}
    rows: list[ResultRow] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) < len(names):
            raise ReconciliationFileError(
                N_("Line %(line)s: %(count)s columns where the header has %(expected)s."),
                line,
                count=len(cells),
                expected=len(names),
            )
        reference = cells[index["reference"]].strip()
        if not reference:
            raise ReconciliationFileError(N_("Line %(line)s: the reference is empty."), line)
        status = cells[index["status"]].strip().lower()
        if status not in ("paid", "failed"):
            raise ReconciliationFileError(
                N_("Line %(line)s: the status “%(value)s” is neither paid nor failed."),
                line,
                value=cells[index["status"]][:40],
            )
        rows.append(
            ResultRow(
                line=line,
                reference=reference,
                status=status,
                amount=_amount(cells[index["amount"]], line),
                paid_at=_when(cells[index["paid_at"]], line),
                provider_reference=cells[index["provider_reference"]].strip()[:80],
            )
        )
    return rows


def _keep(target: list[list[Any]], entry: list[Any]) -> None:
    if len(target) < LISTED:
        target.append(entry)


def reconcile(
    session: Session,
    cycle: PaymentCycle,
    data: bytes,
    *,
    filename: str,
    origin: Origin,
    progress: Progress | None = None,
) -> ReconciliationReport:
    """Applies a results file to the cycle (all or nothing) and returns the report."""
    if cycle.status != CycleStatus.APPROVED:
        raise Conflict(N_("Only an approved, open cycle takes a results file."))
    rows = parse_results(data)
    digest = hashlib.sha256(data).hexdigest()
    earlier = session.scalar(
        select(ReconciliationImport).where(
            ReconciliationImport.cycle_id == cycle.id, ReconciliationImport.sha256 == digest
        )
    )
    if earlier is not None:
        report = ReconciliationReport.from_dict(earlier.report)
        report.already_imported = True
        return report
    known = {
        ref: (eid, amount, status, paid, provider, household)
        for eid, ref, amount, status, paid, provider, household in session.execute(
            select(
                Entitlement.id,
                Entitlement.reference,
                Entitlement.amount,
                Entitlement.status,
                Entitlement.paid_amount,
                Entitlement.provider_reference,
                Entitlement.household_id,
            ).where(Entitlement.cycle_id == cycle.id)
        )
    }
    adjustments = adjustments_of(session, cycle.id)
    report = ReconciliationReport(rows=len(rows))
    first_line: dict[str, int] = {}
    updates: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    now = utcnow()
    for row in rows:
        if row.reference in first_line:
            report.duplicates += 1
            _keep(report.duplicate_lines, [row.line, row.reference, first_line[row.reference]])
            continue
        first_line[row.reference] = row.line
        found = known.get(row.reference)
        if found is None:
            report.unknown += 1
            _keep(report.unknown_lines, [row.line, row.reference])
            continue
        report.matched += 1
        eid, amount, old_status, old_paid, old_provider, household_id = found
        owed = Decimal(amount) + adjustments.get(eid, Decimal(0))
        if row.status == "failed":
            status, paid = EntitlementStatus.FAILED, Decimal("0.00")
            report.failed += 1
        else:
            paid = row.amount
            status = EntitlementStatus.PAID if paid >= owed else EntitlementStatus.PARTLY_PAID
            if status == EntitlementStatus.PARTLY_PAID:
                report.partly_paid += 1
            else:
                report.paid += 1
            report.paid_total += paid
            if paid != owed:
                report.mismatches += 1
                _keep(
                    report.mismatch_lines, [row.line, row.reference, f"{owed:.2f}", f"{paid:.2f}"]
                )
        provider = row.provider_reference or None
        if old_status == status and Decimal(old_paid) == paid and old_provider == provider:
            report.unchanged += 1
            continue
        updates.append(
            {
                "row_id": eid,
                "status": status,
                "paid_amount": paid,
                "paid_at": row.paid_at or (now if status != EntitlementStatus.FAILED else None),
                "provider_reference": provider,
                "failure": "reconciled: failed" if status == EntitlementStatus.FAILED else None,
            }
        )
        if status != EntitlementStatus.FAILED:
            # Partner systems subscribed to payments hear of it when this transaction commits.
            note_payment(session, household_id, eid, status, cycle.program_id)
        events.append(
            {
                "entitlement_id": eid,
                "at": now,
                "kind": "reconciled",
                "status": status,
                "amount": paid,
                "detail": f"{filename[:200]} line {row.line}",
            }
        )
    table = Entitlement.__table__
    apply = (
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values(
            status=bindparam("status"),
            paid_amount=bindparam("paid_amount"),
            paid_at=bindparam("paid_at"),
            provider_reference=bindparam("provider_reference"),
            failure=bindparam("failure"),
        )
    )
    for start in range(0, len(updates), CHUNK):  # Core executemany: one statement per chunk
        session.execute(apply, updates[start : start + CHUNK])
        session.execute(insert(PaymentEvent.__table__), events[start : start + CHUNK])
        if progress:
            progress(min(start + CHUNK, len(updates)), len(updates))
    session.add(
        ReconciliationImport(
            cycle_id=cycle.id,
            sha256=digest,
            filename=filename[:250],
            actor=origin.actor_name or "system",
            report=report.as_dict(),
        )
    )
    session.flush()
    record(
        session,
        origin,
        "payments.reconciled",
        target_type="payment_cycle",
        target_id=cycle.id,
        details={
            "file": filename[:200],
            "sha256": digest,
            **{k: v for k, v in report.as_dict().items() if not k.endswith("_lines")},
            "applied": len(updates),
        },
    )
    return report
