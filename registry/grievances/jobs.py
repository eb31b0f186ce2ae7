"""The inbox export as a job: a national list of grievances takes longer than a request."""

from __future__ import annotations

from typing import Any

from registry.db import utcnow
from registry.grievances.export import export_grievances
from registry.grievances.queries import InboxFilter, Viewer
from registry.i18n import N_
from registry.jobs import JobContext, job

EXPORT_GRIEVANCES = "grievances.export"


# permission=None: only the person who exported sees the job and its file (their reason, their
# areas and their role's cap), as for household exports.
@job(
    EXPORT_GRIEVANCES,
    title=N_("Export grievances"),
    permission=None,
    result_labels={"grievances": N_("Grievances")},
)
def export_grievances_job(
    ctx: JobContext,
    *,
    reason: str,
    fmt: str,
    status: str | None = None,
    category: str | None = None,
    area: str | None = None,
    overdue: bool = False,
    mine: bool = False,
    number: str | None = None,
) -> dict[str, Any]:
    """Writes the file anew on a retry; its audit event is written with the finished file."""
    filters = InboxFilter(
        status=status,
        category_code=category,
        area_code=area,
        overdue=overdue,
        mine=mine,
        number=number,
    )
    file = export_grievances(
        ctx.session,
        Viewer.of(ctx.scope, ctx.origin),
        filters,
        utcnow(),
        origin=ctx.origin,
        reason=reason,
        fmt=fmt,
    )
    ctx.result_file(file.filename).write_bytes(file.data)
    return {"grievances": file.rows}
