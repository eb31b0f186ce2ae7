from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user, login_required

from registry.households.models import HouseholdStatus
from registry.households.service import count_households
from registry.users.roles import ROLE_LABELS, Permission, Role
from webapp.auth.access import current_scope
from webapp.database import db
from webapp.home.tiles import tiles_for

bp = Blueprint("home", __name__)


@bp.route("/")
@login_required
def index() -> str:
    scope = current_scope()
    user = current_user.user
    counts = None
    if current_user.can(Permission.HOUSEHOLD_VIEW):
        counts = {
            "households": count_households(db(), scope),
            "pending": count_households(db(), scope, HouseholdStatus.PENDING_VERIFICATION),
        }
    roles = [ROLE_LABELS[Role(r)] for r in sorted(user.roles) if r in Role.__members__.values()]
    return render_template(
        "home/index.html",
        user=user,
        role_labels=roles,
        areas=user.areas,
        counts=counts,
        tiles=tiles_for(current_app, current_user.permissions),
    )
