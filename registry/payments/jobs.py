"""Generating, exporting, paying and reconciling a cycle as jobs: at national size each takes
far longer than a request. Every body is safe to run again after a crash (see each service)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from registry.errors import NotFound
from registry.i18n import N_
from registry.jobs import JobContext, job
from registry.payments.cycles import generate_entitlements
from registry.payments.export import export_cycle
from registry.payments.mobile_money import client_from_settings, pay_cycle
from registry.payments.models import CycleStatus, PaymentCycle
from registry.payments.reconcile import reconcile
from registry.settings import Settings
from registry.users.roles import Permission, permissions_of

GENERATE = "payments.generate"
EXPORT = "payments.export"
PAY = "payments.pay"
RECONCILE = "payments.reconcile"


def _cycle(ctx: JobContext, cycle_id: int) -> PaymentCycle:
    cycle = ctx.session.get(PaymentCycle, cycle_id)
    if cycle is None:
        raise NotFound(N_("No payment cycle with this number."))
    return cycle


@job(
    GENERATE,
    title=N_("Generate entitlements"),
    permission=Permission.PAYMENT_VIEW,
    result_labels={"households": N_("Households"), "total": N_("Total")},
)
def generate_job(ctx: JobContext, *, cycle_id: int) -> dict[str, Any]:
    cycle = _cycle(ctx, cycle_id)
    if cycle.status == CycleStatus.GENERATING:  # a retry after a crash resumes where it was
        generate_entitlements(ctx.session, cycle, origin=ctx.origin, progress=ctx.progress)
    return {"cycle": cycle.id, "households": cycle.households, "total": str(cycle.total_amount)}


@job(
    EXPORT,
    title=N_("Payment list"),
    permission=Permission.PAYMENT_APPROVE,
    result_labels={"rows": N_("Rows"), "total": N_("Total"), "sha256": "SHA-256"},
)
def export_job(ctx: JobContext, *, cycle_id: int, format: str, masked: bool) -> dict[str, Any]:
    cycle = _cycle(ctx, cycle_id)
    name = f"payments-{cycle.program.code}-{cycle.period}-{cycle.id}.{format}"
    permissions = permissions_of(set()) if masked else permissions_of({"admin"})
    result = export_cycle(
        ctx.session,
        cycle,
        format,
        ctx.result_file(name),
        permissions=permissions,
        origin=ctx.origin,
        progress=ctx.progress,
    )
    ctx.result_file(result.manifest.name)  # listed for download next to the list
    return {
        "cycle": cycle.id,
        "rows": result.rows,
        "total": f"{result.total:.2f}",
        "sha256": result.sha256,
        "file": name,
        "manifest": result.manifest.name,
    }


@job(
    PAY,
    title=N_("Pay by mobile money"),
    permission=Permission.PAYMENT_APPROVE,
    result_labels={
        "submitted": N_("Submitted"),
        "accepted": N_("Sent"),
        "refused": N_("Failed"),
        "unanswered": N_("Batches without an answer"),
    },
)
def pay_job(ctx: JobContext, *, cycle_id: int) -> dict[str, Any]:
    cycle = _cycle(ctx, cycle_id)
    client, product = client_from_settings(Settings.from_env())
    result = pay_cycle(
        ctx.session, cycle, client, product, origin=ctx.origin, checkpoint=ctx.progress
    )
    return {
        "cycle": cycle.id,
        "submitted": result.submitted,
        "accepted": result.accepted,
        "refused": result.refused,
        "no_phone": result.no_phone,
        "unanswered": result.unanswered,
    }


@job(
    RECONCILE,
    title=N_("Reconcile"),
    permission=Permission.PAYMENT_PREPARE,
    result_labels={
        "matched": N_("Matched"),
        "paid": N_("Paid"),
        "partly_paid": N_("Partly paid"),
        "failed": N_("Failed"),
        "mismatches": N_("Amount mismatches"),
        "unknown": N_("Unknown references"),
        "duplicates": N_("Duplicate rows"),
    },
)
def reconcile_job(ctx: JobContext, *, cycle_id: int, file: str, filename: str) -> dict[str, Any]:
    cycle = _cycle(ctx, cycle_id)
    report = reconcile(
        ctx.session,
        cycle,
        Path(file).read_bytes(),
        filename=filename,
        origin=ctx.origin,
        progress=ctx.progress,
    )
    summary = {k: v for k, v in report.as_dict().items() if not k.endswith("_lines")}
    return {"cycle": cycle.id, "already_imported": report.already_imported, **summary}
