"""`kinga worker`: consumes the job queue (huey) and recovers jobs whose worker died."""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

import click
from flask.cli import with_appcontext

from registry.jobs.queue import config, enqueue
from registry.jobs.recovery import recover_stale_jobs
from registry.jobs.registry import load_job_modules

log = logging.getLogger("kinga.jobs")


def _recover(stale_after: timedelta) -> None:
    cfg = config()
    try:
        queue_empty = cfg.huey.pending_count() == 0
        with cfg.sessionmaker()() as session:
            recover_stale_jobs(
                session, enqueue=enqueue, stale_after=stale_after, queue_empty=queue_empty
            )
    except Exception as exc:  # the next sweep tries again; the worker keeps consuming
        log.error("job recovery failed: %s", type(exc).__name__)


def _sweeper(stale_after: timedelta, every: float, stop: threading.Event) -> threading.Thread:
    def loop() -> None:
        while not stop.wait(every):
            _recover(stale_after)

    thread = threading.Thread(target=loop, name="job-recovery", daemon=True)
    thread.start()
    return thread


@click.command("worker")
@click.option("--threads", default=2, show_default=True, help="Jobs run at a time.")
@click.option("--once", is_flag=True, help="Run the jobs already queued, then stop.")
@click.option(
    "--stale-after",
    default=60,
    show_default=True,
    help="Seconds without a heartbeat before a running job counts as abandoned.",
)
@with_appcontext
def cli(threads: int, once: bool, stale_after: int) -> None:
    """Run queued jobs (simulations, enrollment, card batches, exports...)."""
    load_job_modules()
    cfg = config()
    stale = timedelta(seconds=stale_after)
    _recover(stale)
    if once:
        handled = 0
        while (task := cfg.huey.dequeue()) is not None:
            cfg.huey.execute(task)
            handled += 1
        click.echo(f"handled {handled}")
        return
    stop = threading.Event()
    _sweeper(stale, every=max(1.0, min(15.0, stale_after / 4)), stop=stop)
    click.echo(f"job worker running with {threads} thread(s) on {type(cfg.huey).__name__}")
    consumer = cfg.huey.create_consumer(workers=threads, worker_type="thread", periodic=False)
    try:
        consumer.run()
    finally:
        stop.set()
        click.echo("job worker stopped")
