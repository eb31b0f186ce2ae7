"""The request's unit of work: one session per request, committed by the view that changes data."""

from __future__ import annotations

from flask import Flask, g
from sqlalchemy.orm import Session

from webapp.state import state


def db() -> Session:
    if "db_session" not in g:
        g.db_session = state().sessionmaker()
    return g.db_session


def _close(_exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is not None:
        session.rollback()
        session.close()


def init_app(app: Flask) -> None:
    app.teardown_appcontext(_close)
