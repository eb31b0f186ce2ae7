"""The registry-wide duplicate run as a job (minutes at national size)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from registry.areas.models import Area
from registry.errors import InvalidInput
from registry.i18n import N_
from registry.jobs import JobContext, job
from registry.matching.run import run_registry
from registry.users.roles import Permission

DEDUP_RUN = "matching.dedup_run"

STEP_MESSAGES = {
    "loading people": N_("Loading people"),
    "training the model": N_("Training the model on the registry"),
    "comparing blocked pairs": N_("Comparing likely pairs"),
    "filling the review queue": N_("Filling the review queue"),
    "done": N_("Done"),
}


@job(
    DEDUP_RUN,
    title=N_("Find duplicates"),
    permission=Permission.DUPLICATE_REVIEW,
    result_labels={
        "people": N_("People compared"),
        "found": N_("Likely duplicate pairs"),
        "added": N_("New in the review queue"),
    },
)
def dedup_run_job(ctx: JobContext, *, area: str | None = None) -> dict[str, Any]:
    """Idempotent: pairs already in the queue are not added again on a retry."""
    if not ctx.scope.everywhere:
        target = ctx.session.scalar(select(Area).where(Area.code == (area or "")))
        if target is None or not ctx.scope.covers(target):
            raise InvalidInput(N_("Choose an area you cover."), field="area")
    result = run_registry(
        ctx.session,
        origin=ctx.origin,
        area_code=area,
        progress=lambda done, total, message: ctx.progress(done, total, message),
    )
    return {"people": result.people, "found": result.pairs_found, "added": result.pairs_added}
