"""Payment cycles on the web: list, open, the cycle page, approve, export, pay, reconcile, close."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from registry.areas.models import Area
from registry.errors import DomainError, NotFound
from registry.i18n import translate
from registry.payments.approval import approve_cycle, budget_pots, close_cycle
from registry.payments.cycles import get_cycle, list_cycles
from registry.payments.models import (
    CYCLE_STATUS_LABELS,
    ENTITLEMENT_STATUS_LABELS,
    Entitlement,
    EntitlementAdjustment,
    PaymentCycle,
    PaymentEvent,
    ReconciliationImport,
)
from registry.privacy.masking import initials, mask_phone, sees_names
from registry.programs.service import list_programs
from registry.scope import in_scope
from registry.users.roles import Permission
from webapp.auth.access import current_origin, current_scope, permission_required
from webapp.database import db
from webapp.i18n import current_language
from webapp.payments import work

bp = Blueprint("payments", __name__, url_prefix="/payments", template_folder="templates")
LISTED = 200


@bp.app_context_processor
def labels() -> dict[str, object]:
    return {
        "cycle_status_labels": CYCLE_STATUS_LABELS,
        "entitlement_status_labels": ENTITLEMENT_STATUS_LABELS,
    }


def refuse(exc: DomainError) -> None:
    db().rollback()
    flash(translate(current_language(), exc.msgid, **exc.params), "error")


def cycle_or_404(cycle_id: int) -> PaymentCycle:
    try:
        return get_cycle(db(), cycle_id, current_scope())
    except NotFound:
        abort(404)


@bp.route("/")
@permission_required(Permission.PAYMENT_VIEW)
def index() -> str:
    areas = list(db().scalars(select(Area).where(Area.level <= 2).order_by(Area.path)))
    return render_template(
        "payments/index.html",
        cycles=list_cycles(db(), current_scope()),
        programs=[p for p in list_programs(db()) if p.status == "active"],
        areas=[a for a in areas if current_scope().covers(a)],
        can_prepare=current_user.can(Permission.PAYMENT_PREPARE),
    )


@bp.post("/open")
@permission_required(Permission.PAYMENT_PREPARE)
def open_() -> Response:
    try:
        cycle = work.open_and_generate(
            request.form.get("program", ""),
            request.form.get("period", ""),
            request.form.get("area") or None,
            request.form.get("funding_source") or None,
        )
    except NotFound:
        abort(404)
    except DomainError as exc:
        refuse(exc)
        return redirect(url_for("payments.index"))
    flash(_("Cycle %(id)s opened: %(count)s households.", id=cycle.id, count=cycle.households))
    return redirect(url_for("payments.cycle", cycle_id=cycle.id))


@bp.route("/cycles/<int:cycle_id>")
@permission_required(Permission.PAYMENT_VIEW)
def cycle(cycle_id: int) -> str:
    found = cycle_or_404(cycle_id)
    scope = current_scope()
    counts = db().execute(
        in_scope(
            select(Entitlement.status, func.count(), func.sum(Entitlement.paid_amount)),
            scope,
            Entitlement.area_id,
        )
        .where(Entitlement.cycle_id == found.id)
        .group_by(Entitlement.status)
    )
    entitlements = list(
        db().scalars(
            in_scope(select(Entitlement), scope, Entitlement.area_id)
            .where(Entitlement.cycle_id == found.id)
            .order_by(Entitlement.id)
            .limit(LISTED)
        )
    )
    imports = list(
        db().scalars(
            select(ReconciliationImport)
            .where(ReconciliationImport.cycle_id == found.id)
            .order_by(ReconciliationImport.id.desc())
        )
    )
    pii = current_user.can(Permission.PII_FULL)
    return render_template(
        "payments/cycle.html",
        cycle=found,
        counts=[(status, count, paid) for status, count, paid in counts],
        entitlements=entitlements,
        phone=(lambda p: p or "") if pii else mask_phone,
        name=(lambda n: n) if sees_names(current_user.permissions) else initials,
        pots=budget_pots(db(), found),
        imports=imports,
        listed=LISTED,
        can_approve=current_user.can(Permission.PAYMENT_APPROVE)
        and found.prepared_by_id != current_user.user.id,
        can_prepare=current_user.can(Permission.PAYMENT_PREPARE),
    )


@bp.post("/cycles/<int:cycle_id>/approve")
@permission_required(Permission.PAYMENT_APPROVE)
def approve(cycle_id: int) -> Response:
    found = cycle_or_404(cycle_id)
    user = current_user.user
    try:
        approve_cycle(
            db(),
            found,
            approver_id=user.id,
            roles=user.roles,
            scope=current_scope(),
            origin=current_origin(),
            override_reason=request.form.get("reason"),
        )
    except DomainError as exc:
        refuse(exc)
    else:
        db().commit()
        flash(_("Cycle approved."), "success")
    return redirect(url_for("payments.cycle", cycle_id=cycle_id))


@bp.post("/cycles/<int:cycle_id>/close")
@permission_required(Permission.PAYMENT_APPROVE)
def close(cycle_id: int) -> Response:
    found = cycle_or_404(cycle_id)
    try:
        close_cycle(db(), found, origin=current_origin())
    except DomainError as exc:
        refuse(exc)
    else:
        db().commit()
        flash(_("Cycle closed."), "success")
    return redirect(url_for("payments.cycle", cycle_id=cycle_id))


@bp.post("/cycles/<int:cycle_id>/export")
@permission_required(Permission.EXPORT)
def export(cycle_id: int) -> Response:
    found = cycle_or_404(cycle_id)
    try:
        return work.export(found, request.form.get("format", "csv"))
    except DomainError as exc:
        refuse(exc)
        return redirect(url_for("payments.cycle", cycle_id=cycle_id))


@bp.post("/cycles/<int:cycle_id>/pay")
@permission_required(Permission.PAYMENT_APPROVE)
def pay(cycle_id: int) -> Response:
    found = cycle_or_404(cycle_id)
    try:
        result = work.pay(found)
    except DomainError as exc:
        refuse(exc)
    else:
        flash(
            _(
                "%(accepted)s payments accepted, %(refused)s refused, %(unanswered)s batches "
                "without an answer (sent again next time).",
                accepted=result.accepted,
                refused=result.refused,
                unanswered=result.unanswered,
            ),
            "error" if result.unanswered else "success",
        )
    return redirect(url_for("payments.cycle", cycle_id=cycle_id))


@bp.post("/cycles/<int:cycle_id>/reconcile")
@permission_required(Permission.PAYMENT_PREPARE)
def reconcile(cycle_id: int) -> Response | str:
    found = cycle_or_404(cycle_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Choose the provider's results file."), "error")
        return redirect(url_for("payments.cycle", cycle_id=cycle_id))
    try:
        report = work.reconcile(found, upload.read(), upload.filename)
    except DomainError as exc:
        refuse(exc)
        return redirect(url_for("payments.cycle", cycle_id=cycle_id))
    return render_template("payments/report.html", cycle=found, report=report)


@bp.route("/entitlements/<reference>")
@permission_required(Permission.PAYMENT_VIEW)
def entitlement(reference: str) -> str:
    found = db().scalar(
        in_scope(select(Entitlement), current_scope(), Entitlement.area_id).where(
            Entitlement.reference == reference
        )
    )
    if found is None:
        abort(404)
    pii = current_user.can(Permission.PII_FULL)
    return render_template(
        "payments/entitlement.html",
        entitlement=found,
        phone=found.payee_phone if pii else mask_phone(found.payee_phone),
        payee=found.payee_name
        if sees_names(current_user.permissions)
        else initials(found.payee_name),
        events=list(
            db().scalars(
                select(PaymentEvent)
                .where(PaymentEvent.entitlement_id == found.id)
                .order_by(PaymentEvent.id)
            )
        ),
        adjustments=list(
            db().scalars(
                select(EntitlementAdjustment)
                .where(EntitlementAdjustment.entitlement_id == found.id)
                .order_by(EntitlementAdjustment.id)
            )
        ),
    )


from webapp.payments import money  # noqa: E402,F401  (routes on the same blueprint)
