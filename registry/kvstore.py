"""Short-lived state with expiry: a SQL table by default, Redis when `KINGA_REDIS_URL` is set.

USSD sessions and rate-limit counters live here. Both backends keep the same contract, and the
test suite runs it against each.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from sqlalchemy import Integer, Text, case, cast, delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from registry.db import utcnow
from registry.messaging.models import KeyValue


class KeyValueStore(Protocol):
    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str, ttl_seconds: int) -> None: ...
    def delete(self, key: str) -> None: ...
    def incr(self, key: str, ttl_seconds: int) -> int:
        """Adds one to a counter, creating it with `ttl_seconds` to live; returns the count."""
        ...


class SqlKeyValueStore:
    """Each call is its own short transaction, outside the request's unit of work."""

    def __init__(self, make_session: Callable[[], Session]) -> None:
        self.make_session = make_session

    def get(self, key: str) -> str | None:
        with self.make_session() as session:
            # A plain row, not an ORM object: this runs on every USSD step.
            row = session.execute(
                select(KeyValue.value, KeyValue.expires_at).where(KeyValue.key == key)
            ).first()
            if row is None or row.expires_at <= utcnow():
                return None
            return str(row.value)

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        with self.make_session() as session, session.begin():
            upsert = insert_or_update(session)
            if upsert is not None:
                # One statement, no read first: on SQLite a read-then-write transaction fails
                # at once (not after the busy timeout) when another writer committed between.
                expires = utcnow() + timedelta(seconds=ttl_seconds)
                stmt = upsert(KeyValue).values(key=key, value=value, expires_at=expires)
                session.execute(
                    stmt.on_conflict_do_update(
                        index_elements=[KeyValue.key],
                        set_={"value": stmt.excluded.value, "expires_at": stmt.excluded.expires_at},
                    )
                )
                return
            row = session.get(KeyValue, key, with_for_update=True)
            expires = utcnow() + timedelta(seconds=ttl_seconds)
            if row is None:
                session.add(KeyValue(key=key, value=value, expires_at=expires))
            else:
                row.value, row.expires_at = value, expires

    def delete(self, key: str) -> None:
        with self.make_session() as session, session.begin():
            session.execute(delete(KeyValue).where(KeyValue.key == key))

    def incr(self, key: str, ttl_seconds: int) -> int:
        with self.make_session() as session, session.begin():
            now = utcnow()
            upsert = insert_or_update(session)
            if upsert is not None:
                expired = KeyValue.expires_at <= now
                stmt = upsert(KeyValue).values(
                    key=key, value="1", expires_at=now + timedelta(seconds=ttl_seconds)
                )
                stmt = stmt.on_conflict_do_update(
                    index_elements=[KeyValue.key],
                    set_={
                        "value": case(
                            (expired, "1"), else_=cast(cast(KeyValue.value, Integer) + 1, Text)
                        ),
                        "expires_at": case(
                            (expired, stmt.excluded.expires_at), else_=KeyValue.expires_at
                        ),
                    },
                )
                return int(session.execute(stmt.returning(KeyValue.value)).scalar_one())
            row = session.get(KeyValue, key, with_for_update=True)
            if row is None or row.expires_at <= now:
                if row is not None:
                    session.delete(row)
                    session.flush()
                row = KeyValue(key=key, value="0", expires_at=now + timedelta(seconds=ttl_seconds))
                session.add(row)
            row.value = str(int(row.value) + 1)
            return int(row.value)

    def purge_expired(self) -> int:
        with self.make_session() as session, session.begin():
            result = session.execute(delete(KeyValue).where(KeyValue.expires_at <= utcnow()))
            return int(result.rowcount or 0)


def insert_or_update(session: Session) -> Callable[..., Any] | None:
    """The dialect's INSERT ... ON CONFLICT construct (SQLite, PostgreSQL), else None."""
    name = session.get_bind().dialect.name
    if name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert

        return insert
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        return insert
    return None


class RedisKeyValueStore:
    def __init__(self, url: str, prefix: str = "kinga:") -> None:
        import redis

        self.client = redis.Redis.from_url(url, decode_responses=True, socket_timeout=2)
        self.prefix = prefix

    def get(self, key: str) -> str | None:
        value = self.client.get(self.prefix + key)
        return None if value is None else str(value)

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        self.client.set(self.prefix + key, value, ex=ttl_seconds)

    def delete(self, key: str) -> None:
        self.client.delete(self.prefix + key)

    def incr(self, key: str, ttl_seconds: int) -> int:
        pipe = self.client.pipeline()
        pipe.incr(self.prefix + key)
        pipe.expire(self.prefix + key, ttl_seconds, nx=True)
        count, _ = pipe.execute()
        return int(count)


def make_store(engine: Engine, redis_url: str | None) -> KeyValueStore:
    if redis_url:
        return RedisKeyValueStore(redis_url)
    return SqlKeyValueStore(lambda: Session(engine, expire_on_commit=False))
