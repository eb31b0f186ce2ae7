"""Lodging a grievance from the field web, on the shared `grievance` form.

The grievance desk (`registry.grievances`) owns categories, numbering, SLA and the SMS
receipt; this page only asks and shows.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, render_template, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from forms.catalog import get_form
from registry.grievances.service import GrievanceData, lodge_grievance
from registry.numbers import group
from registry.origin import Channel
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language

bp = Blueprint("field_grievance", __name__, url_prefix="/field")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


@bp.route("/grievance", methods=["GET", "POST"])
@permission_required(Permission.GRIEVANCE_LODGE)
def lodge() -> Any:
    from webapp.field.views import run

    return run(get_form("grievance"), "grievance", url_for(".lodge"))


def save(clean: dict[str, Any]) -> Response | str:
    """Called by the wizard with the clean answers; the door commits."""
    data = GrievanceData.from_answers(clean, language=current_language())
    grievance = lodge_grievance(
        db(), data, origin=current_origin(Channel.FIELD), scope=current_scope()
    )
    db().commit()
    return render_template(
        "field/lodged.html", number=group(grievance.number, 3), title=_("Problem reported")
    )
