"""Household exports as jobs: a national export takes minutes, not a request's seconds."""

from __future__ import annotations

from typing import Any

from registry.i18n import N_
from registry.jobs import JobContext, job
from registry.privacy.exports import export_filename, plan_export, write_export

EXPORT_HOUSEHOLDS = "privacy.export_households"


# permission=None: only the person who exported sees the job and its file. An export is made
# under one person's stated reason (and masked for their role); colleagues make their own.
@job(
    EXPORT_HOUSEHOLDS,
    title=N_("Export households"),
    permission=None,
    result_labels={"households": N_("Households"), "rows": N_("Rows")},
)
def export_households_job(
    ctx: JobContext,
    *,
    reason: str,
    fmt: str,
    area: str | None = None,
    status: str | None = None,
) -> dict[str, Any]:
    """Writes the file anew on a retry; the audit event is written once, with the finished file."""
    plan = plan_export(
        ctx.session,
        ctx.scope,
        origin=ctx.origin,
        reason=reason,
        fmt=fmt,
        area_code=area,
        status=status,
    )
    with ctx.result_file(export_filename(plan.fmt)).open("wb") as out:
        households, rows = write_export(
            ctx.session,
            plan,
            out,
            origin=ctx.origin,
            progress=lambda done, total: ctx.progress(done, total),
        )
    return {"households": households, "rows": rows}
