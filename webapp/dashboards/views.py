"""The dashboard desk: indicators of an area and its children, by section, program and month.

Pages read snapshots only (`registry.indicators.read`); the figures are counted by the
refresh job. CSV downloads leave the desk, so their small cells are suppressed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from registry.areas.models import Area
from registry.db import utcnow
from registry.errors import InvalidInput, NotFound
from registry.i18n import translate
from registry.indicators.definitions import (
    BY_CODE,
    SECTION_LABELS,
    Scope,
    Section,
    indicators_of,
)
from registry.indicators.jobs import MONTHLY, REFRESH
from registry.indicators.labels import Labeller
from registry.indicators.periods import Period
from registry.indicators.read import (
    Board,
    area_for,
    latest_period,
    program_code,
    read_board,
    refreshed_periods,
)
from registry.indicators.tables import build_table
from registry.programs.models import Program
from registry.scope import in_scope
from registry.users.roles import Permission
from webapp.auth.access import current_scope, permission_required
from webapp.dashboards.panels import build_panel
from webapp.database import db
from webapp.i18n import current_language
from webapp.jobs import start_job

bp = Blueprint("dashboards", __name__, url_prefix="/dashboards")


@dataclass(frozen=True)
class Filters:
    area: Area
    program: str
    period: Period


def _filters() -> Filters:
    """The area, program and month asked for; an area outside the caller's is absent (404)."""
    session, scope = db(), current_scope()
    try:
        area = area_for(session, scope, request.args.get("area"))
        program = program_code(session, request.args.get("program"))
    except NotFound:
        abort(404)
    period = latest_period(session) or Period.of(utcnow())
    if request.args.get("period"):
        try:
            period = Period.parse(request.args["period"])
        except InvalidInput as exc:
            flash(translate(current_language(), exc.msgid), "error")
    return Filters(area, program, period)


def _trail(area: Area) -> list[Area]:
    """The areas above this one that the caller may open, for the breadcrumb."""
    codes = area.path.split("/")[:-2]
    if not codes:
        return []
    stmt = in_scope(select(Area).where(Area.code.in_(codes)), current_scope(), Area.id)
    return list(db().scalars(stmt.order_by(Area.level)))


@bp.route("/")
@permission_required(Permission.DASHBOARD_VIEW)
def index() -> str:
    filters = _filters()
    try:
        section = Section(request.args.get("section") or Section.REGISTRATION)
    except ValueError:
        section = Section.REGISTRATION
    indicators = indicators_of(section)
    board = read_board(
        db(),
        current_scope(),
        area=filters.area,
        period=filters.period,
        program=filters.program,
        indicators=[i.code for i in indicators],
    )
    language = current_language()
    labeller = Labeller(db(), language)
    programs = list(db().scalars(select(Program).order_by(Program.code)))
    currency = next((p.currency for p in programs if p.code == filters.program), "")
    national_only = filters.area.level != 0
    panels = [
        build_panel(board, i, labeller, currency=currency, drill=bool(board.children))
        for i in indicators
        if not (i.scope == Scope.NATIONAL and national_only)
        and not (i.per_program and i.unit.value == "money" and not filters.program)
    ]
    return render_template(
        "dashboards/index.html",
        board=board,
        filters=filters,
        section=section,
        sections=SECTION_LABELS,
        panels=panels,
        programs=programs,
        periods=_period_choices(filters.period),
        trail=_trail(filters.area),
        national_hidden=any(i.scope == Scope.NATIONAL for i in indicators) and national_only,
        money_needs_program=section == Section.MONEY and not filters.program,
        permission_manage=Permission.PROGRAM_MANAGE,
    )


def _period_choices(current: Period) -> list[str]:
    choices = set(refreshed_periods(db())) | {str(current)}
    return sorted(choices, reverse=True)


@bp.route("/<code>.csv")
@permission_required(Permission.DASHBOARD_VIEW)
def table_csv(code: str) -> Response:
    indicator = BY_CODE.get(code)
    if indicator is None:
        abort(404)
    filters = _filters()
    board = read_board(
        db(),
        current_scope(),
        area=filters.area,
        period=filters.period,
        program=filters.program,
        indicators=[code],
    )
    return csv_response(board, code, current_language())


def csv_response(board: Board, code: str, language: str) -> Response:
    """The indicator's table with small cells suppressed (empty); a header says what it is."""
    table = build_table(board, code, suppress=True)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["indicator", "period", "program", "area_code", "area", *table.columns])
    for row in table.rows:
        writer.writerow(
            [
                code,
                str(board.period),
                board.program,
                row.area.code,
                row.area.name_in(language),
                *("" if v is None else _plain(v) for v in row.cells),
            ]
        )
    name = f"{code}-{board.area.code}-{board.period}{'-' + board.program if board.program else ''}"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _plain(value: object) -> str:
    text = str(value)
    return text[:-3] if text.endswith(".00") else text


@bp.post("/refresh")
@permission_required(Permission.PROGRAM_MANAGE)
def refresh() -> Response:
    """Counts the month again, as a job (minutes at national size); its page shows progress."""
    try:
        period = Period.parse(request.form.get("period", ""))
    except InvalidInput as exc:
        flash(translate(current_language(), exc.msgid), "error")
        return redirect(url_for("dashboards.index"))
    return start_job(REFRESH, {"period": str(period)})


@bp.post("/report")
@permission_required(Permission.DASHBOARD_VIEW)
def report() -> Response:
    """The monthly report PDF of an area (within the caller's) and program, made by a job."""
    session, scope = db(), current_scope()
    try:
        period = Period.parse(request.form.get("period", ""))
        area = area_for(session, scope, request.form.get("area"))
        program = program_code(session, request.form.get("program"))
    except InvalidInput as exc:
        flash(translate(current_language(), exc.msgid), "error")
        return redirect(url_for("dashboards.index"))
    except NotFound:
        abort(404)
    language = current_language()
    params = {"period": str(period), "area": area.code, "program": program, "language": language}
    return start_job(MONTHLY, params)
