"""A USSD session's state, kept in the key-value store (SQL or Redis) between requests."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

from registry.kvstore import KeyValueStore

# Longer than any gateway keeps a session (Africa's Talking: 180 s), so the end-of-session
# report still finds where the caller was.
SESSION_TTL_SECONDS = 600
REPLIES_KEPT = 4


@dataclass
class DialogState:
    phone: str
    language: str | None
    screen: str
    stack: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    page: int = 0
    chain: str = ""
    steps: int = 0
    flow: str | None = None
    ended: bool = False
    latest_only: bool = False  # the gateway sends only the latest input (see ussd.inputs)
    last_reply: str = ""
    replies: dict[str, str] = field(default_factory=dict)  # chain -> reply, for late replays

    def remember_reply(self, chain: str, reply: str) -> None:
        self.last_reply = reply
        self.replies[chain] = reply
        while len(self.replies) > REPLIES_KEPT:
            self.replies.pop(next(iter(self.replies)))


def _key(gateway: str, session_id: str) -> str:
    return f"ussd:session:{gateway}:{session_id}"


def load_state(kv: KeyValueStore, gateway: str, session_id: str) -> DialogState | None:
    raw = kv.get(_key(gateway, session_id))
    if not raw:
        return None
    try:
        return DialogState(**json.loads(raw))
    except (ValueError, TypeError):
        return None


def save_state(kv: KeyValueStore, gateway: str, session_id: str, state: DialogState) -> None:
    document = json.dumps(asdict(state), ensure_ascii=False, separators=(",", ":"))
    kv.set(_key(gateway, session_id), document, SESSION_TTL_SECONDS)


def claim_once(kv: KeyValueStore, gateway: str, session_id: str, step: int) -> bool:
    """True for the first request to perform step `step` of a session; False for a duplicate
    that arrived while the first was still being answered."""
    return kv.incr(claim_key(gateway, session_id, step), SESSION_TTL_SECONDS) == 1


def claim_key(gateway: str, session_id: str, step: int) -> str:
    return f"ussd:once:{gateway}:{session_id}:{step}"
