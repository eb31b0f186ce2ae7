"""Drop and resume: a registration cut off mid-way can be continued for ten minutes.

The draft is the door's own serialisable state for the flow; this module only decides how long
it lives and whose it is (the calling phone's).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from registry.kvstore import KeyValueStore

RESUME_WINDOW_SECONDS = 600


@dataclass(frozen=True)
class Draft:
    flow: str
    state: dict[str, Any]


def _key(phone: str) -> str:
    return f"selfservice:draft:{phone}"


def save_draft(kv: KeyValueStore, phone: str, flow: str, state: dict[str, Any]) -> None:
    """Keeps the flow's progress; each saved step gives the caller ten more minutes."""
    kv.set(_key(phone), json.dumps({"flow": flow, "state": state}), RESUME_WINDOW_SECONDS)


def load_draft(kv: KeyValueStore, phone: str) -> Draft | None:
    raw = kv.get(_key(phone))
    if not raw:
        return None
    try:
        document = json.loads(raw)
        return Draft(flow=str(document["flow"]), state=dict(document["state"]))
    except (ValueError, KeyError, TypeError):
        return None


def discard_draft(kv: KeyValueStore, phone: str) -> None:
    kv.delete(_key(phone))
