"""What a desk calls to start long work: submit the job, commit, and show its page."""

from __future__ import annotations

from typing import Any

from flask import redirect, url_for
from werkzeug.wrappers import Response

from registry.jobs import Job, submit_job
from webapp.auth.access import current_origin, current_scope
from webapp.database import db
from webapp.request_id import current_request_id


def submit_from_request(kind: str, params: dict[str, Any]) -> Job:
    """The job, started by the logged-in user with their scope; committed (so it is queued)."""
    job = submit_job(
        db(),
        kind,
        params,
        origin=current_origin(),
        scope=current_scope(),
        request_id=current_request_id(),
    )
    db().commit()
    return job


def start_job(kind: str, params: dict[str, Any]) -> Response:
    """Starts the job and sends the browser to its progress page; the request returns at once."""
    job = submit_from_request(kind, params)
    return redirect(url_for("jobs.show", job_id=job.id), code=303)
