"""Shared pieces of the CLI: the session for a command, and one-line failures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from registry.errors import DomainError
from registry.i18n import translate
from registry.jobs import Job, JobState, run_job_now, submit_job
from registry.origin import Origin
from registry.scope import Scope
from webapp.state import state


@contextmanager
def command_session() -> Iterator[Session]:
    """A session whose work commits when the command succeeds; errors become one clear line."""
    session = state().sessionmaker()
    try:
        yield session
        session.commit()
    except DomainError as exc:
        session.rollback()
        raise click.ClickException(translate("en", exc.msgid, **exc.params)) from exc
    except OperationalError as exc:
        session.rollback()
        raise click.ClickException(
            f"database unreachable or not migrated ({type(exc.orig).__name__}); "
            "run `kinga db upgrade` and check KINGA_DATABASE_URL"
        ) from exc
    except SQLAlchemyError as exc:
        session.rollback()
        raise click.ClickException(f"database error: {type(exc).__name__}") from exc
    finally:
        session.close()


def run_as_job(kind: str, params: dict[str, Any], *, queue: bool, who: str) -> Job | None:
    """Submits the job; unless `queue`, runs it here through the same runner a worker uses.

    Returns the finished job (detached), or None when it was left to `kinga worker`; a failed
    job ends the command with its reason.
    """
    with command_session() as session:
        job = submit_job(session, kind, params, origin=Origin.cli(who), scope=Scope.unrestricted())
    if queue:
        click.echo(f"job {job.id} queued; `kinga worker` runs it (follow it at /jobs/{job.id})")
        return None
    run_job_now(job.id)
    with command_session() as session:
        finished = session.get(Job, job.id)
        assert finished is not None
        session.expunge(finished)
    if finished.state != JobState.DONE:
        params = finished.error_params or {}
        reason = translate("en", finished.error, **params) if finished.error else "?"
        raise click.ClickException(f"job {job.id} failed: {reason}")
    return finished


def job_file(job: Job, name: str) -> Path:
    """Where a finished job's result file lies (the worker's files folder)."""
    from registry.jobs.context import job_files_dir
    from registry.jobs.queue import config

    return job_files_dir(config().files_base, job.id) / name
