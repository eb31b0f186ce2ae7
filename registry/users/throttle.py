"""Failed logins slow down the address they come from, never the account for everyone.

Five failures from one address for one user name make that address wait 15 minutes for that
name; the rightful user, from any other address, logs in as usual. Known and unknown names are
counted alike, so the answer never tells whether a name exists.
"""

from __future__ import annotations

import hashlib

from registry.kvstore import KeyValueStore

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60


def _key(ip: str | None, username: str) -> str:
    digest = hashlib.sha256(f"{ip or '-'}|{username}".encode()).hexdigest()[:32]
    return f"login-failures:{digest}"


def is_throttled(kv: KeyValueStore, ip: str | None, username: str) -> bool:
    return int(kv.get(_key(ip, username)) or 0) >= MAX_FAILURES


def note_failure(kv: KeyValueStore, ip: str | None, username: str) -> None:
    kv.incr(_key(ip, username), WINDOW_SECONDS)


def clear(kv: KeyValueStore, ip: str | None, username: str) -> None:
    kv.delete(_key(ip, username))
