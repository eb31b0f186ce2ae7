"""Job pages: the list of jobs a user may see, one job's progress and result, its files."""

from __future__ import annotations

from flask import Flask

from webapp.jobs.links import register_result_link
from webapp.jobs.starting import start_job, submit_from_request
from webapp.jobs.views import bp

__all__ = ["init_app", "register_result_link", "start_job", "submit_from_request"]


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
