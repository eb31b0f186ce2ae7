"""Day counters of things that are logged but not audited (refusals of anonymous callers,
throttled logins): the audit chain is append-only, so nobody without a login may grow it."""

from __future__ import annotations

from datetime import UTC, datetime

from registry.kvstore import KeyValueStore

KEEP_SECONDS = 8 * 24 * 3600


def _key(name: str, day: str) -> str:
    return f"counter:{name}:{day}"


def today() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d")


def bump(kv: KeyValueStore, name: str) -> int:
    return kv.incr(_key(name, today()), KEEP_SECONDS)


def count(kv: KeyValueStore, name: str, day: str | None = None) -> int:
    return int(kv.get(_key(name, day or today())) or 0)
