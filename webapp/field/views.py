"""The field worker's pages: search, register, view, edit, verify, consent.

Everything works with plain form posts. With JavaScript on, `static/js/field.js` moves
between screens without a round trip and queues submissions made with no signal; it replays
them with `Accept: application/json`, and these views answer it in JSON.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.wrappers import Response

from forms.catalog import get_form
from forms.definitions.registration import CONSENT_METHODS, RELATION_OPTIONS
from forms.engine import Form, FormContext, validate_page
from forms.households import from_household, to_household_data
from registry.errors import Conflict, DomainError, NotFound
from registry.households.editing import (
    StaleEdit,
    consent_history,
    latest_consent,
    record_consent,
    update_household,
    verify_household,
)
from registry.households.models import Household, HouseholdStatus
from registry.households.service import (
    OnDuplicate,
    PossibleDuplicates,
    get_household,
    search_households,
    view_household,
)
from registry.households.worklists import pending_verification
from registry.i18n import translate
from registry.matching.check import Candidate
from registry.matching.views import candidate_views, possible_duplicate_numbers
from registry.numbers import group
from registry.origin import Channel
from registry.submissions.service import register_household_once
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.field import wizard
from webapp.i18n import current_language
from webapp.state import state

bp = Blueprint("field", __name__, url_prefix="/field")
SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "js" / "field-sw.js"


def form_context() -> FormContext:
    return FormContext(
        db(),
        current_language(),
        "web",
        state().settings.default_country,
        scope=current_scope(),
    )


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def load(number: str) -> Household:
    try:
        return get_household(db(), current_scope(), number)
    except NotFound:
        abort(404)


@bp.route("/", methods=["GET", "POST"])
@permission_required(Permission.HOUSEHOLD_VIEW)
def search() -> str:
    # A search is POSTed: a name or phone never goes into a URL, a log line or the history.
    query = request.form.get("q", "")[:100] if request.method == "POST" else ""
    results = search_households(db(), current_scope(), query) if query.strip() else []
    pending = pending_verification(db(), current_scope(), limit=10)
    can_lodge = current_user.can(Permission.GRIEVANCE_LODGE)
    return render_template(
        "field/search.html",
        query=query,
        results=results,
        pending=pending,
        group=group,
        can_lodge=can_lodge,
    )


@bp.route("/register", methods=["GET", "POST"])
@permission_required(Permission.HOUSEHOLD_REGISTER)
def register() -> Any:
    return run(get_form("household_registration"), "register", url_for(".register"))


@bp.route("/households/<number>")
@permission_required(Permission.HOUSEHOLD_VIEW)
def view(number: str) -> str:
    try:
        household = view_household(db(), current_scope(), number, origin=current_origin())
    except NotFound:
        abort(404)
    db().commit()
    ctx = form_context()
    return render_template(
        "field/view.html",
        household=household,
        number=group(household.number, 3),
        area=wizard.area_label(ctx, household.area.code),
        pending=household.status == HouseholdStatus.PENDING_VERIFICATION,
        can_edit=current_user.can(Permission.HOUSEHOLD_EDIT),
        can_verify=current_user.can(Permission.HOUSEHOLD_VERIFY),
        relations=dict(RELATION_OPTIONS),
        consents=consent_history(db(), household),
        methods=dict(CONSENT_METHODS),
    )


@bp.route("/households/<number>/saved")
@permission_required(Permission.HOUSEHOLD_VIEW)
def saved(number: str) -> str:
    household = load(number)
    return render_template(
        "field/saved.html", household=household, number=group(household.number, 3)
    )


@bp.route("/households/<number>/edit", methods=["GET", "POST"])
@permission_required(Permission.HOUSEHOLD_EDIT)
def edit(number: str) -> Any:
    household = load(number)
    return run(
        get_form("household_registration"),
        "edit",
        url_for(".edit", number=household.number),
        household=household,
    )


@bp.route("/households/<number>/verify", methods=["GET", "POST"])
@permission_required(Permission.HOUSEHOLD_VERIFY)
def verify(number: str) -> Any:
    household = load(number)
    if household.status != HouseholdStatus.PENDING_VERIFICATION:
        return redirect(url_for(".view", number=household.number))
    return run(
        get_form("household_verification"),
        "verify",
        url_for(".verify", number=household.number),
        household=household,
    )


@bp.route("/households/<number>/consent", methods=["GET", "POST"])
@permission_required(Permission.HOUSEHOLD_EDIT)
def consent(number: str) -> Any:
    household = load(number)
    prefill = {"consent_date": date.today().isoformat()}
    return run(
        get_form("household_consent"),
        "consent",
        url_for(".consent", number=household.number),
        household=household,
        prefill=prefill,
    )


@bp.route("/csrf")
@permission_required(Permission.HOUSEHOLD_VIEW)
def fresh_csrf() -> Response:
    """A current CSRF token for submissions replayed from the phone's queue."""
    from flask_wtf.csrf import generate_csrf

    return jsonify(csrf_token=generate_csrf())


@bp.route("/sw.js")
def service_worker() -> Response:
    """Served under /field/ so that it may control the field pages (and only them)."""
    response = Response(SERVICE_WORKER.read_text(encoding="utf-8"), mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


# --- the wizard ------------------------------------------------------------------------


def run(
    form: Form,
    mode: str,
    action: str,
    *,
    household: Household | None = None,
    prefill: dict[str, Any] | None = None,
    saver: Saver | None = None,
) -> Any:
    """Walks `form` screen by screen; `saver(clean, key)` saves forms of other desks (a case
    assessment), so they get the same screens, summary and offline queue."""
    ctx = form_context()
    screens = wizard.screens(form, ctx)
    page = Page(form, ctx, screens, mode, action, household, saver)
    if request.method == "GET":
        known = from_household(household) if household is not None else {}
        consent_given = latest_consent(db(), household) if household is not None else None
        if consent_given is not None and mode in ("edit", "verify"):
            known.update(consent=consent_given.given, consent_method=consent_given.method)
        defaults = wizard.defaults(form, ctx)
        data = wizard.raw_from_clean(form, {**defaults, **known, **(prefill or {})})
        version = household.version if household is not None else None
        return page.screen(data, 0, {}, new_key(), version)
    data = wizard.posted_data(form, request.form)
    key = request.form.get("submission_key", "")[:64] or new_key()
    version = _int(request.form.get("version"))
    index = min(max(_int(request.form.get("step")) or 0, 0), len(screens) - 1)
    go = request.form.get("go", "next")
    if go == "back":
        return page.screen(data, max(index - 1, 0), {}, key, version)
    if go.startswith("jump:"):
        return page.screen(data, _int(go.removeprefix("jump:")) or 0, {}, key, version)
    if go == "next":
        result = wizard.check_screen(form, ctx, data, screens[index])
        if result.errors:
            return page.screen(data, index, result.errors, key, version)
        if index + 1 < len(screens):
            return page.screen(data, index + 1, {}, key, version)
    result = validate_page(form, ctx, data)
    if result.clean is None:
        if wants_json():
            return jsonify(status="invalid", errors=result.errors), 422
        return page.first_error(data, result.errors, key, version)
    if go != "save" and mode != "consent":
        return page.summary(data, result.clean, key, version)
    return page.save(data, result.clean, key, version)


Saver = Callable[[dict[str, Any], str], Any]


def new_key() -> str:
    return secrets.token_urlsafe(18)


def _int(value: str | None) -> int | None:
    return int(value) if value is not None and value.strip().isdigit() else None


class Page:
    """Renders one screen, the summary, the conflict page; saves through the registry."""

    def __init__(
        self,
        form: Form,
        ctx: FormContext,
        screens: list[wizard.Screen],
        mode: str,
        action: str,
        household: Household | None,
        saver: Saver | None = None,
    ) -> None:
        self.form, self.ctx, self.screens = form, ctx, screens
        self.mode, self.action, self.household = mode, action, household
        self.saver = saver

    def common(self, data: dict[str, Any], key: str, version: int | None) -> dict[str, Any]:
        return {
            "form": self.form,
            "ctx": self.ctx,
            "screens": self.screens,
            "mode": self.mode,
            "action": self.action,
            "household": self.household,
            "data": data,
            "key": key,
            "version": version,
            "counts": wizard.member_count(self.form, data),
            "wizard": wizard,
        }

    def screen(
        self, data: dict[str, Any], index: int, errors: dict[str, str], key: str, v: int | None
    ) -> tuple[str, int]:
        index = min(max(index, 0), len(self.screens) - 1)
        status = 422 if errors else 200
        return render_template(
            "field/wizard.html",
            index=index,
            errors=errors,
            fresh=request.method == "GET" and self.mode == "register",
            areas=wizard.area_groups(self.ctx),
            **self.common(data, key, v),
        ), status

    def first_error(
        self, data: dict[str, Any], errors: dict[str, str], key: str, v: int | None
    ) -> tuple[str, int]:
        groups = {self.form_group(name) for name in errors}
        index = next((i for i, s in enumerate(self.screens) if s.name in groups), 0)
        return self.screen(data, index, errors, key, v)

    def form_group(self, error_key: str) -> str:
        item = self.form.item(error_key.split(".")[0])
        return item.group

    def summary(
        self,
        data: dict[str, Any],
        clean: dict[str, Any],
        key: str,
        v: int | None,
        duplicates: list[Candidate] | None = None,
    ) -> tuple[str, int]:
        return render_template(
            "field/summary.html",
            clean=clean,
            duplicates=candidate_views(db(), current_scope(), duplicates or []),
            group=group,
            **self.common(data, key, v),
        ), (409 if duplicates else 200)

    def save(self, data: dict[str, Any], clean: dict[str, Any], key: str, v: int | None) -> Any:
        """Saves; retried once when another request wrote since this one read (SQLite WAL
        snapshot, or a lost race on the version column): the retry sees that write, and so
        shows the "changed since you opened it" page instead of an error."""
        try:
            return self.save_once(data, clean, key, v)
        except StaleDataError:
            db().rollback()  # another save won the race on the version: the retry shows it
        except OperationalError as exc:
            db().rollback()
            if "locked" not in str(exc.orig) and "busy" not in str(exc.orig):
                raise
        return self.save_once(data, clean, key, v)

    def save_once(
        self, data: dict[str, Any], clean: dict[str, Any], key: str, v: int | None
    ) -> Any:
        try:
            if self.saver is not None:
                return self.saver(clean, key)
            if self.mode == "register":
                return self.save_new(data, clean, key, v)
            if self.mode == "grievance":
                from webapp.field import grievances

                return grievances.save(clean)
            return self.save_existing(data, clean, key, v)
        except StaleEdit as stale:
            db().rollback()
            return self.conflict(data, clean, key, stale.current)
        except Conflict as refused:
            db().rollback()
            if wants_json():
                return jsonify(status="refused", message=_(refused.msgid)), 409
            return render_template(
                "errors/error.html", status=409, title=_("Not saved"), message=_(refused.msgid)
            ), 409
        except DomainError as refused:
            db().rollback()
            errors = {getattr(refused, "field", None) or "area": _(refused.msgid, **refused.params)}
            if wants_json():
                return jsonify(status="invalid", errors=errors), 422
            return self.first_error(data, errors, key, v)

    def save_new(self, data: dict[str, Any], clean: dict[str, Any], key: str, v: int | None) -> Any:
        """Every registration goes through the duplicate check. Online, the worker sees likely
        matches first and saves only after saying it is another household (the pairs still go
        to review); an offline replay cannot ask, so a match is saved as held for review."""
        household_data = to_household_data(clean)
        if request.form.get("offline") == "1":
            policy = OnDuplicate.HOLD
        elif request.form.get("confirm_duplicates"):
            policy = OnDuplicate.RECORD
        else:
            policy = OnDuplicate.ASK
        try:
            household, created = register_household_once(
                db(),
                key,
                household_data,
                origin=current_origin(Channel.FIELD),
                on_duplicate=policy,
            )
        except PossibleDuplicates as found:
            db().rollback()
            if wants_json():
                shown = candidate_views(db(), current_scope(), found.candidates)
                return jsonify(
                    status="duplicates",
                    duplicates=[c.number for c in shown if c.number],
                    candidates=[c.as_json() for c in shown],
                ), 409
            return self.summary(data, clean, key, v, found.candidates)
        db().commit()
        url = url_for(".saved", number=household.number)
        if wants_json():
            return jsonify(
                status="saved",
                number=household.number,
                created=created,
                url=url,
                held=household.status == HouseholdStatus.HELD,
                duplicates=possible_duplicate_numbers(db(), current_scope(), household),
            )
        return redirect(url, code=303)

    def save_existing(
        self, data: dict[str, Any], clean: dict[str, Any], key: str, v: int | None
    ) -> Any:
        assert self.household is not None
        origin = current_origin(Channel.FIELD)
        number = self.household.number
        scope = current_scope()
        if self.mode == "consent":
            record_consent(
                db(),
                scope,
                number,
                given=bool(clean["consent"]),
                method=clean.get("consent_method") or "spoken",
                on=date.fromisoformat(clean["consent_date"]),
                origin=origin,
            )
        elif self.mode == "verify":
            if not clean.get("checked_in_person"):
                message = _("Verify only after meeting the household.")
                return self.first_error(data, {"checked_in_person": message}, key, v)
            verify_household(db(), scope, number, to_household_data(clean), v or 0, origin=origin)
        else:
            update_household(db(), scope, number, to_household_data(clean), v or 0, origin=origin)
            self.record_changed_consent(clean, origin)
        db().commit()
        if wants_json():
            return jsonify(status="saved", number=number, url=url_for(".view", number=number))
        return redirect(url_for(".view", number=number), code=303)

    def record_changed_consent(self, clean: dict[str, Any], origin: Any) -> None:
        """An edit that changes the consent answer records it as a new consent, dated today."""
        assert self.household is not None
        given, method = bool(clean.get("consent")), clean.get("consent_method") or "spoken"
        saved = latest_consent(db(), self.household)
        if saved is not None and (saved.given, saved.method) == (given, method):
            return
        record_consent(
            db(),
            current_scope(),
            self.household.number,
            given=given,
            method=method,
            on=date.today(),
            origin=origin,
        )

    def conflict(
        self, data: dict[str, Any], clean: dict[str, Any], key: str, current: Household
    ) -> Any:
        if wants_json():
            return jsonify(status="conflict", url=url_for(".view", number=current.number)), 409
        theirs = from_household(current)
        saved_consent = latest_consent(db(), current)
        if saved_consent is not None:
            theirs.update(consent=saved_consent.given, consent_method=saved_consent.method)
        rows = conflict_rows(self.form, self.ctx, clean, theirs)
        return render_template(
            "field/conflict.html",
            rows=rows,
            current=current,
            **self.common(data, key, current.version),
        ), 409


def conflict_rows(
    form: Form, ctx: FormContext, mine: dict[str, Any], theirs: dict[str, Any]
) -> list[tuple[str, str, str, bool]]:
    """(label, my answer, saved answer, differs) for every question of both versions."""
    from forms.fields import RepeatGroup

    rows: list[tuple[str, str, str, bool]] = []
    for item in form.items:
        if isinstance(item, RepeatGroup):
            mine_items, their_items = mine.get(item.name) or [], theirs.get(item.name) or []
            for index in range(max(len(mine_items), len(their_items))):
                a = mine_items[index] if index < len(mine_items) else {}
                b = their_items[index] if index < len(their_items) else {}
                prefix = translate(ctx.language, item.item_label, n=index + 1)
                for sub in item.fields:
                    left = sub.display(a.get(sub.name), ctx)
                    right = sub.display(b.get(sub.name), ctx)
                    label = f"{prefix}: {translate(ctx.language, sub.label)}"
                    rows.append((label, left, right, left != right))
        elif ctx.channel in item.channels:
            left, right = (
                item.display(mine.get(item.name), ctx),
                item.display(theirs.get(item.name), ctx),
            )
            rows.append((translate(ctx.language, item.label), left, right, left != right))
    return rows
