"""/jobs/: progress that refreshes itself without JavaScript, the result, the failure reason."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from registry.errors import NotFound
from registry.i18n import translate
from registry.jobs.models import JOB_STATE_LABELS, Job, JobState
from registry.jobs.queries import Viewer, job_file, job_for, list_jobs
from registry.jobs.registry import all_specs
from webapp.auth.access import current_scope
from webapp.database import db
from webapp.i18n import current_language
from webapp.jobs.links import result_link

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

REFRESH_SECONDS = 2


def current_viewer() -> Viewer:
    return Viewer(
        user_id=current_user.user.id, roles=frozenset(current_user.roles), scope=current_scope()
    )


def _title(job: Job) -> str:
    spec = all_specs().get(job.kind)
    return translate(current_language(), spec.title) if spec else job.kind


def _summary(job: Job) -> list[tuple[str, object]]:
    spec = all_specs().get(job.kind)
    labels = spec.result_labels if spec else {}
    language = current_language()
    return [
        (translate(language, labels[key]) if key in labels else key, value)
        for key, value in (job.result or {}).items()
        if isinstance(value, int | float | str)
    ]


def _failure(job: Job) -> str | None:
    if job.state != JobState.FAILED or not job.error:
        return None
    return translate(current_language(), job.error, **(job.error_params or {}))


def files_base():  # type: ignore[no-untyped-def]
    from registry.jobs.queue import config

    return config().files_base


@bp.route("/")
@login_required
def index() -> str:
    jobs = list_jobs(db(), current_viewer())
    return render_template(
        "jobs/index.html",
        jobs=[(job, _title(job)) for job in jobs],
        state_labels=JOB_STATE_LABELS,
    )


@bp.route("/<int:job_id>")
@login_required
def show(job_id: int) -> str | Response:
    try:
        job = job_for(db(), job_id, current_viewer())
    except NotFound:
        abort(404)
    return render_template(
        "jobs/show.html",
        job=job,
        title=_title(job),
        failure=_failure(job),
        summary=_summary(job),
        link=result_link(job),
        state_labels=JOB_STATE_LABELS,
        refresh=None if job.finished else REFRESH_SECONDS,
    )


@bp.route("/<int:job_id>/files/<name>")
@login_required
def download(job_id: int, name: str) -> Response:
    try:
        path = job_file(db(), job_id, name, current_viewer(), files_base())
    except NotFound:
        abort(404)
    response = send_file(path, as_attachment=True, download_name=name, max_age=0)
    response.headers["Cache-Control"] = "no-store"  # results may hold personal data
    return response
