"""Starting a job: the row, its audit event, and the queue message sent only after commit."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.audit.service import record
from registry.db import utcnow
from registry.errors import InvalidInput
from registry.i18n import N_
from registry.jobs.models import Job
from registry.jobs.registry import spec_for
from registry.origin import Channel, Origin
from registry.scope import Scope

_PENDING = "kinga_jobs_pending"
NOBODY_AREA = "~"  # a starter with no areas: only the starter and national users see the job


def origin_to_dict(origin: Origin) -> dict[str, Any]:
    data = asdict(origin)
    data["channel"] = str(origin.channel)
    data["roles"] = sorted(origin.roles)
    data.pop("phone", None)  # a job never needs the caller's phone; keep it out of the row
    return data


def origin_from_dict(data: dict[str, Any]) -> Origin:
    known = {k: v for k, v in data.items() if k in Origin.__dataclass_fields__}
    known["channel"] = Channel(known.get("channel", "system"))
    known["roles"] = frozenset(known.get("roles") or ())
    return Origin(**known)


def _common_path(paths: tuple[str, ...]) -> str:
    """The deepest area path that contains every path given ('KE/R1/' and 'KE/R2/' -> 'KE/')."""
    parts = [p.rstrip("/").split("/") for p in paths]
    common: list[str] = []
    for segments in zip(*parts, strict=False):
        if len(set(segments)) != 1:
            break
        common.append(segments[0])
    return "/".join(common) + "/" if common else ""


def job_area_path(session: Session, scope: Scope) -> str:
    if scope.everywhere:
        roots = session.scalars(select(Area.path).where(Area.parent_id.is_(None))).all()
        return roots[0] if len(roots) == 1 else ""
    if not scope.paths:
        return NOBODY_AREA
    return _common_path(scope.paths) or NOBODY_AREA


def submit_job(
    session: Session,
    kind: str,
    params: dict[str, Any],
    *,
    origin: Origin,
    scope: Scope,
    request_id: str | None = None,
) -> Job:
    """Writes the job (queued) and its audit event; the queue hears of it once this commits."""
    try:
        spec = spec_for(kind)
    except KeyError:
        raise InvalidInput(N_("Unknown kind of job."), field="kind") from None
    try:
        json.dumps(params)
    except (TypeError, ValueError):
        raise InvalidInput(N_("The job's parameters cannot be stored."), field="params") from None
    now = utcnow()
    job = Job(
        kind=spec.kind,
        state="queued",
        params=dict(params),
        actor_id=origin.actor_id,
        actor_name=origin.actor_name,
        origin=origin_to_dict(origin),
        area_path=job_area_path(session, scope),
        scope_paths=list(scope.paths),
        scope_everywhere=scope.everywhere,
        request_id=request_id or origin.request_id,
        created_at=now,
        enqueued_at=now,
        files=[],
        error_params={},
    )
    session.add(job)
    session.flush()
    record(
        session,
        origin,
        "job.submitted",
        target_type="job",
        target_id=job.id,
        details={"kind": spec.kind},
    )
    enqueue_after_commit(session, job.id)
    return job


def enqueue_after_commit(session: Session, job_id: int) -> None:
    """Nothing is queued for a transaction that rolls back; a lost message is recovered later."""
    if _PENDING not in session.info:
        session.info[_PENDING] = []
        event.listen(session, "after_commit", _send_pending)
        event.listen(session, "after_rollback", _drop_pending)
    session.info[_PENDING].append(job_id)


def _send_pending(session: Session) -> None:
    from registry.jobs.queue import enqueue

    pending, session.info[_PENDING] = session.info.get(_PENDING, []), []
    for job_id in pending:
        enqueue(job_id)


def _drop_pending(session: Session) -> None:
    session.info[_PENDING] = []
