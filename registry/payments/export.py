"""The payment list of an approved cycle for banks and agents: CSV or XLSX, with a manifest.

The manifest (`<file>.manifest.json`) carries the file's SHA-256, its row count and total, so the
receiving bank can check it got the file Kinga wrote. Phones are shown in full only to roles that
see personal data in full (finance officers, who send the list to the bank, among them); others
get masked numbers.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Conflict, InvalidInput
from registry.i18n import N_
from registry.origin import Origin
from registry.payments.models import (
    CycleStatus,
    Entitlement,
    EntitlementAdjustment,
    PaymentCycle,
)
from registry.privacy.masking import mask_phone
from registry.users.roles import Permission

COLUMNS = (
    "reference",
    "household_number",
    "payee_name",
    "phone",
    "amount",
    "currency",
    "area",
    "items",
)
FORMATS = ("csv", "xlsx")
CHUNK = 5000
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    manifest: Path
    sha256: str
    rows: int
    total: Decimal
    masked: bool


def sees_full_phones(permissions: frozenset[Permission] | set[Permission]) -> bool:
    return Permission.PII_FULL in permissions


def adjustments_of(session: Session, cycle_id: int) -> dict[int, Decimal]:
    rows = session.execute(
        select(EntitlementAdjustment.entitlement_id, func.sum(EntitlementAdjustment.amount))
        .join(Entitlement, Entitlement.id == EntitlementAdjustment.entitlement_id)
        .where(Entitlement.cycle_id == cycle_id)
        .group_by(EntitlementAdjustment.entitlement_id)
    )
    return {eid: Decimal(total) for eid, total in rows}


def _items_text(items: list | None) -> str:  # type: ignore[type-arg]
    if not items:
        return ""
    parts = []
    for names, quantity, unit in items:
        name = names.get("en") if isinstance(names, dict) else str(names)
        parts.append(f"{quantity} {unit} {name}".strip())
    return "; ".join(parts)


def payment_rows(
    session: Session, cycle: PaymentCycle, *, masked: bool
) -> Iterator[tuple[str, ...]]:
    adjustments = adjustments_of(session, cycle.id)
    last_id = 0
    while True:
        rows = session.execute(
            select(
                Entitlement.id,
                Entitlement.reference,
                Entitlement.household_number,
                Entitlement.payee_name,
                Entitlement.payee_phone,
                Entitlement.amount,
                Entitlement.currency,
                Area.code,
                Entitlement.items,
            )
            .join(Area, Area.id == Entitlement.area_id)
            .where(Entitlement.cycle_id == cycle.id, Entitlement.id > last_id)
            .order_by(Entitlement.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        last_id = rows[-1][0]
        for eid, ref, number, name, phone, amount, currency, area, items in rows:
            owed = Decimal(amount) + adjustments.get(eid, Decimal(0))
            yield (
                ref,
                number,
                name,
                mask_phone(phone) if masked else (phone or ""),
                f"{owed:.2f}",
                currency,
                area,
                _items_text(items),
            )


def export_cycle(
    session: Session,
    cycle: PaymentCycle,
    fmt: str,
    out: Path,
    *,
    permissions: frozenset[Permission] | set[Permission],
    origin: Origin,
    progress: Progress | None = None,
) -> ExportResult:
    if fmt not in FORMATS:
        raise InvalidInput(N_("The format must be csv or xlsx."), field="format")
    if cycle.status not in (CycleStatus.APPROVED, CycleStatus.CLOSED):
        raise Conflict(N_("Only an approved cycle can be exported for payment."))
    masked = not sees_full_phones(permissions)
    total_rows = cycle.households
    count, total = 0, Decimal("0.00")
    out.parent.mkdir(parents=True, exist_ok=True)

    def counted() -> Iterator[tuple[str, ...]]:
        nonlocal count, total
        for row in payment_rows(session, cycle, masked=masked):
            count += 1
            total += Decimal(row[4])
            if progress and count % CHUNK == 0:
                progress(count, total_rows)
            yield row

    if fmt == "csv":
        with out.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(COLUMNS)
            writer.writerows(counted())
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("payments")
        sheet.append(list(COLUMNS))
        for row in counted():
            sheet.append([*row[:4], Decimal(row[4]), *row[5:]])
        book.save(out)
    digest = hashlib.sha256()
    with out.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    manifest = out.with_name(out.name + ".manifest.json")
    manifest.write_text(
        json.dumps(
            {
                "file": out.name,
                "sha256": digest.hexdigest(),
                "cycle": cycle.id,
                "program": cycle.program.code,
                "period": cycle.period,
                "rows": count,
                "total": f"{total:.2f}",
                "currency": cycle.currency,
                "phones_masked": masked,
                "written_at": utcnow().isoformat(timespec="seconds"),
                "written_by": origin.actor_name,
            },
            indent=2,
        )
    )
    record(
        session,
        origin,
        "payments.export",
        target_type="payment_cycle",
        target_id=cycle.id,
        details={
            "format": fmt,
            "rows": count,
            "total": f"{total:.2f}",
            "sha256": digest.hexdigest(),
            "masked": masked,
        },
    )
    if progress:
        progress(count, total_rows)
    return ExportResult(out, manifest, digest.hexdigest(), count, total, masked)
