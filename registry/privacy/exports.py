"""Exports of households in the caller's scope: a stated reason, the exporter and time in the
file, masking per role, a cap per role, and an audit event for each one."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, BinaryIO

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from registry.areas.models import Area
from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Forbidden, InvalidInput
from registry.households.models import Household
from registry.i18n import N_
from registry.origin import Origin
from registry.privacy.masking import personal_fields
from registry.scope import Scope, in_scope
from registry.users.roles import Permission, Role, permissions_of

MIN_REASON_LENGTH = 10
MAX_REASON_LENGTH = 300
FORMATS = ("csv", "xlsx")
# Households one export may hold, by role; a user gets the largest of their roles.
EXPORT_CAPS: dict[Role, int] = {Role.PROGRAM_MANAGER: 5_000, Role.ADMIN: 50_000}
COLUMNS = (
    "household_number",
    "area_code",
    "area_name",
    "household_status",
    "member",
    "relation",
    "given_name",
    "family_name",
    "sex",
    "birth",
    "phone",
    "national_id",
    "disability",
)


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    data: bytes
    households: int
    rows: int


def export_cap(roles: Iterable[str]) -> int:
    return max((EXPORT_CAPS.get(Role(r), 0) for r in roles if r in set(Role)), default=0)


def clean_reason(reason: str) -> str:
    reason = " ".join("".join(c for c in reason if c.isprintable() or c.isspace()).split())
    if len(reason) < MIN_REASON_LENGTH:
        raise InvalidInput(
            N_("State why you need this export (at least %(n)s characters)."),
            field="reason",
            n=MIN_REASON_LENGTH,
        )
    return reason[:MAX_REASON_LENGTH]


def _households(
    session: Session, scope: Scope, area_code: str | None, status: str | None
) -> tuple[Area | None, object]:
    stmt = in_scope(select(Household), scope, Household.area_id)
    area = None
    if area_code:
        area = session.scalar(in_scope(select(Area), scope, Area.id).where(Area.code == area_code))
        if area is None:
            raise InvalidInput(N_("Choose an area from the list."), field="area")
        inside = select(Area.id).where(Area.path.startswith(area.path))
        stmt = stmt.where(Household.area_id.in_(inside.scalar_subquery()))
    if status:
        stmt = stmt.where(Household.status == status)
    return area, stmt


def _rows(households: list[Household], permissions: frozenset[Permission]) -> list[list[str]]:
    rows = []
    for household in households:
        for person in household.members:
            shown = personal_fields(person, permissions)
            rows.append(
                [
                    household.number,
                    household.area.code,
                    household.area.name,
                    household.status,
                    str(person.position + 1),
                    person.relation,
                    person.given_name,
                    person.family_name,
                    person.sex,
                    shown.birth,
                    shown.phone,
                    shown.national_id,
                    "yes" if person.disability else "no",
                ]
            )
    return rows


def _about(origin: Origin, at: datetime, reason: str, count: int) -> list[tuple[str, str]]:
    return [
        ("exported_by", origin.actor_name or "unknown"),
        ("exported_at", at.isoformat(timespec="seconds")),
        ("reason", reason),
        ("households", str(count)),
        ("notice", "Personal data: keep it safe, share it with no one, delete it after use."),
    ]


_NUMBER = re.compile(r"[+-]?\d[\d ]*")


def _cell(value: str) -> str:
    """Neutralises spreadsheet formulas (CSV injection) in values typed by other people."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


@dataclass(frozen=True)
class ExportPlan:
    """A checked request for an export: what it will hold, before any row is read."""

    reason: str
    fmt: str
    area: Area | None
    status: str | None
    households: int
    stmt: Any

    @property
    def content_type(self) -> str:
        if self.fmt == "csv":
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_export(
    session: Session,
    scope: Scope,
    *,
    origin: Origin,
    reason: str,
    fmt: str,
    area_code: str | None = None,
    status: str | None = None,
) -> ExportPlan:
    """Checks the role, reason, format, area and the role's cap; counts the households."""
    if Permission.EXPORT not in permissions_of(origin.roles):
        raise Forbidden(N_("Your role may not export data."))
    if fmt not in FORMATS:
        raise InvalidInput(N_("Choose CSV or Excel."), field="format")
    reason = clean_reason(reason)
    area, stmt = _households(session, scope, area_code, status)
    count = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    cap = export_cap(origin.roles)
    if count > cap:
        raise InvalidInput(
            N_("This export would hold %(count)s households; your role may export %(cap)s."),
            field="area",
            count=count,
            cap=cap,
        )
    return ExportPlan(reason, fmt, area, status, count, stmt)


CHUNK = 1000


def _chunks(session: Session, plan: ExportPlan) -> Iterator[list[Household]]:
    """The households of the plan, a thousand at a time with their members."""
    numbers = list(
        session.scalars(plan.stmt.with_only_columns(Household.number).order_by(Household.number))
    )
    for start in range(0, len(numbers), CHUNK):
        part = numbers[start : start + CHUNK]
        yield list(
            session.scalars(
                select(Household)
                .where(Household.number.in_(part))
                .options(selectinload(Household.members))
                .order_by(Household.number)
            )
        )


def write_export(
    session: Session,
    plan: ExportPlan,
    out: BinaryIO,
    *,
    origin: Origin,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Writes the file into `out` a chunk at a time and audits it; returns (households, rows)."""
    permissions = permissions_of(origin.roles)
    now = utcnow()
    about = _about(origin, now, plan.reason, plan.households)
    households = rows = 0
    if plan.fmt == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        for key, value in about:
            writer.writerow([f"# {key}", _cell(value)])
        writer.writerow(COLUMNS)
        for chunk in _chunks(session, plan):
            part = _rows(chunk, permissions)
            writer.writerows([[_cell(v) for v in row] for row in part])
            households, rows = households + len(chunk), rows + len(part)
            if progress:
                progress(households, plan.households)
        text.flush()
        text.detach()
    else:
        workbook = Workbook(write_only=True)
        workbook.properties.creator = origin.actor_name or "kinga"
        sheet = workbook.create_sheet("households")
        sheet.append(list(COLUMNS))
        for chunk in _chunks(session, plan):
            part = _rows(chunk, permissions)
            for row in part:
                sheet.append([_cell(v) for v in row])
            households, rows = households + len(chunk), rows + len(part)
            if progress:
                progress(households, plan.households)
        info = workbook.create_sheet("about")
        for key, value in about:
            info.append([key, _cell(value)])
        workbook.save(out)
    record(
        session,
        origin,
        "export.households",
        target_type="area",
        target_id=plan.area.code if plan.area else None,
        details={
            "format": plan.fmt,
            "households": households,
            "rows": rows,
            "reason": plan.reason,
            "status": plan.status,
            "masked": Permission.PII_FULL not in permissions,
        },
    )
    return households, rows


def export_filename(fmt: str) -> str:
    return f"kinga-households-{utcnow():%Y%m%dT%H%M%SZ}.{fmt}"


def export_households(
    session: Session,
    scope: Scope,
    *,
    origin: Origin,
    reason: str,
    fmt: str,
    area_code: str | None = None,
    status: str | None = None,
) -> ExportFile:
    """The export file in memory (small exports, tests); the desk runs `exports` as a job."""
    plan = plan_export(
        session, scope, origin=origin, reason=reason, fmt=fmt, area_code=area_code, status=status
    )
    buffer = io.BytesIO()
    households, rows = write_export(session, plan, buffer, origin=origin)
    return ExportFile(export_filename(fmt), plan.content_type, buffer.getvalue(), households, rows)
