"""The long work of the desk runs as jobs: generating, exporting, paying, reconciling a cycle.

Each view submits the job and sends the browser to its progress page (`/jobs/<id>`).
"""

from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from registry.areas.models import Area
from registry.errors import NotFound
from registry.i18n import N_
from registry.payments.cycles import open_cycle
from registry.payments.export import sees_full_phones
from registry.payments.jobs import EXPORT, GENERATE, PAY, RECONCILE
from registry.payments.models import PaymentCycle
from registry.payments.uploads import store_upload
from registry.programs.service import get_program
from webapp.auth.access import current_origin, current_scope
from webapp.database import db
from webapp.jobs import start_job


def open_and_generate(
    program_code: str, period: str, area_code: str | None, funding_source: str | None
) -> Response:
    session = db()
    area = None
    if area_code:
        area = session.scalar(select(Area).where(Area.code == area_code))
        if area is None or not current_scope().covers(area):
            raise NotFound(N_("No area with this code."))
    cycle = open_cycle(
        session,
        get_program(session, program_code),
        period,
        area=area,
        funding_source=funding_source,
        origin=current_origin(),
    )
    session.commit()
    return start_job(GENERATE, {"cycle_id": cycle.id})


def export(cycle: PaymentCycle, fmt: str) -> Response:
    masked = not sees_full_phones(current_user.permissions)
    return start_job(EXPORT, {"cycle_id": cycle.id, "format": fmt, "masked": masked})


def pay(cycle: PaymentCycle) -> Response:
    return start_job(PAY, {"cycle_id": cycle.id})


def reconcile(cycle: PaymentCycle, data: bytes, filename: str) -> Response:
    path = store_upload(data)
    return start_job(
        RECONCILE, {"cycle_id": cycle.id, "file": str(path), "filename": filename[:200]}
    )
