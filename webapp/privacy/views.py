from __future__ import annotations

from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from werkzeug.wrappers import Response as WerkzeugResponse

from registry.areas.models import AreaLevel
from registry.errors import InvalidInput, NotFound
from registry.households.models import HouseholdStatus
from registry.i18n import N_, translate
from registry.privacy.exports import FORMATS, ExportFile, export_cap, plan_export
from registry.privacy.jobs import EXPORT_HOUSEHOLDS
from registry.privacy.statistics import STATUSES, THRESHOLD, households_by_region
from registry.privacy.subject_access import subject_access_export
from registry.scope import areas_in_scope
from registry.users.roles import Permission, permissions_of
from webapp.auth import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language
from webapp.jobs import start_job
from webapp.refusals import record_refusal

bp = Blueprint("privacy", __name__)

STATUS_LABELS = {
    HouseholdStatus.PENDING_VERIFICATION.value: N_("Waiting for verification"),
    HouseholdStatus.ACTIVE.value: N_("Active"),
    HouseholdStatus.INACTIVE.value: N_("Inactive"),
}


def _download(file: ExportFile) -> Response:
    return Response(
        file.data,
        mimetype=file.content_type,
        headers={
            "Content-Disposition": f"attachment; filename={file.filename}",
            "Cache-Control": "no-store",
        },
    )


def _error(exc: InvalidInput) -> dict[str, str]:
    return {exc.field or "form": translate(current_language(), exc.msgid, **exc.params)}


@bp.route("/exports/", methods=["GET", "POST"])
@permission_required(Permission.EXPORT)
def export() -> str | Response | WerkzeugResponse | tuple[str, int]:
    origin = current_origin()
    scope = current_scope()
    areas = [a for a in areas_in_scope(db(), scope) if a.level <= AreaLevel.DISTRICT]
    form = {"reason": "", "format": "csv", "area": "", "status": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {key: request.form.get(key, "")[:300] for key in form}
        status = form["status"] if form["status"] in STATUSES else None
        try:
            # Checked here so a wrong form is answered at once; the file is written by a job.
            plan_export(
                db(),
                scope,
                origin=origin,
                reason=form["reason"],
                fmt=form["format"],
                area_code=form["area"] or None,
                status=status,
            )
        except InvalidInput as exc:
            errors = _error(exc)
        else:
            params = {
                "reason": form["reason"],
                "fmt": form["format"],
                "area": form["area"] or None,
                "status": status,
            }
            return start_job(EXPORT_HOUSEHOLDS, params)
    page = render_template(
        "privacy/export.html",
        form=form,
        errors=errors,
        areas=areas,
        formats=FORMATS,
        statuses=STATUS_LABELS,
        cap=export_cap(origin.roles),
        masked=Permission.PII_FULL not in permissions_of(origin.roles),
    )
    return (page, 400) if errors else page


@bp.route("/exports/subject-access", methods=["GET", "POST"])
@permission_required(Permission.PII_FULL)
def subject_access() -> str | Response | tuple[str, int]:
    form = {"number": "", "reason": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = {key: request.form.get(key, "")[:300] for key in form}
        try:
            file = subject_access_export(
                db(),
                current_scope(),
                origin=current_origin(),
                number=form["number"],
                reason=form["reason"],
            )
        except InvalidInput as exc:
            errors = _error(exc)
        except NotFound:
            record_refusal(404)
            errors = {"number": _("No household with this number in your areas.")}
        else:
            db().commit()
            return _download(file)
    page = render_template("privacy/subject_access.html", form=form, errors=errors)
    return (page, 400 if "reason" in errors else 404) if errors else page


@bp.get("/statistics")
def statistics() -> str:
    """Public: no login, aggregated, small cells hidden."""
    return render_template(
        "privacy/statistics.html",
        rows=households_by_region(db(), current_language()),
        statuses=STATUS_LABELS,
        threshold=THRESHOLD,
    )
