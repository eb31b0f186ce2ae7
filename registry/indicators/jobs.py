"""Jobs of the indicators: the snapshot refresh (nightly and on demand) and the monthly report.

Both are idempotent: a refresh replaces its month's rows in one transaction; a report is
written again under the same file name.
"""

from __future__ import annotations

from typing import Any

from registry.i18n import N_
from registry.indicators.monthly import monthly_report
from registry.indicators.periods import Period
from registry.indicators.refresh import refresh_period
from registry.jobs import JobContext, job
from registry.users.roles import Permission

REFRESH = "indicators.refresh"
MONTHLY = "reports.monthly"


@job(
    REFRESH,
    title=N_("Refresh the indicators"),
    permission=Permission.DASHBOARD_VIEW,
    result_labels={"period": N_("Month"), "rows": N_("Figures counted")},
)
def refresh_indicators(ctx: JobContext, *, period: str) -> dict[str, Any]:
    summary = refresh_period(
        ctx.session, Period.parse(period), origin=ctx.origin, progress=ctx.progress
    )
    return {"period": summary.period, "rows": summary.rows}


@job(
    MONTHLY,
    title=N_("Monthly report"),
    permission=Permission.DASHBOARD_VIEW,
    result_labels={"period": N_("Month"), "area": N_("Area"), "file": N_("File")},
)
def make_monthly_report(
    ctx: JobContext,
    *,
    period: str,
    area: str | None = None,
    program: str | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """The PDF is made within the starter's areas (their scope), and kept with the job."""
    report = monthly_report(
        ctx.session,
        ctx.scope,
        period=Period.parse(period),
        area_code=area,
        program=program,
        language=language,
        origin=ctx.origin,
        progress=ctx.progress,
    )
    ctx.result_file(report.file_name).write_bytes(report.pdf)
    return {"period": report.period, "area": report.area_code, "file": report.file_name}
