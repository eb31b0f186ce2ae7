"""Enrollment decisions of a program: the list, one household's decision, overrides, status."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from registry.errors import DomainError, NotFound
from registry.households.models import Household
from registry.i18n import translate
from registry.programs.enrollment import (
    ALLOWED_MOVES,
    change_status,
    get_enrollment,
    list_enrollments,
    override_decision,
)
from registry.programs.models import Decision, Enrollment, EnrollmentStatus
from registry.programs.reasons import AreaNames, render_reason
from registry.programs.status import items_text
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language
from webapp.programs.helpers import program_or_404
from webapp.programs.views import bp

PAGE = 50


@bp.route("/<code>/enrollments")
@permission_required(Permission.PROGRAM_VIEW)
def enrollments(code: str) -> str:
    program = program_or_404(code)
    decision = request.args.get("decision") or None
    status = request.args.get("status") or None
    if decision not in (None, *Decision.__members__.values()):
        decision = None
    if status not in (None, *EnrollmentStatus.__members__.values()):
        status = None
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    rows = list_enrollments(
        db(),
        current_scope(),
        program,
        decision=decision,
        status=status,
        limit=PAGE + 1,
        offset=(page - 1) * PAGE,
    )
    language = current_language()
    names = AreaNames(db())
    return render_template(
        "programs/enrollments.html",
        program=program,
        rows=[(e, h, render_reason(e.reason, language, names)) for e, h in rows[:PAGE]],
        decision=decision or "",
        status=status or "",
        page=page,
        more=len(rows) > PAGE,
    )


def _enrollment_or_404(code: str, enrollment_id: int) -> tuple[object, Enrollment]:
    program = program_or_404(code)
    try:
        enrollment = get_enrollment(db(), current_scope(), enrollment_id)
    except NotFound:
        abort(404)
    if enrollment.program_id != program.id:
        abort(404)
    return program, enrollment


@bp.route("/<code>/enrollments/<int:enrollment_id>")
@permission_required(Permission.PROGRAM_VIEW)
def enrollment(code: str, enrollment_id: int) -> str:
    program, enrollment = _enrollment_or_404(code, enrollment_id)
    household = db().get(Household, enrollment.household_id)
    language = current_language()
    names = AreaNames(db())
    return render_template(
        "programs/enrollment.html",
        program=program,
        enrollment=enrollment,
        household=household,
        reason=render_reason(enrollment.reason, language, names),
        items=items_text(enrollment.items, language),
        events=[(ev, render_reason(ev.reason, language, names)) for ev in enrollment.events],
        moves=sorted(
            move
            for move in ALLOWED_MOVES.get(EnrollmentStatus(enrollment.status), set())
            if move != EnrollmentStatus.ENROLLED or enrollment.decision == Decision.ELIGIBLE
        ),
        can_override=current_user.can(Permission.ENROLLMENT_OVERRIDE),
        can_manage=current_user.can(Permission.PROGRAM_MANAGE),
    )


def _done(code: str, enrollment_id: int, error: DomainError | None) -> Response:
    if error is not None:
        db().rollback()
        flash(translate(current_language(), error.msgid, **error.params), "error")
    else:
        db().commit()
        flash(_("Saved. The household head is told by SMS when the status changes."), "success")
    return redirect(url_for("programs.enrollment", code=code, enrollment_id=enrollment_id))


@bp.route("/<code>/enrollments/<int:enrollment_id>/override", methods=["POST"])
@permission_required(Permission.ENROLLMENT_OVERRIDE)
def override(code: str, enrollment_id: int) -> Response:
    program, enrollment = _enrollment_or_404(code, enrollment_id)
    try:
        override_decision(
            db(),
            enrollment,
            request.form.get("decision", ""),
            request.form.get("note", "")[:1000],
            origin=current_origin(),
        )
    except DomainError as exc:
        return _done(code, enrollment_id, exc)
    return _done(code, enrollment_id, None)


@bp.route("/<code>/enrollments/<int:enrollment_id>/status", methods=["POST"])
@permission_required(Permission.PROGRAM_MANAGE)
def set_status(code: str, enrollment_id: int) -> Response:
    program, enrollment = _enrollment_or_404(code, enrollment_id)
    try:
        change_status(
            db(),
            enrollment,
            request.form.get("status", ""),
            request.form.get("note", "")[:1000],
            origin=current_origin(),
        )
    except DomainError as exc:
        return _done(code, enrollment_id, exc)
    return _done(code, enrollment_id, None)
