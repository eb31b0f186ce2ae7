"""A call's place in the conversation, kept in the key-value store between gateway callbacks."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from registry.kvstore import KeyValueStore

CALL_TTL_SECONDS = 2 * 3600


@dataclass
class CallState:
    phone: str
    language: str | None
    step: str = ""
    seq: int = 0  # the number of the callback the call waits for next
    data: dict[str, Any] = field(default_factory=dict)
    ended: bool = False


def _key(gateway: str, call_id: str) -> str:
    return f"voice:{gateway}:{call_id}"


def load_call(kv: KeyValueStore, gateway: str, call_id: str) -> CallState | None:
    raw = kv.get(_key(gateway, call_id))
    return CallState(**json.loads(raw)) if raw else None


def save_call(kv: KeyValueStore, gateway: str, call_id: str, state: CallState) -> None:
    kv.set(_key(gateway, call_id), json.dumps(asdict(state)), CALL_TTL_SECONDS)


def load_reply(kv: KeyValueStore, gateway: str, call_id: str, seq: int) -> str | None:
    """The answer already given to callback `seq`: a replayed callback gets it again."""
    return kv.get(f"{_key(gateway, call_id)}:reply:{seq}")


def save_reply(kv: KeyValueStore, gateway: str, call_id: str, seq: int, reply: str) -> None:
    kv.set(f"{_key(gateway, call_id)}:reply:{seq}", reply, CALL_TTL_SECONDS)
