"""The long work of the desk: generating, exporting, paying, reconciling a cycle."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import send_file
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from registry.areas.models import Area
from registry.errors import NotFound
from registry.i18n import N_
from registry.payments.cycles import generate_entitlements, open_cycle
from registry.payments.export import export_cycle
from registry.payments.mobile_money import PayResult, client_from_settings, pay_cycle
from registry.payments.models import PaymentCycle
from registry.payments.reconcile import ReconciliationReport
from registry.payments.reconcile import reconcile as reconcile_file
from registry.programs.service import get_program
from webapp.auth.access import current_origin, current_scope
from webapp.database import db
from webapp.state import state


def _commit(_done: int, _total: int) -> None:
    db().commit()


def open_and_generate(
    program_code: str, period: str, area_code: str | None, funding_source: str | None
) -> PaymentCycle:
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
    generate_entitlements(session, cycle, origin=current_origin(), progress=_commit)
    session.commit()
    return cycle


def export(cycle: PaymentCycle, fmt: str) -> Response:
    folder = Path(tempfile.mkdtemp(prefix="kinga-export-"))
    name = f"payments-{cycle.program.code}-{cycle.period}-{cycle.id}.{fmt}"
    result = export_cycle(
        db(),
        cycle,
        fmt,
        folder / name,
        permissions=current_user.permissions,
        origin=current_origin(),
    )
    db().commit()
    response = send_file(result.path, as_attachment=True, download_name=name)
    response.headers["X-Kinga-SHA256"] = result.sha256
    return response


def pay(cycle: PaymentCycle) -> PayResult:
    client, product = client_from_settings(state().settings)
    result = pay_cycle(db(), cycle, client, product, origin=current_origin(), checkpoint=_commit)
    db().commit()
    return result


def reconcile(cycle: PaymentCycle, data: bytes, filename: str) -> ReconciliationReport:
    report = reconcile_file(db(), cycle, data, filename=filename, origin=current_origin())
    db().commit()
    return report
