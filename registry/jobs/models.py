"""The Job row: what was asked, by whom, for which areas, and how far it got."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from registry.db import Base, utcnow
from registry.i18n import N_


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


JOB_STATE_LABELS = {
    JobState.QUEUED: N_("Waiting"),
    JobState.RUNNING: N_("Running"),
    JobState.DONE: N_("Done"),
    JobState.FAILED: N_("Failed"),
}


class Job(Base):
    """One run of long work. The queue carries only the id; everything else lives here.

    `area_path` is the narrowest area covering the starter's scope ('' when national): who may
    see the job is decided from it. `scope_paths`/`scope_everywhere` rebuild the starter's scope
    in the worker, so the body sees exactly what the starter could see.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_state_heartbeat", "state", "heartbeat_at"),
        Index("ix_jobs_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_name: Mapped[str | None] = mapped_column(String(80))
    origin: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    area_path: Mapped[str] = mapped_column(String(400), default="")
    scope_paths: Mapped[list[str]] = mapped_column(JSON, default=list)
    scope_everywhere: Mapped[bool] = mapped_column(default=False)
    request_id: Mapped[str | None] = mapped_column(String(64))
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int | None]
    progress_message: Mapped[str | None] = mapped_column(String(200))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    files: Mapped[list[str]] = mapped_column(JSON, default=list)
    error: Mapped[str | None] = mapped_column(Text)
    error_params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    attempts: Mapped[int] = mapped_column(default=0)
    worker: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    enqueued_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int | None:
        if not self.progress_total:
            return None
        return max(0, min(100, round(100 * self.progress_done / self.progress_total)))

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)
