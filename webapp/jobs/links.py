"""Where a finished job's page points next (e.g. the full simulation report): set by each desk."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

from registry.jobs.models import Job

ResultLink = Callable[[Job], tuple[str, str] | None]  # job -> (label, url), or None


def register_result_link(app: Flask, kind: str, link: ResultLink) -> None:
    app.extensions.setdefault("kinga_job_links", {})[kind] = link


def result_link(job: Job) -> tuple[str, str] | None:
    link = current_app.extensions.get("kinga_job_links", {}).get(job.kind)
    return link(job) if link else None
