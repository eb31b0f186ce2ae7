"""Programs and their rule versions: list, compare, edit a draft, simulate, switch on, apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from registry.areas.models import Area
from registry.errors import Conflict, DomainError, InvalidInput
from registry.i18n import N_, translate
from registry.jobs.models import Job, JobState
from registry.jobs.queries import latest_jobs
from registry.programs.enrollment import check_can_apply
from registry.programs.jobs import APPLY, SIMULATE
from registry.programs.models import (
    DECISION_LABELS,
    ENROLLMENT_STATUS_LABELS,
    KIND_LABELS,
    PROGRAM_STATUS_LABELS,
    RULESET_STATUS_LABELS,
    Enrollment,
    Program,
    RuleSet,
    RuleSetStatus,
)
from registry.programs.reasons import (
    AreaNames,
    render_reason,
    render_rule_error,
    rule_error_pointer,
)
from registry.programs.rules import RuleDocumentError
from registry.programs.rulesets import activate, create_draft, update_draft
from registry.programs.service import list_programs, set_program_status
from registry.programs.simulation_report import simulation_from_json
from registry.users.roles import Permission
from webapp.auth.access import current_origin, permission_required
from webapp.database import db
from webapp.i18n import current_language
from webapp.jobs import start_job
from webapp.jobs.views import current_viewer
from webapp.programs.helpers import program_or_404, version_or_404, version_rows

bp = Blueprint("programs", __name__, url_prefix="/programs", template_folder="templates")


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {
        "kind_labels": KIND_LABELS,
        "program_status_labels": PROGRAM_STATUS_LABELS,
        "ruleset_status_labels": RULESET_STATUS_LABELS,
        "decision_labels": DECISION_LABELS,
        "enrollment_status_labels": ENROLLMENT_STATUS_LABELS,
    }


def _counts(program: Program) -> dict[tuple[str, str], int]:
    rows = db().execute(
        select(Enrollment.status, Enrollment.decision, func.count())
        .where(Enrollment.program_id == program.id)
        .group_by(Enrollment.status, Enrollment.decision)
    )
    return {(status, decision): count for status, decision, count in rows}


@bp.route("/")
@permission_required(Permission.PROGRAM_VIEW)
def index() -> str:
    return render_template("programs/index.html", programs=list_programs(db()))


@bp.route("/<code>")
@permission_required(Permission.PROGRAM_VIEW)
def show(code: str) -> str:
    program = program_or_404(code)
    counts = _counts(program)
    by_status: dict[str, int] = {}
    for (status, _decision), count in counts.items():
        by_status[status] = by_status.get(status, 0) + count
    return render_template(
        "programs/show.html",
        program=program,
        rule_sets=program.rule_sets,
        rows=version_rows(program.rule_sets),
        by_status=by_status,
        can_manage=current_user.can(Permission.PROGRAM_MANAGE),
    )


def _form_date(name: str) -> date:
    try:
        return date.fromisoformat(request.form.get(name, ""))
    except ValueError:
        raise InvalidInput(N_("Give the date as YYYY-MM-DD."), field=name) from None


@dataclass(frozen=True)
class DraftForm:
    source: str
    reason: str
    effective_from: str

    @classmethod
    def posted(cls) -> DraftForm:
        return cls(
            source=request.form.get("source", "")[:20_000],
            reason=request.form.get("reason", "")[:1000],
            effective_from=request.form.get("effective_from", "")[:10],
        )


def _editor(
    program: Program,
    rule_set: RuleSet | None,
    form: DraftForm,
    error: str | None = None,
    pointer: str | None = None,
) -> tuple[str, int]:
    page = render_template(
        "programs/edit.html",
        program=program,
        rule_set=rule_set,
        source=form.source,
        reason=form.reason,
        effective_from=form.effective_from,
        error=error,
        pointer=pointer,
    )
    return page, 422 if error else 200


@bp.route("/<code>/versions/new", methods=["GET", "POST"])
@permission_required(Permission.PROGRAM_MANAGE)
def new_version(code: str) -> tuple[str, int] | Response:
    program = program_or_404(code)
    latest = program.rule_sets[-1] if program.rule_sets else None
    if request.method == "GET":
        form = DraftForm(latest.source if latest else "", "", date.today().isoformat())
        return _editor(program, None, form)
    return _save(program, None)


@bp.route("/<code>/versions/<int:version>/edit", methods=["GET", "POST"])
@permission_required(Permission.PROGRAM_MANAGE)
def edit_version(code: str, version: int) -> tuple[str, int] | Response:
    program = program_or_404(code)
    rule_set = version_or_404(program, version)
    if rule_set.status != RuleSetStatus.DRAFT:
        flash(_("Only a draft can be edited; make a new version instead."), "error")
        return redirect(url_for("programs.show", code=program.code))
    if request.method == "GET":
        form = DraftForm(rule_set.source, rule_set.reason, rule_set.effective_from.isoformat())
        return _editor(program, rule_set, form)
    return _save(program, rule_set)


def _save(program: Program, rule_set: RuleSet | None) -> tuple[str, int] | Response:
    form = DraftForm.posted()
    language = current_language()
    try:
        when = _form_date("effective_from")
        if rule_set is None:
            rule_set = create_draft(
                db(),
                program,
                source=form.source,
                reason=form.reason,
                effective_from=when,
                origin=current_origin(),
            )
        else:
            update_draft(
                db(),
                rule_set,
                source=form.source,
                reason=form.reason,
                effective_from=when,
                origin=current_origin(),
            )
    except RuleDocumentError as exc:
        db().rollback()
        return _editor(
            program, rule_set, form, render_rule_error(exc, language), rule_error_pointer(exc)
        )
    except DomainError as exc:
        db().rollback()
        return _editor(program, rule_set, form, translate(language, exc.msgid, **exc.params))
    db().commit()
    flash(_("Draft version %(version)s saved.", version=rule_set.version), "success")
    return redirect(url_for("programs.show", code=program.code))


@bp.route("/<code>/versions/<int:version>/simulation", methods=["GET", "POST"])
@permission_required(Permission.PROGRAM_VIEW)
def simulation(code: str, version: int) -> str | Response:
    """Starts a simulation job (POST); shows the newest finished one for this area (GET)."""
    program = program_or_404(code)
    rule_set = version_or_404(program, version)
    area_code = request.values.get("area", "").strip() or None
    areas = db().scalars(select(Area).where(Area.level <= 2).order_by(Area.path)).all()
    if area_code is not None and area_code not in {a.code for a in areas}:
        abort(404)
    params = {"program": program.code, "version": rule_set.version, "area": area_code}
    if request.method == "POST":
        return start_job(SIMULATE, {**params, "today": date.today().isoformat()})
    everywhere = latest_jobs(
        db(), current_viewer(), SIMULATE, {"program": program.code, "version": rule_set.version}
    )
    jobs = [j for j in everywhere if j.params.get("area") == area_code]
    done = next((j for j in jobs if j.state == JobState.DONE), None)
    recent: dict[str | None, Job] = {}
    for j in everywhere:
        if j.state == JobState.DONE and j is not done:
            recent.setdefault(j.params.get("area"), j)
    pending = next((j for j in jobs if not j.finished), None)
    result = simulation_from_json(db(), program, rule_set, done.result) if done else None
    names = AreaNames(db())
    language = current_language()
    return render_template(
        "programs/simulation.html",
        program=program,
        rule_set=rule_set,
        result=result,
        done=done,
        pending=pending,
        recent=list(recent.values())[:8],
        areas=areas,
        area_code=area_code or "",
        examples_in=[(e, render_reason(e.reason, language, names)) for e in result.examples_in]
        if result
        else [],
        examples_out=[(e, render_reason(e.reason, language, names)) for e in result.examples_out]
        if result
        else [],
    )


@bp.route("/<code>/versions/<int:version>/activate", methods=["POST"])
@permission_required(Permission.PROGRAM_MANAGE)
def activate_version(code: str, version: int) -> Response:
    program = program_or_404(code)
    rule_set = version_or_404(program, version)
    try:
        activate(db(), rule_set, origin=current_origin(), today=date.today())
    except RuleDocumentError as exc:
        db().rollback()
        flash(render_rule_error(exc, current_language()), "error")
        return redirect(url_for("programs.show", code=program.code))
    except Conflict as exc:
        db().rollback()
        flash(translate(current_language(), exc.msgid, **exc.params), "error")
        return redirect(url_for("programs.show", code=program.code))
    db().commit()
    flash(
        _("Version %(version)s is now active. Apply it to decide enrollments.", version=version),
        "success",
    )
    return redirect(url_for("programs.show", code=program.code))


@bp.route("/<code>/status", methods=["POST"])
@permission_required(Permission.PROGRAM_MANAGE)
def program_status(code: str) -> Response:
    program = program_or_404(code)
    try:
        set_program_status(db(), program, request.form.get("status", ""), origin=current_origin())
    except DomainError as exc:
        db().rollback()
        flash(translate(current_language(), exc.msgid, **exc.params), "error")
        return redirect(url_for("programs.show", code=program.code))
    db().commit()
    flash(_("Program status saved."), "success")
    return redirect(url_for("programs.show", code=program.code))


@bp.route("/<code>/apply", methods=["POST"])
@permission_required(Permission.PROGRAM_MANAGE)
def apply(code: str) -> Response:
    """Enrollment runs as a job; what cannot run is said at once, before any job starts."""
    program = program_or_404(code)
    try:
        check_can_apply(program)
    except Conflict as exc:
        flash(translate(current_language(), exc.msgid, **exc.params), "error")
        return redirect(url_for("programs.show", code=program.code))
    return start_job(APPLY, {"program": program.code, "today": date.today().isoformat()})


from webapp.programs import enrollments  # noqa: E402,F401  (routes on the same blueprint)
