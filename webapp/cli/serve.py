from __future__ import annotations

import os
import shutil
import sys

import click


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True)
def cli(host: str, port: int, workers: int) -> None:
    """Serve the app with gunicorn (JSON log lines; metrics counted across its workers)."""
    _metrics_dir()
    gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable), "gunicorn")
    args = [
        gunicorn,
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--config",
        "python:webapp.gunicorn_conf",
        "--forwarded-allow-ips",
        "127.0.0.1",
        "webapp:create_app()",
    ]
    os.execv(gunicorn, args)  # noqa: S606 - replaces this process with gunicorn


def _metrics_dir() -> None:
    """prometheus-client's multiprocess mode: every worker writes its counts here; a fresh
    folder at each start, so counts of an earlier run are not added again."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return
    from registry.settings import instance_dir

    folder = instance_dir() / "metrics"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(folder)
