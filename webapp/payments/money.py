"""The money picture on the desk: a table by area and funder, its CSV, and an SVG chart."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, abort, render_template, request
from sqlalchemy import select

from registry.areas.models import Area
from registry.errors import DomainError, NotFound
from registry.payments.cycles import parse_period
from registry.payments.picture import CSV_COLUMNS, MoneyPicture, money_picture, picture_rows
from registry.programs.service import get_program, list_programs
from registry.users.roles import Permission
from webapp.auth.access import current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language
from webapp.payments.chart import draw
from webapp.payments.views import bp


def _picture() -> MoneyPicture | None:
    programs = list_programs(db())
    code = request.args.get("program") or (programs[0].code if programs else "")
    if not code:
        return None
    try:
        program = get_program(db(), code)
        period = request.args.get("period") or None
        if period:
            period = parse_period(period)
        year = int(period[:4]) if period else int(request.args.get("year") or date.today().year)
    except (NotFound, DomainError, ValueError):
        abort(404)
    parent = None
    area_code = request.args.get("area")
    if area_code:
        parent = db().scalar(select(Area).where(Area.code == area_code))
        if parent is None or parent.level >= 2 or not current_scope().covers(parent):
            abort(404)
    return money_picture(
        db(), program, year=year, scope=current_scope(), period=period, parent=parent
    )


@bp.route("/money")
@permission_required(Permission.PAYMENT_VIEW)
def money() -> str:
    picture = _picture()
    return render_template(
        "payments/money.html",
        picture=picture,
        programs=list_programs(db()),
        chart=draw(picture, current_language()) if picture else None,
    )


@bp.route("/money.csv")
@permission_required(Permission.PAYMENT_VIEW)
def money_csv() -> Response:
    picture = _picture()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    if picture:
        writer.writerows(picture_rows(picture))
    name = f"money-{picture.program.code if picture else 'none'}.csv"
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )
