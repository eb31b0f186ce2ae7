"""Short-lived state with expiry: a SQL table by default, Redis when `KINGA_REDIS_URL` is set.

USSD sessions and rate-limit counters live here. Both backends keep the same contract, and the
test suite runs it against each.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Protocol

from sqlalchemy import delete
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
            row = session.get(KeyValue, key)
            if row is None or row.expires_at <= utcnow():
                return None
            return row.value

    def set(self, key: str, value: str, ttl_seconds: int) -> None:
        with self.make_session() as session, session.begin():
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
            row = session.get(KeyValue, key, with_for_update=True)
            now = utcnow()
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
