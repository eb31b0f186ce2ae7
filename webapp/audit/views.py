from __future__ import annotations

import json
from datetime import date

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response as WerkzeugResponse

from registry.audit.checkpoint import (
    latest_checkpoint,
    load_or_create_key,
    public_key_b64,
)
from registry.audit.jobs import VERIFY_AUDIT
from registry.audit.query import AuditFilter, known_actions, search_events
from registry.audit.verify import VerifyResult
from registry.errors import NotFound
from registry.jobs.models import JobState
from registry.jobs.queries import job_for
from registry.origin import Channel
from registry.settings import instance_dir
from registry.users.roles import Permission
from webapp.auth import permission_required
from webapp.database import db
from webapp.jobs import start_job
from webapp.jobs.views import current_viewer

bp = Blueprint("audit", __name__, url_prefix="/audit")
well_known = Blueprint("audit_keys", __name__)

REASONS = {
    "edited": _l("a record was changed after it was written"),
    "missing": _l("a record was deleted"),
    "reordered": _l("records were moved out of order"),
    "relinked": _l("a record does not link to the one before it"),
    "truncated": _l("the newest records were removed (the checkpoint is no longer in the log)"),
    "checkpoint_mismatch": _l("the log differs from the signed checkpoint"),
}


def _day(name: str) -> date | None:
    try:
        return date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None


def _int(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 18 else None


def _filters() -> AuditFilter:
    def text(name: str) -> str | None:
        return request.args.get(name, "").strip()[:64] or None

    return AuditFilter(
        action=text("action"),
        actor=text("actor"),
        channel=text("channel"),
        area_code=text("area"),
        target=text("target"),
        since=_day("since"),
        until=_day("until"),
        before_seq=_int("before"),
    )


def _reason(result: VerifyResult) -> str:
    return str(REASONS.get(result.reason or "", result.reason or ""))


def _page(result: VerifyResult | None = None, error: str | None = None) -> str:
    filters = _filters()
    events = search_events(db(), filters)
    return render_template(
        "audit/index.html",
        events=events,
        filters=filters,
        actions=known_actions(db()),
        channels=[c.value for c in Channel],
        result=result,
        reason=_reason(result) if result else None,
        error=error,
        checkpoint=latest_checkpoint(instance_dir()),
        next_before=events[-1].seq if len(events) >= 50 else None,
    )


@bp.get("/")
@permission_required(Permission.AUDIT_VIEW)
def index() -> str:
    return _page(result=_verification(_int("verification")))


@bp.post("/verify")
@permission_required(Permission.AUDIT_VIEW)
def verify() -> WerkzeugResponse:
    """Walking the chain is long work: a job, whose verdict this page then shows."""
    return start_job(VERIFY_AUDIT, {})


def _verification(job_id: int | None) -> VerifyResult | None:
    """The verdict of a finished verification job the user may see."""
    if job_id is None:
        return None
    try:
        job = job_for(db(), job_id, current_viewer())
    except NotFound:
        abort(404)
    if job.kind != VERIFY_AUDIT or job.state != JobState.DONE or not job.result:
        return None
    r = job.result
    result = VerifyResult(
        ok=bool(r["ok"]),
        checked=int(r["checked"]),
        head_seq=int(r.get("head_seq") or 0),
        head_hash=str(r.get("head_hash") or ""),
        broken_seq=r.get("broken_seq"),
        reason=r.get("reason"),
    )
    return result


@bp.get("/checkpoint.json")
@permission_required(Permission.AUDIT_VIEW)
def checkpoint() -> Response:
    """The latest signed checkpoint, for an auditor to keep outside the system."""
    latest = latest_checkpoint(instance_dir())
    if latest is None:
        abort(404)
    return Response(
        latest.to_json(),
        mimetype="application/json",
        headers={"Content-Disposition": f"attachment; filename=kinga-checkpoint-{latest.seq}.json"},
    )


@well_known.get("/.well-known/kinga-audit-key.json")
def audit_key() -> Response:
    """The public key that checks audit checkpoints (safe to publish)."""
    public = load_or_create_key(instance_dir()).public_key()
    body = {"kty": "OKP", "crv": "Ed25519", "x": public_key_b64(public), "use": "audit-checkpoint"}
    return Response(json.dumps(body), mimetype="application/json")
