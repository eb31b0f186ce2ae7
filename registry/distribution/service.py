"""Distribution day: points, stock, the roster a phone takes offline, and syncing hand-overs.

A hand-over is keyed by the id the phone gave it, so sending it again changes nothing. The phone
refuses a second hand-over of an entitlement it knows was collected; two phones that both handed
it out offline both sync, and the entitlement appears in the double collection report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.cards.models import Card, CardStatus
from registry.distribution.models import DistributionPoint, HandOver, StockMovement
from registry.errors import Conflict, InvalidInput, NotFound
from registry.households.models import Person
from registry.i18n import N_
from registry.origin import Origin
from registry.payments.models import (
    CycleStatus,
    Entitlement,
    EntitlementStatus,
    PaymentCycle,
    PaymentEvent,
)
from registry.privacy.masking import initials
from registry.scope import Scope, in_scope

STOCK_KINDS = ("received", "counted")


def create_point(
    session: Session, code: str, name: str, area: Area, *, scope: Scope, origin: Origin
) -> DistributionPoint:
    code = code.strip().upper()
    if not code or not name.strip():
        raise InvalidInput(N_("A distribution point needs a code and a name."), field="code")
    if not scope.covers(area):
        raise NotFound(N_("No area with this code."))
    if session.scalar(select(DistributionPoint.id).where(DistributionPoint.code == code)):
        raise Conflict(N_("A distribution point with this code exists."))
    point = DistributionPoint(code=code[:32], name=name.strip()[:120], area_id=area.id)
    session.add(point)
    session.flush()
    record(
        session,
        origin,
        "distribution.point_created",
        target_type="distribution_point",
        target_id=point.code,
        area_code=area.code,
    )
    return point


def points_in_scope(session: Session, scope: Scope) -> list[DistributionPoint]:
    stmt = in_scope(select(DistributionPoint), scope, DistributionPoint.area_id)
    return list(session.scalars(stmt.order_by(DistributionPoint.code)))


def get_point(session: Session, point_id: int, scope: Scope) -> DistributionPoint:
    point = session.scalar(
        in_scope(select(DistributionPoint), scope, DistributionPoint.area_id).where(
            DistributionPoint.id == point_id
        )
    )
    if point is None:
        raise NotFound(N_("No distribution point with this number."))
    return point


def record_stock(
    session: Session,
    point: DistributionPoint,
    cycle: PaymentCycle,
    *,
    kind: str,
    item: str,
    unit: str,
    quantity: str,
    note: str | None,
    origin: Origin,
) -> StockMovement:
    if kind not in STOCK_KINDS:
        raise InvalidInput(N_("Choose received or counted."), field="kind")
    try:
        amount = Decimal(quantity.strip())
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount < 0 or not item.strip():
        raise InvalidInput(N_("Give the item and a quantity of 0 or more."), field="quantity")
    movement = StockMovement(
        point_id=point.id,
        cycle_id=cycle.id,
        kind=kind,
        item=item.strip()[:120],
        unit=unit.strip()[:16],
        quantity=amount,
        note=(note or "").strip() or None,
        actor=origin.actor_name or "system",
    )
    session.add(movement)
    session.flush()
    record(
        session,
        origin,
        "distribution.stock",
        target_type="distribution_point",
        target_id=point.code,
        details={"cycle": cycle.id, "kind": kind, "item": movement.item, "quantity": str(amount)},
    )
    return movement


def _entitlements_at(cycle: PaymentCycle, point: DistributionPoint, scope: Scope):  # type: ignore[no-untyped-def]
    inside = select(Area.id).where(Area.path.startswith(point.area.path)).scalar_subquery()
    stmt = select(Entitlement).where(
        Entitlement.cycle_id == cycle.id, Entitlement.area_id.in_(inside)
    )
    return in_scope(stmt, scope, Entitlement.area_id)


def item_lines(items: list[Any] | None, language: str) -> list[dict[str, Any]]:
    lines = []
    for names, quantity, unit in items or []:
        name = (names.get(language) or names.get("en")) if isinstance(names, dict) else str(names)
        lines.append({"item": name, "quantity": quantity, "unit": unit})
    return lines


def roster(
    session: Session, cycle: PaymentCycle, point: DistributionPoint, scope: Scope, language: str
) -> list[dict[str, Any]]:
    """What the phone takes offline: per entitlement, cards, initials and birth year, items."""
    if cycle.status not in (CycleStatus.APPROVED, CycleStatus.CLOSED):
        raise Conflict(N_("Only an approved cycle has a distribution roster."))
    rows = session.execute(
        _entitlements_at(cycle, point, scope)
        .outerjoin(Person, Person.id == Entitlement.payee_person_id)
        .add_columns(Person.birth_year)
        .order_by(Entitlement.household_number)
    ).all()
    household_ids = [e.household_id for e, _ in rows]
    cards: dict[int, list[str]] = defaultdict(list)
    for household_id, number in session.execute(
        select(Card.household_id, Card.number).where(
            Card.household_id.in_(household_ids), Card.status == CardStatus.ACTIVE
        )
    ):
        cards[household_id].append(number)
    collected = set(
        session.scalars(
            select(HandOver.entitlement_id).where(
                HandOver.entitlement_id.in_([e.id for e, _ in rows])
            )
        )
    )
    return [
        {
            "reference": e.reference,
            "household": e.household_number,
            "cards": cards.get(e.household_id, []),
            "initials": initials(e.payee_name),
            "birth_year": birth_year,
            "items": item_lines(e.items, language),
            "amount": f"{e.amount:.2f}" if cycle.program.kind == "cash" else None,
            "collected": e.id in collected,
        }
        for e, birth_year in rows
    ]


@dataclass
class SyncResult:
    accepted: list[str] = field(default_factory=list)  # client ids now stored
    known: list[str] = field(default_factory=list)  # stored before: nothing changed
    doubles: list[str] = field(default_factory=list)  # stored, and a double collection
    refused: dict[str, str] = field(default_factory=dict)  # client id -> reason msgid


def _parse_time(value: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def sync_handovers(
    session: Session,
    point: DistributionPoint,
    records: list[dict[str, Any]],
    *,
    device: str,
    scope: Scope,
    origin: Origin,
) -> SyncResult:
    """Stores hand-overs recorded offline; each is keyed by its `id` from the phone.

    Syncs of one point are serialised by a write on the point's row, taken first (call this at
    the start of a transaction): two phones syncing at once wait for each other.
    """
    session.execute(
        update(DistributionPoint)
        .where(DistributionPoint.id == point.id)
        .values(code=DistributionPoint.code)
    )
    result = SyncResult()
    for raw in records[:500]:
        client_id = str(raw.get("id") or "")[:64]
        if len(client_id) < 8:
            continue
        if session.scalar(select(HandOver.id).where(HandOver.client_id == client_id)):
            result.known.append(client_id)
            continue
        entitlement = session.scalar(
            in_scope(select(Entitlement), scope, Entitlement.area_id).where(
                Entitlement.reference == str(raw.get("reference") or "")[:40]
            )
        )
        recipient = raw.get("recipient")
        proxy = str(raw.get("proxy_name") or "").strip()[:120]
        handed_at = _parse_time(raw.get("handed_at"))
        reason = None
        if entitlement is None or not entitlement.area.path.startswith(point.area.path):
            reason = N_("Not on this point's roster.")
        elif entitlement.cycle.status != CycleStatus.APPROVED:
            reason = N_("This cycle is not open for hand-overs.")
        elif recipient not in ("holder", "proxy") or (recipient == "proxy" and not proxy):
            reason = N_("Say who received the goods: the holder or a named proxy.")
        elif handed_at is None:
            reason = N_("The time of the hand-over is missing.")
        if reason is not None:
            result.refused[client_id] = reason
            continue
        assert entitlement is not None and handed_at is not None
        earlier = session.scalar(
            select(func.count(HandOver.id)).where(HandOver.entitlement_id == entitlement.id)
        )
        session.add(
            HandOver(
                client_id=client_id,
                entitlement_id=entitlement.id,
                point_id=point.id,
                device=device[:64],
                recipient=recipient,
                proxy_name=proxy or None,
                items=entitlement.items,
                handed_at=handed_at,
                recorded_by=origin.actor_name or "system",
            )
        )
        if earlier:
            result.doubles.append(client_id)
        else:
            entitlement.status = EntitlementStatus.COLLECTED
            entitlement.paid_amount = entitlement.amount
            entitlement.paid_at = handed_at
        session.add(
            PaymentEvent(
                entitlement_id=entitlement.id,
                kind="handover",
                status=EntitlementStatus.COLLECTED,
                amount=entitlement.amount,
                detail=("double collection " if earlier else "") + f"{point.code} {device[:40]}",
            )
        )
        session.flush()
        result.accepted.append(client_id)
    if result.accepted or result.refused:
        record(
            session,
            origin,
            "distribution.sync",
            target_type="distribution_point",
            target_id=point.code,
            details={
                "device": device[:64],
                "accepted": len(result.accepted),
                "known": len(result.known),
                "doubles": len(result.doubles),
                "refused": len(result.refused),
            },
        )
    return result


@dataclass
class DoubleCollection:
    reference: str
    household_number: str
    hand_overs: list[HandOver]


def double_collections(
    session: Session, cycle: PaymentCycle, scope: Scope
) -> list[DoubleCollection]:
    twice = (
        select(HandOver.entitlement_id)
        .join(Entitlement, Entitlement.id == HandOver.entitlement_id)
        .where(Entitlement.cycle_id == cycle.id)
        .group_by(HandOver.entitlement_id)
        .having(func.count(HandOver.id) > 1)
    )
    entitlements = session.scalars(
        in_scope(select(Entitlement), scope, Entitlement.area_id)
        .where(Entitlement.id.in_(twice))
        .order_by(Entitlement.reference)
    )
    report = []
    for entitlement in entitlements:
        hand_overs = list(
            session.scalars(
                select(HandOver)
                .where(HandOver.entitlement_id == entitlement.id)
                .order_by(HandOver.handed_at)
            )
        )
        report.append(
            DoubleCollection(entitlement.reference, entitlement.household_number, hand_overs)
        )
    return report


@dataclass
class StockLine:
    item: str
    unit: str
    received: Decimal = Decimal(0)
    handed_out: Decimal = Decimal(0)
    counted: Decimal | None = None

    @property
    def balance(self) -> Decimal:
        return self.received - self.handed_out

    @property
    def discrepancy(self) -> Decimal | None:
        return None if self.counted is None else self.counted - self.balance


def stock_report(
    session: Session, cycle: PaymentCycle, point: DistributionPoint
) -> list[StockLine]:
    """Received, handed out (double collections included: the goods left), balance, count."""
    lines: dict[str, StockLine] = {}

    def line(item: str, unit: str) -> StockLine:
        return lines.setdefault(item, StockLine(item=item, unit=unit))

    for movement in session.scalars(
        select(StockMovement)
        .where(StockMovement.point_id == point.id, StockMovement.cycle_id == cycle.id)
        .order_by(StockMovement.id)
    ):
        target = line(movement.item, movement.unit)
        if movement.kind == "received":
            target.received += movement.quantity
        else:
            target.counted = movement.quantity  # the latest count stands
    for items in session.scalars(
        select(HandOver.items)
        .join(Entitlement, Entitlement.id == HandOver.entitlement_id)
        .where(HandOver.point_id == point.id, Entitlement.cycle_id == cycle.id)
    ):
        for entry in item_lines(items, "en"):
            line(entry["item"], entry["unit"]).handed_out += Decimal(str(entry["quantity"]))
    return sorted(lines.values(), key=lambda s: s.item)
