"""Alembic, driven from code: `kinga db upgrade|check` and the test suite call this.

Upgrades only go forward. A database migrated by a newer Kinga (a revision this code does not
know) is refused with the reason rather than guessed at; there is no downgrade: restore the
backup taken before the upgrade instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_PG_MIGRATION_LOCK = 7_346_013  # advisory lock: two hosts starting at once migrate one by one


class DowngradeRefused(Exception):
    """The database is ahead of this code, or a downgrade was asked for."""


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@dataclass(frozen=True)
class SchemaStatus:
    current: tuple[str, ...]  # revisions recorded in the database
    heads: tuple[str, ...]  # the newest revisions this code knows
    pending: tuple[str, ...]  # revisions this code would apply
    unknown: tuple[str, ...]  # revisions in the database that this code does not know

    @property
    def empty(self) -> bool:
        return not self.current

    @property
    def up_to_date(self) -> bool:
        return not self.pending and not self.unknown and bool(self.current)


def schema_status(engine: Engine) -> SchemaStatus:
    script = ScriptDirectory.from_config(alembic_config(""))
    known = _known_revisions()
    with engine.connect() as connection:
        current = tuple(sorted(MigrationContext.configure(connection).get_current_heads()))
    unknown = tuple(r for r in current if r not in known)
    applied: set[str] = set()
    for revision in current:
        if revision in known:
            applied |= {r.revision for r in script.iterate_revisions(revision, "base")}
    pending = tuple(
        rev.revision
        for rev in reversed(list(script.walk_revisions()))
        if rev.revision not in applied
    )
    return SchemaStatus(current, tuple(sorted(script.get_heads())), pending, unknown)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrates forward to `revision`; safe to run on every start (nothing to do is a no-op)."""
    status = schema_status(engine)
    if status.unknown:
        raise DowngradeRefused(
            f"the database is at revision {', '.join(status.unknown)}, which this version of "
            "Kinga does not know: it was upgraded by a newer version. Downgrades are not "
            "supported; run the newer version, or restore the backup taken before the upgrade."
        )
    if revision not in ("head", "heads") and revision not in status.pending:
        if revision not in _known_revisions():
            raise ValueError(f"unknown revision {revision!r}")
        return  # already applied: nothing to do, and never backwards
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
        config.attributes["connection"] = connection
        # Branches each add a migration after 0001 until they are chained: "head" means all.
        command.upgrade(config, "heads" if revision == "head" else revision)


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config(""))
    return {rev.revision for rev in script.walk_revisions()}


def refuse_downgrade() -> None:
    raise DowngradeRefused(
        "Kinga does not downgrade a database: a downgrade can drop columns and rows that hold "
        "registrations and audit history. Restore the backup taken before the upgrade "
        "(`kinga restore FILE --force`) and run the version that made it."
    )


def revision(engine: Engine, message: str, rev_id: str) -> None:
    """Writes a new migration from the difference between the models and the database."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.revision(config, message=message, autogenerate=True, rev_id=rev_id)
