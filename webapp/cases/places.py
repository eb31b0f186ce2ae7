"""Attendance registers of service places, on the phone: a few taps, and offline."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from registry.cases import attendance
from registry.errors import DomainError, NotFound
from registry.origin import Channel
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.inbox.views import error_message

bp = Blueprint("places", __name__, url_prefix="/cases/places")


def _place(code: str):  # type: ignore[no-untyped-def]
    try:
        return attendance.get_place(db(), current_scope(), code[:40])
    except NotFound:
        abort(404)


@bp.route("/")
@permission_required(Permission.ATTENDANCE_TAKE)
def index() -> str:
    session, today = db(), date.today()
    places = [
        attendance.place_status(session, p, today)
        for p in attendance.places_in(session, current_scope())
    ]
    return render_template("cases/places.html", places=places)


@bp.route("/<code>", methods=["GET", "POST"])
@permission_required(Permission.ATTENDANCE_TAKE)
def register(code: str) -> Any:
    """Today's register: everyone enrolled, tick who came. Sent later when there is no signal."""
    session = db()
    place = _place(code)
    if request.method == "POST":
        try:
            day = date.fromisoformat(request.form.get("day", "")[:10])
        except ValueError:
            day = date(1900, 1, 1)
        present = {int(v) for v in request.form.getlist("present") if v.isdigit() and len(v) < 10}
        try:
            _count, created = attendance.record_attendance(
                session,
                current_scope(),
                place.code,
                day,
                present,
                request.form.get("submission_key", "")[:64],
                origin=current_origin(Channel.FIELD),
            )
            session.commit()
        except DomainError as exc:
            session.rollback()
            if request.accept_mimetypes.best == "application/json":
                return jsonify(status="invalid", errors={"register": error_message(exc)}), 422
            flash(error_message(exc), "error")
            return redirect(url_for(".register", code=place.code), code=303)
        url = url_for(".register", code=place.code)
        if request.accept_mimetypes.best == "application/json":
            return jsonify(status="saved", number=place.code, created=created, url=url)
        flash(_("Attendance saved."), "success")
        return redirect(url, code=303)
    today = date.today()
    return render_template(
        "cases/register.html",
        place=place,
        people=attendance.enrolled(place, today),
        marks=attendance.marks_of(session, place, today),
        today=today,
        key=secrets.token_urlsafe(18),
        status=attendance.place_status(session, place, today),
    )


@bp.post("/<code>/enroll")
@permission_required(Permission.ATTENDANCE_TAKE)
def enroll(code: str) -> Response:
    session = db()
    place = _place(code)
    number = request.form.get("household", "")[:20]
    member = request.form.get("member", "")
    try:
        attendance.enroll(
            session,
            current_scope(),
            place.code,
            number,
            member_position=int(member) if member.isdigit() and len(member) < 3 else 0,
            origin=current_origin(),
        )
        session.commit()
        flash(_("Enrolled."), "success")
    except NotFound:
        session.rollback()
        flash(_("No household with this number."), "error")
    except DomainError as exc:
        session.rollback()
        flash(error_message(exc), "error")
    return redirect(url_for(".register", code=place.code), code=303)
