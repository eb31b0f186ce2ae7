"""Subject access: everything Kinga holds about one household, exported for the family itself."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.audit.models import AuditEvent
from registry.audit.service import record
from registry.db import utcnow
from registry.errors import Forbidden
from registry.households.models import Consent, Household
from registry.households.service import get_household
from registry.i18n import N_
from registry.origin import Origin
from registry.privacy.exports import ExportFile, clean_reason
from registry.scope import Scope
from registry.users.roles import Permission, permissions_of


def _members(household: Household) -> list[dict[str, Any]]:
    return [
        {
            "position": person.position + 1,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "sex": person.sex,
            "birth_date": str(person.birth_date) if person.birth_date else None,
            "birth_year": person.birth_year,
            "relation": person.relation,
            "phone": person.phone,
            "language": person.language,
            "national_id": person.national_id,
            "disability": person.disability,
        }
        for person in household.members
    ]


def _consents(session: Session, household: Household) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Consent).where(Consent.household_id == household.id).order_by(Consent.id)
    )
    return [
        {
            "given": c.given,
            "notice_version": c.notice_version,
            "method": c.method,
            "channel": c.channel,
            "recorded_at": c.recorded_at.isoformat(timespec="seconds"),
        }
        for c in rows
    ]


def _history(session: Session, household: Household) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.target_type == "household", AuditEvent.target_id == household.number)
        .order_by(AuditEvent.seq)
    )
    return [
        {"at": e.at.isoformat(timespec="seconds"), "action": e.action, "channel": e.channel}
        for e in rows
    ]


def subject_access_export(
    session: Session, scope: Scope, *, origin: Origin, number: str, reason: str
) -> ExportFile:
    """A JSON file of the household's data, consents and the record of what was done with it."""
    if Permission.PII_FULL not in permissions_of(origin.roles):
        raise Forbidden(N_("Your role may not export personal data."))
    reason = clean_reason(reason)
    household = get_household(session, scope, number)
    now = utcnow()
    document = {
        "kind": "kinga.subject_access",
        "exported_by": origin.actor_name,
        "exported_at": now.isoformat(timespec="seconds"),
        "reason": reason,
        "household": {
            "number": household.number,
            "area": household.area.name,
            "address": household.address,
            "status": household.status,
            "registered_at": household.created_at.isoformat(timespec="seconds"),
            "registered_through": household.source_channel,
        },
        "members": _members(household),
        "consents": _consents(session, household),
        "history": _history(session, household),
    }
    record(
        session,
        origin,
        "export.subject_access",
        target_type="household",
        target_id=household.number,
        area_code=household.area.code,
        details={"reason": reason},
    )
    data = json.dumps(document, ensure_ascii=False, indent=2).encode()
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    return ExportFile(
        f"kinga-subject-access-{household.number}-{stamp}.json",
        "application/json",
        data,
        1,
        len(household.members),
    )
