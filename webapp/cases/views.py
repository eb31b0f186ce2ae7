"""The case page and its actions, and the caseload lists. The registry decides who may see and
do what (`registry.cases.access`); these views parse, call, and render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from forms.case_assessment import assessment_form, display_answers
from forms.engine import FormContext
from registry.cases import caseload, types, work
from registry.cases.access import CaseViewer, find_case, may_act, read_case
from registry.cases.documents import MAX_BYTES, attach_document, read_document
from registry.cases.models import Case, CaseType
from registry.cases.schedule import overdue_items
from registry.errors import DomainError, NotFound
from registry.grievances.models import Grievance
from registry.origin import Channel
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language
from webapp.inbox.views import error_message

bp = Blueprint("cases", __name__, url_prefix="/cases")


def viewer() -> CaseViewer:
    return CaseViewer.of(current_scope(), current_origin())


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def case_labels(case_type: CaseType) -> Callable[[str, str | None], str]:
    """`label(key, code)` in the reader's language: stage, risk, service, closure reason."""
    language = current_language()
    keys = {
        "stage": "stages",
        "risk": "risk_levels",
        "service": "services",
        "reason": "closure_reasons",
    }

    def label(key: str, code: str | None) -> str:
        if code is None:
            return "—"
        return types.name_of(case_type, keys[key], code, language)

    return label


@bp.route("/")
@permission_required(Permission.CASE_READ)
def index() -> str:
    session, who = db(), viewer()
    mine = caseload.my_cases(session, who) if who.handles else []
    others = [c for c in caseload.readable_cases(session, who) if c.worker_id != who.user_id]
    _audit_list(session, mine + others)
    return render_template(
        "cases/index.html", mine=mine, others=others, today=date.today(), overdue=overdue_items
    )


@bp.route("/team")
@permission_required(Permission.CASE_SUPERVISE)
def team() -> str:
    session, who = db(), viewer()
    view = caseload.team_view(session, who, date.today())
    _audit_list(session, view.overdue + view.unassigned)
    return render_template("cases/team.html", view=view, today=date.today(), overdue=overdue_items)


def _audit_list(session: Any, cases: list[Case]) -> None:
    """A list that names people is a read of each case on it: one audit record says which."""
    from registry.audit.service import record

    if cases:
        record(
            session,
            current_origin(),
            "case.list",
            target_type="case",
            details={"cases": sorted({c.number for c in cases})[:200]},
        )
        session.commit()


@bp.route("/<number>")
@permission_required(Permission.CASE_READ)
def show(number: str) -> str:
    session, who = db(), viewer()
    case = read_case(session, who, number, origin=current_origin())
    session.commit()
    grievance = session.get(Grievance, case.grievance_id) if case.grievance_id else None
    language = current_language()
    ctx = FormContext(session, language, "web")
    answers = display_answers(case.case_type, case.assessment or {}, language)
    return render_template(
        "cases/show.html",
        case=case,
        label=case_labels(case.case_type),
        acts=may_act(who, case),
        supervises=who.supervises,
        workers=work.case_workers_for(session, case) if who.supervises else [],
        services=types.choices(case.case_type, "services", language),
        reasons=types.choices(case.case_type, "closure_reasons", language),
        answers=answers,
        grievance=grievance,
        today=date.today(),
        late=overdue_items(case, date.today()),
        max_mb=MAX_BYTES // 2**20,
        ctx=ctx,
    )


def _act(number: str, do: Callable[[CaseViewer], object], done: str) -> Response:
    session = db()
    try:
        do(viewer())
        session.commit()
        flash(done, "success")
    except NotFound:
        session.rollback()
        abort(404)
    except DomainError as exc:
        session.rollback()
        flash(error_message(exc), "error")
    return redirect(url_for("cases.show", number=number), code=303)


def _field(name: str, limit: int = 2000) -> str:
    return request.form.get(name, "")[:limit]


def _int(name: str) -> int:
    value = request.form.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else 0


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.form.get(name, "")[:10])
    except ValueError:
        return None


@bp.post("/<number>/assign")
@permission_required(Permission.CASE_SUPERVISE)
def assign(number: str) -> Response:
    worker = _int("worker")
    return _act(
        number,
        lambda v: work.assign_case(db(), v, number, worker, origin=current_origin()),
        _("Assigned."),
    )


@bp.post("/<number>/plan")
@permission_required(Permission.CASE_HANDLE)
def plan(number: str) -> Response:
    """One door for the plan: add a goal or action, mark an action done, submit, approve."""
    do = request.form.get("do", "")
    origin = current_origin()
    steps: dict[str, tuple[Callable[[CaseViewer], object], str]] = {
        "add": (
            lambda v: work.add_plan_item(
                db(), v, number, _field("kind"), _field("text", 500), _date("due_on"), origin=origin
            ),
            _("Added to the plan."),
        ),
        "done": (
            lambda v: work.complete_action(db(), v, number, _int("item"), origin=origin),
            _("Action done."),
        ),
        "submit": (
            lambda v: work.submit_plan(db(), v, number, origin=origin),
            _("Plan sent to the supervisor for approval."),
        ),
        "approve": (
            lambda v: work.approve_plan(db(), v, number, origin=origin),
            _("Plan approved."),
        ),
    }
    if do not in steps:
        abort(400)
    action, message = steps[do]
    return _act(number, action, message)


@bp.post("/<number>/referrals")
@permission_required(Permission.CASE_HANDLE)
def referrals(number: str) -> Response:
    origin = current_origin()
    if request.form.get("do") == "status":
        return _act(
            number,
            lambda v: work.update_referral(
                db(), v, number, _int("referral"), _field("status", 20), origin=origin
            ),
            _("Referral updated."),
        )
    return _act(
        number,
        lambda v: work.refer(
            db(),
            v,
            number,
            _field("service", 40),
            _field("provider", 120),
            _field("note", 500),
            origin=origin,
        ),
        _("Referral sent."),
    )


@bp.post("/<number>/notes")
@permission_required(Permission.CASE_READ)
def notes(number: str) -> Response:
    return _act(
        number,
        lambda v: work.add_note(db(), v, number, _field("text"), origin=current_origin()),
        _("Note added."),
    )


@bp.post("/<number>/status")
@permission_required(Permission.CASE_HANDLE)
def status(number: str) -> Response:
    origin = current_origin()
    if request.form.get("do") == "reopen":
        return _act(
            number,
            lambda v: work.reopen_case(db(), v, number, _field("text"), origin=origin),
            _("Case reopened."),
        )
    return _act(
        number,
        lambda v: work.close_case(
            db(), v, number, _field("reason", 40), _field("text"), origin=origin
        ),
        _("Case closed."),
    )


@bp.post("/<number>/documents")
@permission_required(Permission.CASE_HANDLE)
def documents(number: str) -> Response:
    upload = request.files.get("file")
    data = upload.read(MAX_BYTES + 1) if upload is not None else b""
    return _act(
        number,
        lambda v: attach_document(
            db(), v, number, _field("title", 120), data, origin=current_origin()
        ),
        _("Document added."),
    )


@bp.route("/<number>/documents/<int:document_id>")
@permission_required(Permission.CASE_READ)
def document(number: str, document_id: int) -> Response:
    session = db()
    found = read_document(session, viewer(), number, document_id, origin=current_origin())
    session.commit()
    response = Response(found.data, mimetype=found.content_type)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/<number>/visit", methods=["GET", "POST"])
@permission_required(Permission.CASE_HANDLE)
def visit(number: str) -> Any:
    """The visit form on the phone: with no signal it is kept and sent later (field.js)."""
    session, who = db(), viewer()
    if request.method == "GET":
        case = read_case(session, who, number, origin=current_origin(Channel.FIELD))
        session.commit()
        return render_template(
            "cases/visit.html",
            case=case,
            label=case_labels(case.case_type),
            risks=types.choices(case.case_type, "risk_levels", current_language()),
            today=date.today(),
            errors={},
        )
    try:
        visit, created = work.record_visit(
            session,
            who,
            number,
            key=request.form.get("submission_key", "")[:64],
            visited_on=_date("visited_on") or date(1900, 1, 1),
            met_person=request.form.get("met_person") == "yes",
            risk=_field("risk", 20) or None,
            notes=_field("notes"),
            origin=current_origin(Channel.FIELD),
        )
        session.commit()
    except NotFound:
        session.rollback()
        abort(404)
    except DomainError as exc:
        session.rollback()
        if wants_json():
            return jsonify(status="invalid", errors={"visit": error_message(exc)}), 422
        flash(error_message(exc), "error")
        return redirect(url_for("cases.visit", number=number), code=303)
    url = url_for("cases.show", number=number)
    if wants_json():
        return jsonify(status="saved", number=number, created=created, url=url)
    flash(_("Visit recorded."), "success")
    return redirect(url, code=303)


@bp.route("/<number>/assess", methods=["GET", "POST"])
@permission_required(Permission.CASE_HANDLE)
def assess(number: str) -> Any:
    """The case type's assessment in the field wizard: one screen at a time, offline-capable."""
    from webapp.field.views import run
    from webapp.field.views import wants_json as replayed

    session, who = db(), viewer()
    if request.method == "GET":
        case = read_case(session, who, number, origin=current_origin(Channel.FIELD))
        session.commit()
    else:
        case = find_case(session, who, number)
    if not may_act(who, case) or case.status != "open":
        abort(404 if not may_act(who, case) else 409)
    form = assessment_form(case.case_type, current_language())
    prefill = dict(case.assessment or {})
    if case.risk:
        prefill[types.RISK_FIELD] = case.risk

    def save(clean: dict[str, Any], key: str) -> Any:
        work.record_assessment(
            session, who, number, clean, key, origin=current_origin(Channel.FIELD)
        )
        session.commit()
        url = url_for("cases.show", number=number)
        if replayed():
            return jsonify(status="saved", number=number, url=url)
        flash(_("Assessment saved."), "success")
        return redirect(url, code=303)

    return run(
        form, "assessment", url_for("cases.assess", number=number), prefill=prefill, saver=save
    )
