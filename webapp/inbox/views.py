from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from registry.db import utcnow
from registry.errors import DomainError, InvalidInput, NotFound
from registry.grievances import actions
from registry.grievances.categories import all_categories
from registry.grievances.export import check_grievance_export
from registry.grievances.jobs import EXPORT_GRIEVANCES
from registry.grievances.offices import officers_for_scope
from registry.grievances.queries import (
    Viewer,
    count_grievances,
    display_phone,
    get_grievance,
    list_grievances,
)
from registry.grievances.recordings import recording_audio, recordings_of
from registry.grievances.service import GrievanceData, list_categories, lodge_grievance
from registry.grievances.states import OPEN_STATUSES, Decision, Status
from registry.grievances.stats import counters, inbox_stats
from registry.i18n import N_, translate
from registry.payments.grievance import linked_payments
from registry.privacy.exports import export_cap
from registry.scope import areas_in_scope
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language
from webapp.inbox.forms import as_int, inbox_filter
from webapp.jobs import start_job

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
PAGE_SIZE = 50


def viewer() -> Viewer:
    return Viewer.of(current_scope(), current_origin())


def error_message(exc: DomainError) -> str:
    """The refusal in the officer's language; string parameters are msgids (labels) too."""
    params = {k: _(v) if isinstance(v, str) else v for k, v in exc.params.items()}
    return _(exc.msgid) % params if params else _(exc.msgid)


@bp.route("/")
@permission_required(Permission.GRIEVANCE_HANDLE)
def index() -> str:
    session, who, now = db(), viewer(), utcnow()
    filters = inbox_filter(request.args)
    page = max(1, as_int(request.args.get("page")) or 1)
    grievances = list_grievances(
        session, who, filters, now, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
    )
    total = count_grievances(session, who, filters, now)
    return render_template(
        "inbox/index.html",
        grievances=grievances,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        filters=filters,
        counters=counters(session, who, now),
        statuses=list(Status),
        categories=[c for c in all_categories(session) if c.parent_id is None],
        areas=areas_in_scope(session, who.scope, level=None)[:200],
        officers=sorted(
            officers_for_scope(session, who.scope.paths, who.scope.everywhere),
            key=lambda u: u.id != who.user_id,  # myself first
        ),
        now=now,
        export_permission=Permission.EXPORT,
    )


FILTER_FIELDS = ("status", "category", "area", "overdue", "mine", "q")


@bp.route("/export", methods=["GET", "POST"])
@permission_required(Permission.EXPORT)
def export() -> str | Response | tuple[str, int]:
    """The filtered list (no text, no phone) through the export service: a reason, the role's
    cap, the exporter in the file, audited."""
    source = request.form if request.method == "POST" else request.args
    filters = {key: source.get(key, "")[:40] for key in FILTER_FIELDS if source.get(key)}
    form = {"reason": request.form.get("reason", "")[:300], "format": "csv"}
    error = None
    if request.method == "POST":
        form["format"] = request.form.get("format", "csv")[:8]
        session = db()
        f = inbox_filter(filters)
        try:
            reason = check_grievance_export(
                session,
                viewer(),
                f,
                utcnow(),
                origin=current_origin(),
                reason=form["reason"],
                fmt=form["format"],
            )
        except InvalidInput as exc:
            session.rollback()
            error = translate(current_language(), exc.msgid, **exc.params)
        else:
            # The file is written by a job (a national list takes long); its page offers it.
            return start_job(
                EXPORT_GRIEVANCES,
                {
                    "reason": reason,
                    "fmt": form["format"],
                    "status": f.status,
                    "category": f.category_code,
                    "area": f.area_code,
                    "overdue": f.overdue,
                    "mine": f.mine,
                    "number": f.number,
                },
            )
    page = render_template(
        "inbox/export.html",
        filters=filters,
        form=form,
        error=error,
        cap=export_cap(current_origin().roles),
    )
    return (page, 400) if error else page


@bp.route("/stats")
@permission_required(Permission.GRIEVANCE_HANDLE)
def stats() -> str:
    session, who, now = db(), viewer(), utcnow()
    figures = inbox_stats(session, who, now, current_language())
    return render_template("inbox/stats.html", counters=counters(session, who, now), stats=figures)


@bp.route("/<number>")
@permission_required(Permission.GRIEVANCE_HANDLE)
def show(number: str) -> str:
    session, who = db(), viewer()
    try:
        grievance = get_grievance(session, who, number)
    except NotFound:
        abort(404)
    return render_template(
        "inbox/show.html",
        g=grievance,
        phone=display_phone(grievance, who),
        officers=sorted(
            actions.assignable_officers(session, grievance), key=lambda u: u.id != who.user_id
        ),
        decisions=list(Decision),
        is_open=grievance.status in OPEN_STATUSES,
        can=lambda action: grievance.status in actions.TRANSITIONS[action],
        now=utcnow(),
        payments=linked_payments(session, grievance),
        recordings=recordings_of(session, grievance),
    )


@bp.route("/<number>/recordings/<int:recording_id>")
@permission_required(Permission.GRIEVANCE_HANDLE)
def recording(number: str, recording_id: int) -> Response:
    """The caller's recorded message, for an officer who may see the grievance."""
    try:
        found = recording_audio(db(), viewer(), number, recording_id)
    except NotFound:
        abort(404)
    response = Response(found.audio, mimetype=found.content_type)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Disposition"] = "inline"
    return response


def _act(number: str, do: Callable[[Viewer], object], done: str) -> Response:
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
    return redirect(url_for("inbox.show", number=number))


def _field(name: str) -> str:
    return request.form.get(name, "")


@bp.post("/<number>/assign")
@permission_required(Permission.GRIEVANCE_HANDLE)
def assign(number: str) -> Response:
    assignee = as_int(_field("assignee")) or 0
    return _act(
        number,
        lambda v: actions.assign_grievance(db(), v, number, assignee, origin=current_origin()),
        _("Assigned."),
    )


@bp.post("/<number>/start")
@permission_required(Permission.GRIEVANCE_HANDLE)
def start(number: str) -> Response:
    return _act(
        number,
        lambda v: actions.start_work(db(), v, number, origin=current_origin()),
        _("Marked in progress."),
    )


@bp.post("/<number>/hold")
@permission_required(Permission.GRIEVANCE_HANDLE)
def hold(number: str) -> Response:
    return _act(
        number,
        lambda v: actions.put_on_hold(db(), v, number, _field("text"), origin=current_origin()),
        _("On hold: the time to answer is paused."),
    )


@bp.post("/<number>/note")
@permission_required(Permission.GRIEVANCE_HANDLE)
def note(number: str) -> Response:
    return _act(
        number,
        lambda v: actions.add_note(db(), v, number, _field("text"), origin=current_origin()),
        _("Note added."),
    )


@bp.post("/<number>/reply")
@permission_required(Permission.GRIEVANCE_HANDLE)
def reply(number: str) -> Response:
    return _act(
        number,
        lambda v: actions.reply_to_complainant(
            db(), v, number, _field("text"), origin=current_origin()
        ),
        _("Reply queued for sending by SMS."),
    )


@bp.post("/<number>/escalate")
@permission_required(Permission.GRIEVANCE_HANDLE)
def escalate(number: str) -> Response:
    return _act(
        number,
        lambda v: actions.escalate_grievance(
            db(), v, number, _field("text"), origin=current_origin()
        ),
        _("Escalated."),
    )


@bp.post("/<number>/resolve")
@permission_required(Permission.GRIEVANCE_HANDLE)
def resolve(number: str) -> Response:
    return _act(
        number,
        lambda v: actions.resolve_grievance(
            db(), v, number, _field("decision"), _field("text"), origin=current_origin()
        ),
        _("Resolved; the complainant is told and asked if they are satisfied."),
    )


@bp.post("/<number>/close")
@permission_required(Permission.GRIEVANCE_HANDLE)
def close(number: str) -> Response:
    return _act(
        number,
        lambda v: actions.close_grievance(db(), v, number, origin=current_origin()),
        _("Closed."),
    )


@bp.post("/<number>/reopen")
@permission_required(Permission.GRIEVANCE_HANDLE)
def reopen(number: str) -> Response:
    return _act(
        number,
        lambda v: actions.reopen_grievance(
            db(), v, number, _field("text"), origin=current_origin()
        ),
        _("Reopened."),
    )


@bp.post("/bulk-assign")
@permission_required(Permission.GRIEVANCE_HANDLE)
def bulk_assign() -> Response:
    session = db()
    numbers = request.form.getlist("numbers")[:PAGE_SIZE]
    assignee = as_int(_field("assignee")) or 0
    if not numbers:
        flash(_("Tick the grievances to assign first."), "error")
        return redirect(url_for("inbox.index"))
    result = actions.bulk_assign(session, viewer(), numbers, assignee, origin=current_origin())
    session.commit()
    if result.assigned:
        flash(_("%(n)s grievance(s) assigned.", n=len(result.assigned)), "success")
    if result.refused:
        flash(
            _("Not assigned: %(numbers)s", numbers=", ".join(result.refused)),
            "error",
        )
    return redirect(request.referrer or url_for("inbox.index"))


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.GRIEVANCE_LODGE)
def lodge() -> str | Response:
    """A walk-in or field grievance recorded by staff for someone."""
    session, language = db(), current_language()
    errors: dict[str, str] = {}
    form = request.form
    areas = areas_in_scope(session, current_scope())
    if request.method == "POST":
        # Officers record walk-ins at the desk; everyone else lodging is out in the field.
        channel = "walk_in" if current_user.can(Permission.GRIEVANCE_HANDLE) else "field"
        data = GrievanceData(
            category_code=form.get("category", ""),
            text=form.get("text", ""),
            area_code=form.get("area") or None,
            complainant_phone=(form.get("phone") or "").strip() or None,
            person_id=None,
            anonymous=form.get("anonymous") == "1",
            consent_to_contact=form.get("consent") == "1",
            language=form.get("language") or language,
            channel=channel,
        )
        try:
            if data.area_code not in {a.code for a in areas}:
                raise InvalidInput(N_("Choose a community from the list."), field="area")
            grievance = lodge_grievance(
                session, data, origin=current_origin(), scope=current_scope()
            )
            session.commit()
            flash(_("Grievance %(number)s recorded.", number=grievance.number), "success")
            return redirect(url_for("inbox.lodge"))
        except DomainError as exc:
            session.rollback()
            errors[getattr(exc, "field", None) or "form"] = error_message(exc)
    return render_template(
        "inbox/new.html",
        categories=list_categories(session, language),
        areas=areas,
        form=form,
        errors=errors,
    )
