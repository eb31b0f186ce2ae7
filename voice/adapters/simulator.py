"""The browser voice simulator as a gateway: a turn becomes JSON the page speaks and shows."""

from __future__ import annotations

import json

from voice.adapters.base import ClipUrl
from voice.turn import Gather, Record, Turn

GATEWAY = "simulator"


def render(turn: Turn, clip_url: ClipUrl, action_url: str) -> str:
    then = turn.then
    waits = "digits" if isinstance(then, Gather) else "record" if isinstance(then, Record) else None
    return json.dumps(
        {
            "speech": [
                {"text": s.text, "language": s.language, "audio": clip_url(s)} for s in turn.speech
            ],
            "waits": waits,
            "max_digits": then.max_digits if isinstance(then, Gather) else None,
            "finish_on_hash": bool(isinstance(then, Gather) and then.finish_on_hash),
            "max_seconds": then.max_seconds if isinstance(then, Record) else None,
            "step": action_url,
        },
        ensure_ascii=False,
    )
