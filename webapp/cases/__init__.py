"""The case desk: caseloads, the case page with its work, intake, registers, case types."""

from __future__ import annotations

from flask import Flask

from registry.i18n import N_
from registry.users.roles import Permission
from webapp.home.tiles import Tile, register_tile


def init_app(app: Flask) -> None:
    from registry.cases import timeline, types
    from webapp.cases import admin, intake, places, views
    from webapp.database import db

    app.register_blueprint(views.bp)
    app.register_blueprint(intake.bp)
    app.register_blueprint(places.bp)
    app.register_blueprint(admin.bp)
    app.add_template_global(views.case_labels, "case_labels")
    app.jinja_env.globals.update(
        case_event_labels=timeline.EVENT_LABELS,
        referral_labels=timeline.REFERRAL_LABELS,
        plan_labels=timeline.PLAN_LABELS,
        source_labels=timeline.SOURCE_LABELS,
        risk_words=timeline.RISK_WORDS,
        case_types_for_intake=lambda: types.list_case_types(db()),
    )
    tiles = (
        Tile(
            "cases.index",
            N_("Cases"),
            N_("My cases, what is due first"),
            "folder",
            Permission.CASE_READ,
            order=25,
        ),
        Tile(
            "cases.team",
            N_("Team caseload"),
            N_("Overdue work, risk levels, unassigned cases"),
            "person",
            Permission.CASE_SUPERVISE,
            order=26,
        ),
        Tile(
            "places.index",
            N_("Attendance registers"),
            N_("Centres and workshops: who came today"),
            "check",
            Permission.ATTENDANCE_TAKE,
            order=27,
        ),
        Tile(
            "case_types.index",
            N_("Case types"),
            N_("Stages, assessment, risk levels, services"),
            "rules",
            Permission.USER_MANAGE,
            order=81,
        ),
        Tile(
            "case_types.figures",
            N_("Case figures"),
            N_("Open and closed cases by type, no names"),
            "chart",
            Permission.DASHBOARD_VIEW,
            order=60,
        ),
    )
    for tile in tiles:
        register_tile(app, tile)
