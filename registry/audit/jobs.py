"""Verifying the whole audit chain is a job: at national size it holds millions of events."""

from __future__ import annotations

from typing import Any

from registry.audit.checkpoint import CheckpointError
from registry.audit.checks import verify_with_checkpoint
from registry.audit.service import record
from registry.errors import Conflict
from registry.i18n import N_
from registry.jobs import JobContext, job
from registry.settings import instance_dir
from registry.users.roles import Permission

VERIFY_AUDIT = "audit.verify"


@job(
    VERIFY_AUDIT,
    title=N_("Verify the audit log"),
    permission=Permission.AUDIT_VIEW,
    result_labels={"checked": N_("Records checked"), "broken_seq": N_("Broken at record")},
)
def verify_audit_job(ctx: JobContext) -> dict[str, Any]:
    """Read-only apart from its own audit event, written once when the walk is complete."""
    try:
        result, checkpoint = verify_with_checkpoint(ctx.session, instance_dir())
    except CheckpointError:
        raise Conflict(N_("The latest checkpoint is damaged or signed with another key.")) from None
    details = {
        "ok": result.ok,
        "checked": result.checked,
        "broken_seq": result.broken_seq,
        "reason": result.reason,
        "checkpoint_seq": checkpoint.seq if checkpoint else None,
    }
    record(ctx.session, ctx.origin, "audit.verify", details=details)
    return {**details, "head_seq": result.head_seq, "head_hash": result.head_hash}
