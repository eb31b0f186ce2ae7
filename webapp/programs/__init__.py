"""The program managers' desk: programs, rule versions, simulation, enrollment and overrides."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import gettext as _

from registry.i18n import N_
from registry.jobs.models import Job
from registry.programs.jobs import APPLY, SIMULATE
from registry.users.roles import Permission
from webapp.home import Tile, register_tile
from webapp.jobs import register_result_link
from webapp.programs.views import bp


def _simulation_report(job: Job) -> tuple[str, str]:
    url = url_for(
        "programs.simulation",
        code=job.params["program"],
        version=job.params["version"],
        area=job.params.get("area") or None,
    )
    return _("Open the simulation report"), url


def _program_page(job: Job) -> tuple[str, str]:
    return _("Back to the program"), url_for("programs.show", code=job.params["program"])


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    register_result_link(app, SIMULATE, _simulation_report)
    register_result_link(app, APPLY, _program_page)
    register_tile(
        app,
        Tile(
            endpoint="programs.index",
            label=N_("Programs"),
            hint=N_("Rules, simulation and enrollment"),
            icon="rules",
            permission=Permission.PROGRAM_VIEW,
            order=40,
        ),
    )


__all__ = ["bp", "init_app"]
