"""Job bodies used by the tests of the job machinery (registered when imported)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from registry.db import utcnow
from registry.errors import InvalidInput
from registry.jobs import JobContext, job
from registry.messaging.models import KeyValue
from registry.users.roles import Permission

CALLS: list[tuple[int, int]] = []  # (job id, item) for every item a body actually wrote


@job(
    "tests.mark_items",
    title="Test: mark items",
    permission=Permission.EXPORT,  # its file is a list of households
    result_labels={"marked": "Households"},
)
def mark_items(
    ctx: JobContext, *, items: int, chunk: int = 2, fail_at: int | None = None
) -> dict[str, Any]:
    """Writes one row per item, skipping items already written: idempotent by design."""
    marked = 0
    for item in range(items):
        if fail_at is not None and item == fail_at:
            raise RuntimeError("boom with personal data Amina Otieno")
        key = f"job-{ctx.job_id}-item-{item}"
        if ctx.session.scalar(select(KeyValue.key).where(KeyValue.key == key)) is None:
            ctx.session.add(KeyValue(key=key, value="1", expires_at=utcnow() + timedelta(days=1)))
            CALLS.append((ctx.job_id, item))
            marked += 1
        if (item + 1) % chunk == 0:
            ctx.progress(item + 1, items, "marking")
    with ctx.result_file("marked.csv").open("w") as out:
        out.write("item\n" + "".join(f"{i}\n" for i in range(items)))
    return {"marked": marked, "items": items}


@job("tests.refuse", title="Test: refuse", permission=Permission.PROGRAM_VIEW)
def refuse(ctx: JobContext) -> dict[str, Any]:
    raise InvalidInput("Give the date as YYYY-MM-DD.", field="when")


LOCKED_ONCE: list[int] = []  # job ids whose body already met its one lock conflict


@job("tests.locked_once", title="Test: locked once", permission=Permission.EXPORT)
def locked_once(ctx: JobContext, *, items: int) -> dict[str, Any]:
    """Writes its items, checkpoints half-way, then meets SQLite's "database is locked" once."""
    from sqlalchemy.exc import OperationalError

    written = 0
    for item in range(items):
        key = f"locked-{ctx.job_id}-item-{item}"
        if ctx.session.scalar(select(KeyValue.key).where(KeyValue.key == key)) is None:
            ctx.session.add(KeyValue(key=key, value="1", expires_at=utcnow() + timedelta(days=1)))
            CALLS.append((ctx.job_id, item))
            written += 1
        if item == items // 2:
            ctx.progress(item + 1, items)
            if ctx.job_id not in LOCKED_ONCE:
                LOCKED_ONCE.append(ctx.job_id)
                raise OperationalError("INSERT", {}, Exception("database is locked"))
    return {"written": written}
