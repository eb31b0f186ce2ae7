"""DCI search criteria turned into one scoped query over households.

Query types (DCI `query_type`):
- `idtype-value`: {"type": "NATIONAL_ID" | "HOUSEHOLD_NUMBER" | "MOBILE", "value": "..."}
- `expression`:   {"type": "...", "value": {"expression": {"collection": "Group",
                   "query": {"$and": [{"area": {"$eq": "R1"}}, {"program": {"$eq": "CT"}},
                   {"enrollment_status": {"$in": ["enrolled"]}},
                   {"registration_date": {"$ge": "2026-01-01"}}]}}}}
- `predicate`:    [{"seq_num": 1, "expression1": {"attribute_name": "area", "operator": "eq",
                   "attribute_value": "R1"}, "condition": "and", "expression2": {...}}, ...]

Every answer is restricted to the agreement's areas, leaves out households whose latest
recorded consent is a refusal, and never includes households whose personal data was erased.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, func, not_, or_, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.households.models import Consent, Household, Person
from registry.phones import normalize_phone
from registry.privacy.models import PrivacyErasure
from registry.programs.models import Enrollment, EnrollmentStatus, Program
from registry.scope import Scope, in_scope

ID_TYPES = {
    "NATIONAL_ID": "national_id",
    "NATIONALID": "national_id",
    "UIN": "national_id",
    "HOUSEHOLD_NUMBER": "household_number",
    "HOUSEHOLD": "household_number",
    "MOBILE": "phone",
    "PHONE": "phone",
}
ATTRIBUTES = (
    "area",
    "program",
    "enrollment_status",
    "registration_date",
    "registered_since",
    "national_id",
    "household_number",
    "phone",
)
_DAY = timedelta(days=1)
_OPS = {"eq", "gt", "lt", "ge", "le", "in"}


class BadQuery(Exception):
    """The criteria cannot be understood; `code` is a DCI status reason code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def consented(stmt: Select[Any]) -> Select[Any]:
    """Leaves out households whose latest recorded consent is a refusal or a withdrawal.

    A household with no consent statement at all (e.g. imported from an older register) is
    shared on the agreement's own legal basis; one that said no is never shared.
    """
    latest = select(func.max(Consent.id)).group_by(Consent.household_id).scalar_subquery()
    refused = select(Consent.household_id).where(Consent.id.in_(latest), Consent.given.is_(False))
    erased = select(PrivacyErasure.household_id)
    return stmt.where(Household.id.not_in(refused), Household.id.not_in(erased))


def shareable(scope: Scope) -> Select[Any]:
    """Households a partner with `scope` may hear of: its areas, consent given, not erased."""
    return consented(in_scope(select(Household.id), scope, Household.area_id))


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise BadQuery("rjct.search_criteria.invalid", "a value must be a string")
    return str(value).strip()


def _when(value: Any) -> datetime:
    try:
        day = date.fromisoformat(_text(value)[:10])
    except ValueError as exc:
        raise BadQuery("rjct.search_criteria.invalid", "dates are YYYY-MM-DD") from exc
    return datetime.combine(day, time(), tzinfo=UTC)


def _values(op: str, value: Any) -> list[Any]:
    if op == "in":
        if not isinstance(value, list) or not value or len(value) > 100:
            raise BadQuery("rjct.search_criteria.invalid", "'in' takes a list of 1 to 100 values")
        return value
    return [value]


def condition(attribute: str, op: str, value: Any) -> ColumnElement[bool]:
    """One `attribute op value` as a condition on Household."""
    if op not in _OPS:
        raise BadQuery("rjct.search_criteria.invalid", f"unknown operator {op}")
    if attribute in ("registration_date", "registered_since"):
        if attribute == "registered_since":
            op = "ge"
        moment = _when(value)
        column = Household.created_at
        if op == "eq":
            return and_(column >= moment, column < moment + _DAY)
        if op == "in":
            raise BadQuery("rjct.search_criteria.invalid", "dates take gt, ge, lt, le or eq")
        return {
            "gt": column >= moment + _DAY,
            "ge": column >= moment,
            "lt": column < moment,
            "le": column < moment + _DAY,
        }[op]
    if op not in ("eq", "in"):
        raise BadQuery("rjct.search_criteria.invalid", f"{attribute} takes eq or in")
    values = [_text(v) for v in _values(op, value)]
    if attribute == "area":
        inside = select(Area.id).where(
            or_(
                *(
                    Area.path.startswith(select(Area.path).where(Area.code == v).scalar_subquery())
                    for v in values
                )
            )
        )
        return Household.area_id.in_(inside)
    if attribute == "program":
        enrolled = (
            select(Enrollment.household_id)
            .join(Program, Program.id == Enrollment.program_id)
            .where(Program.code.in_(values))
        )
        return Household.id.in_(enrolled)
    if attribute == "enrollment_status":
        known = {s.value for s in EnrollmentStatus}
        if not set(values) <= known:
            raise BadQuery("rjct.search_criteria.invalid", "unknown enrollment status")
        return Household.id.in_(
            select(Enrollment.household_id).where(Enrollment.status.in_(values))
        )
    if attribute == "national_id":
        return Household.id.in_(select(Person.household_id).where(Person.national_id.in_(values)))
    if attribute == "household_number":
        return Household.number.in_(values)
    if attribute == "phone":
        phones = [p for p in (normalize_phone(v) for v in values) if p]
        if not phones:
            return false()
        return Household.id.in_(select(Person.household_id).where(Person.phone.in_(phones)))
    raise BadQuery("rjct.search_criteria.invalid", f"unknown attribute {attribute}")


def _program_status(program: list[str], statuses: list[str]) -> ColumnElement[bool]:
    """Program and status together mean: enrolled in THAT program with THAT status."""
    return Household.id.in_(
        select(Enrollment.household_id)
        .join(Program, Program.id == Enrollment.program_id)
        .where(Program.code.in_(program), Enrollment.status.in_(statuses))
    )


def idtype_value(query: Any) -> ColumnElement[bool]:
    if not isinstance(query, dict) or "type" not in query or "value" not in query:
        raise BadQuery("rjct.search_criteria.invalid", "idtype-value needs type and value")
    kind = ID_TYPES.get(str(query["type"]).upper().replace("-", "_"))
    if kind is None:
        raise BadQuery(
            "rjct.search_criteria.invalid",
            "type must be NATIONAL_ID, HOUSEHOLD_NUMBER or MOBILE",
        )
    return condition(kind, "eq", query["value"])


def expression(query: Any) -> ColumnElement[bool]:
    try:
        body = query["value"]["expression"]
        terms = body["query"]
    except (KeyError, TypeError) as exc:
        raise BadQuery(
            "rjct.search_criteria.invalid", "expression needs value.expression.query"
        ) from exc
    if body.get("collection", "Group") != "Group":
        raise BadQuery("rjct.search_criteria.invalid", "only the Group collection is searched")
    if isinstance(terms, dict) and "$and" in terms:
        terms = terms["$and"]
    if isinstance(terms, dict):
        terms = [{k: v} for k, v in terms.items()]
    if not isinstance(terms, list) or not terms or len(terms) > 20:
        raise BadQuery("rjct.search_criteria.invalid", "the query is a list of 1 to 20 terms")
    pairs: dict[str, tuple[str, Any]] = {}
    conditions = []
    for term in terms:
        if not isinstance(term, dict) or len(term) != 1:
            raise BadQuery("rjct.search_criteria.invalid", "each term names one attribute")
        ((attribute, test),) = term.items()
        if isinstance(test, dict) and len(test) == 1:
            ((op, value),) = test.items()
            op = str(op).lstrip("$")
        else:
            op, value = "eq", test
        if attribute in ("program", "enrollment_status") and op in ("eq", "in"):
            pairs[attribute] = (op, value)
            continue
        conditions.append(condition(str(attribute), op, value))
    if "program" in pairs and "enrollment_status" in pairs:
        program = [_text(v) for v in _values(*pairs["program"])]
        statuses = [_text(v) for v in _values(*pairs["enrollment_status"])]
        condition("enrollment_status", *pairs["enrollment_status"])  # validates the statuses
        conditions.append(_program_status(program, statuses))
    else:
        conditions += [condition(a, op, v) for a, (op, v) in pairs.items()]
    return and_(*conditions)


def _predicate_expression(item: Any) -> ColumnElement[bool]:
    if not isinstance(item, dict):
        raise BadQuery("rjct.search_criteria.invalid", "an expression is an object")
    try:
        return condition(
            str(item["attribute_name"]), str(item["operator"]), item["attribute_value"]
        )
    except KeyError as exc:
        raise BadQuery(
            "rjct.search_criteria.invalid", "attribute_name, operator, attribute_value"
        ) from exc


def predicate(query: Any) -> ColumnElement[bool]:
    if not isinstance(query, list) or not query or len(query) > 20:
        raise BadQuery("rjct.search_criteria.invalid", "a predicate is a list of 1 to 20 items")
    parts = []
    for item in sorted(query, key=lambda i: i.get("seq_num", 0) if isinstance(i, dict) else 0):
        if not isinstance(item, dict) or "expression1" not in item:
            raise BadQuery("rjct.search_criteria.invalid", "each item needs expression1")
        first = _predicate_expression(item["expression1"])
        if "expression2" not in item:
            parts.append(first)
            continue
        second = _predicate_expression(item["expression2"])
        joint = item.get("condition", "and")
        if joint == "and":
            parts.append(and_(first, second))
        elif joint == "or":
            parts.append(or_(first, second))
        elif joint == "not":
            parts.append(and_(first, not_(second)))
        else:
            raise BadQuery("rjct.search_criteria.invalid", "condition is and, or or not")
    return and_(*parts)


def criteria_condition(query_type: str, query: Any) -> ColumnElement[bool]:
    if query_type == "idtype-value":
        return idtype_value(query)
    if query_type == "expression":
        return expression(query)
    if query_type == "predicate":
        return predicate(query)
    raise BadQuery(
        "rjct.search_criteria.invalid", "query_type is idtype-value, expression or predicate"
    )


def find_households(
    session: Session,
    scope: Scope,
    where: ColumnElement[bool],
    *,
    page_size: int,
    page_number: int,
    newest_first: bool = False,
) -> tuple[list[Household], int]:
    ids = shareable(scope).where(where)
    total = session.scalar(select(func.count()).select_from(ids.subquery())) or 0
    order = Household.id.desc() if newest_first else Household.id
    stmt = (
        select(Household)
        .where(Household.id.in_(ids))
        .order_by(order)
        .limit(page_size)
        .offset((page_number - 1) * page_size)
    )
    return list(session.scalars(stmt)), total
