"""Who may see which job, checked in the query: the starter, or holders of the kind's
permission whose areas cover the job's area. Result files are reached only through here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.orm import Session

from registry.errors import NotFound
from registry.i18n import N_
from registry.jobs.context import check_file_name, job_files_dir
from registry.jobs.models import Job
from registry.jobs.registry import all_specs
from registry.scope import Scope
from registry.users.roles import permissions_of


@dataclass(frozen=True)
class Viewer:
    user_id: int | None
    roles: frozenset[str]
    scope: Scope


def _area_covered(scope: Scope) -> ColumnElement[bool]:
    if scope.everywhere:
        return Job.area_path.is_not(None)
    if not scope.paths:
        return false()
    return or_(*(Job.area_path.startswith(path) for path in scope.paths))


def visible(stmt: Select[Any], viewer: Viewer) -> Select[Any]:
    granted = permissions_of(viewer.roles)
    kinds = [spec.kind for spec in all_specs().values() if spec.permission in granted]
    mine = Job.actor_id == viewer.user_id if viewer.user_id is not None else false()
    theirs = and_(Job.kind.in_(kinds), _area_covered(viewer.scope)) if kinds else false()
    return stmt.where(or_(mine, theirs))


def list_jobs(session: Session, viewer: Viewer, *, limit: int = 100) -> list[Job]:
    stmt = visible(select(Job), viewer).order_by(Job.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def latest_jobs(
    session: Session, viewer: Viewer, kind: str, params: dict[str, Any], *, limit: int = 50
) -> list[Job]:
    """The viewer's visible jobs of `kind` started with these parameters, newest first."""
    stmt = visible(select(Job).where(Job.kind == kind), viewer).order_by(Job.id.desc())
    recent = session.scalars(stmt.limit(limit)).all()
    return [j for j in recent if all(j.params.get(k) == v for k, v in params.items())]


def job_for(session: Session, job_id: int, viewer: Viewer) -> Job:
    job = session.scalar(visible(select(Job).where(Job.id == job_id), viewer))
    if job is None:
        raise NotFound(N_("No such job."))
    return job


def job_file(session: Session, job_id: int, name: str, viewer: Viewer, files_base: Path) -> Path:
    """The path of a result file of a job the viewer may see; NotFound for anything else."""
    job = job_for(session, job_id, viewer)
    try:
        check_file_name(name)
    except ValueError:
        raise NotFound(N_("No such file.")) from None
    path = job_files_dir(files_base, job.id) / name
    if job.state != "done" or name not in (job.files or []) or not path.is_file():
        raise NotFound(N_("No such file."))
    return path
