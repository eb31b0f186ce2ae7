"""Tamper tests: each way of changing the audit table behind the app's back is caught."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from registry.audit.checkpoint import (
    CheckpointError,
    check_signature,
    load_or_create_key,
    read_checkpoint,
    sign_head,
    write_checkpoint,
)
from registry.audit.models import AuditEvent
from registry.audit.service import compute_hash, record
from registry.audit.verify import verify_chain
from registry.db import is_postgresql
from registry.origin import Origin
from tests.factories import community, make_household
from tests.security import tamper


def _log(session: Session, n: int = 6) -> int:
    for i in range(n):
        record(session, Origin.system("tests"), "test.event", target_id=i, details={"i": i})
    make_household(session, community(session, 0))
    return int(session.scalar(select(func.max(AuditEvent.seq))) or 0)


def test_untouched_log_verifies(db_session: Session) -> None:
    head = _log(db_session)
    result = verify_chain(db_session)
    assert result.ok, result.describe()
    assert result.head_seq == head and result.checked == head


def test_edited_row_is_caught(db_session: Session) -> None:
    head = _log(db_session)
    tamper.edit(db_session, head - 3)
    result = verify_chain(db_session)
    assert not result.ok and result.broken_seq == head - 3 and result.reason == "edited"


def test_edited_row_with_recomputed_hash_breaks_the_next_link(db_session: Session) -> None:
    head = _log(db_session)
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.seq == head - 2))
    assert event is not None
    event.action = "nothing.happened"
    forged = compute_hash(event)
    db_session.expunge(event)
    with tamper.triggers_off(db_session):
        db_session.execute(
            text("UPDATE audit_events SET action = 'nothing.happened', hash = :h WHERE seq = :s"),
            {"h": forged, "s": head - 2},
        )
    result = verify_chain(db_session)
    assert not result.ok and result.broken_seq == head - 1 and result.reason == "relinked"


def test_deleted_row_is_caught(db_session: Session) -> None:
    head = _log(db_session)
    tamper.delete(db_session, head - 2)
    result = verify_chain(db_session)
    assert not result.ok and result.broken_seq == head - 2 and result.reason == "missing"


def test_reordered_rows_are_caught(db_session: Session) -> None:
    head = _log(db_session)
    tamper.swap(db_session, head - 4, head - 3)
    result = verify_chain(db_session)
    assert not result.ok and result.broken_seq == head - 4 and result.reason == "reordered"


def test_truncated_tail_is_caught_against_a_checkpoint(db_session: Session, tmp_path: Path) -> None:
    head = _log(db_session)
    key = load_or_create_key(tmp_path)
    checkpoint = sign_head(db_session, key)
    assert checkpoint.seq == head
    assert verify_chain(db_session, checkpoint).ok
    tamper.truncate_tail(db_session, head - 1)
    assert verify_chain(db_session).ok  # without a checkpoint a clean cut cannot be seen
    result = verify_chain(db_session, checkpoint)
    assert not result.ok and result.reason == "truncated"


def test_rewritten_history_differs_from_the_checkpoint(db_session: Session, tmp_path: Path) -> None:
    head = _log(db_session)
    checkpoint = sign_head(db_session, load_or_create_key(tmp_path))
    tamper.truncate_tail(db_session, head)
    record(db_session, Origin.system("forger"), "test.event", details={"i": "forged"})
    result = verify_chain(db_session, checkpoint)
    assert not result.ok and result.reason == "checkpoint_mismatch"


def test_checkpoint_signature_and_file(db_session: Session, tmp_path: Path) -> None:
    _log(db_session, 2)
    key = load_or_create_key(tmp_path)
    path = write_checkpoint(tmp_path, sign_head(db_session, key))
    loaded = read_checkpoint(path)
    check_signature(loaded, key.public_key())
    assert (tmp_path / "audit_checkpoint_key.pem").stat().st_mode & 0o077 == 0
    forged = loaded.__class__(**{**loaded.__dict__, "seq": loaded.seq - 1})
    with pytest.raises(CheckpointError):
        check_signature(forged, key.public_key())
    with pytest.raises(CheckpointError):
        check_signature(loaded, load_or_create_key(tmp_path / "other").public_key())


def test_postgresql_refuses_update_delete_and_truncate(db_session: Session) -> None:
    if not is_postgresql(db_session):
        pytest.skip("the append-only triggers exist on PostgreSQL only")
    _log(db_session, 1)
    for statement in (
        "UPDATE audit_events SET action = 'x'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
    ):
        nested = db_session.begin_nested()
        with pytest.raises(DBAPIError, match="append-only"):
            db_session.execute(text(statement))
        nested.rollback()
    assert verify_chain(db_session).ok


APP_ROLE_GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM {role}",
)


def test_app_role_that_does_not_own_the_tables_cannot_rewrite_history(
    db_session: Session,
) -> None:
    """The setup of docs/security.md: the app appends, but cannot edit, delete or unhook."""
    if not is_postgresql(db_session):
        pytest.skip("roles and grants are PostgreSQL features")
    role = f"kinga_test_app_{uuid.uuid4().hex[:10]}"
    db_session.execute(text(f"CREATE ROLE {role} NOLOGIN"))  # rolled back with the test
    for grant in APP_ROLE_GRANTS:
        db_session.execute(text(grant.format(role=role)))
    db_session.execute(text(f"SET LOCAL ROLE {role}"))
    event = record(db_session, Origin.system("tests"), "test.event", details={"as": "app"})
    assert event.seq >= 1
    for statement in (
        "UPDATE audit_events SET action = 'x'",
        "DELETE FROM audit_events",
        "TRUNCATE audit_events",
        "ALTER TABLE audit_events DISABLE TRIGGER USER",
        "DROP TRIGGER audit_events_no_update ON audit_events",
    ):
        nested = db_session.begin_nested()
        with pytest.raises(DBAPIError):
            db_session.execute(text(statement))
        nested.rollback()
    db_session.execute(text("RESET ROLE"))
    assert verify_chain(db_session).ok
