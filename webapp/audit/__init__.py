"""The auditor desk: a read-only view of the audit log with filters and the verify result."""

from __future__ import annotations

from flask import Flask, url_for
from flask_babel import gettext as _

from registry.audit.jobs import VERIFY_AUDIT
from registry.i18n import N_
from registry.jobs.models import Job
from registry.users.roles import Permission
from webapp.audit.views import bp, well_known
from webapp.home.tiles import Tile, register_tile
from webapp.jobs import register_result_link


def _verdict(job: Job) -> tuple[str, str]:
    return _("See the verdict on the audit page"), url_for("audit.index", verification=job.id)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(well_known)
    register_result_link(app, VERIFY_AUDIT, _verdict)
    register_tile(
        app,
        Tile(
            endpoint="audit.index",
            label=N_("Audit log"),
            hint=N_("Who did what, and proof that nothing was changed"),
            icon="shield",
            permission=Permission.AUDIT_VIEW,
            order=80,
        ),
    )
