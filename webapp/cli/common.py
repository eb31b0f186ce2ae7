"""Shared pieces of the CLI: the session for a command, and one-line failures."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from registry.errors import DomainError
from registry.i18n import translate
from webapp.state import state


@contextmanager
def command_session() -> Iterator[Session]:
    """A session whose work commits when the command succeeds; errors become one clear line."""
    session = state().sessionmaker()
    try:
        yield session
        session.commit()
    except DomainError as exc:
        session.rollback()
        raise click.ClickException(translate("en", exc.msgid, **exc.params)) from exc
    except OperationalError as exc:
        session.rollback()
        raise click.ClickException(
            f"database unreachable or not migrated ({type(exc.orig).__name__}); "
            "run `kinga db upgrade` and check KINGA_DATABASE_URL"
        ) from exc
    except SQLAlchemyError as exc:
        session.rollback()
        raise click.ClickException(f"database error: {type(exc).__name__}") from exc
    finally:
        session.close()
