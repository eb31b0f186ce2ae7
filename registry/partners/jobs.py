"""The job that sends what partners are owed, queued after the commit that wrote it.

Each registry event or async search writes delivery rows in its own transaction and submits
one `partners.deliver` job for them. The body sends each still-queued, due delivery once and
checkpoints after each (a worker killed mid-way resumes without re-sending delivered rows; a
row sent but not yet committed may go again with the same DCI message id, which the partner
drops). Failed tries are retried later, with backoff, by `kinga clients deliver --loop`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.i18n import N_
from registry.jobs import JobContext, job, submit_job
from registry.origin import Origin
from registry.partners.deliveries import deliver_one, http_post
from registry.partners.models import DeliveryStatus, PartnerDelivery
from registry.scope import Scope
from registry.users.roles import Permission

KIND = "partners.deliver"


@job(
    KIND,
    title=N_("Deliver messages to partner systems"),
    permission=Permission.USER_MANAGE,
    result_labels={
        "delivered": N_("Delivered"),
        "queued": N_("Waiting for a retry"),
        "failed": N_("Failed after the last retry"),
        "cancelled": N_("Cancelled"),
    },
)
def deliver(ctx: JobContext, *, delivery_ids: list[int]) -> dict[str, Any]:
    counts: dict[str, int] = {}
    for done, delivery_id in enumerate(delivery_ids, start=1):
        now = utcnow()
        delivery = ctx.session.scalar(
            select(PartnerDelivery).where(
                PartnerDelivery.id == int(delivery_id),
                PartnerDelivery.status == DeliveryStatus.QUEUED,
                PartnerDelivery.next_attempt_at <= now,
            )
        )
        if delivery is not None:
            outcome = deliver_one(ctx.session, delivery, http_post, now)
            counts[outcome] = counts.get(outcome, 0) + 1
        ctx.progress(done, len(delivery_ids))
    return counts


def submit_delivery(session: Session, deliveries: list[PartnerDelivery]) -> None:
    """Queues the job for these rows; it runs only if the surrounding transaction commits."""
    if deliveries:
        submit_job(
            session,
            KIND,
            {"delivery_ids": [d.id for d in deliveries]},
            origin=Origin.system("partners"),
            scope=Scope.unrestricted(),
        )
