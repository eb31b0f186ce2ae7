"""Job pages: the list of jobs a user may see, one job's progress and result, its files."""

from __future__ import annotations

from flask import Flask

from webapp.jobs.views import bp


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
