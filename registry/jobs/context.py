"""What a job body gets: its own session, who started it, their scope, and progress/files."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.jobs.models import Job
from registry.origin import Origin
from registry.scope import Scope

_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def job_files_dir(base: Path, job_id: int) -> Path:
    return base / "jobs" / str(job_id)


def check_file_name(name: str) -> str:
    """A result file name is one plain path segment: no directories, no hidden files."""
    if not _SAFE_NAME.match(name) or ".." in name:
        raise ValueError(f"unsafe result file name: {name!r}")
    return name


class JobSuperseded(Exception):
    """This run no longer owns the job (recovery gave it to another attempt): save nothing."""


@dataclass
class JobContext:
    session: Session
    origin: Origin
    scope: Scope
    job_id: int
    request_id: str | None
    files_base: Path
    attempt: int = 0  # the claim's fencing token: writes land only while the row still has it
    on_progress: Callable[[], None] | None = None
    _files: list[str] = field(default_factory=list)

    def progress(self, done: int, total: int | None, message: str | None = None) -> None:
        """Records progress and commits the work done so far: a checkpoint a retry resumes from."""
        owned = self.session.execute(
            update(Job)
            .where(Job.id == self.job_id, Job.attempts == self.attempt, Job.state == "running")
            .values(
                progress_done=int(done),
                progress_total=None if total is None else int(total),
                progress_message=(message or None) and message[:200],
                heartbeat_at=utcnow(),
            )
        )
        if owned.rowcount != 1:
            self.session.rollback()
            raise JobSuperseded(self.job_id)
        self.session.commit()
        if self.on_progress is not None:
            self.on_progress()

    def result_file(self, name: str) -> Path:
        """A path under the job's own folder to write a result into; listed on the job page."""
        check_file_name(name)
        folder = job_files_dir(self.files_base, self.job_id)
        folder.mkdir(parents=True, exist_ok=True)
        if name not in self._files:
            self._files.append(name)
        return folder / name

    @property
    def files(self) -> list[str]:
        return list(self._files)
