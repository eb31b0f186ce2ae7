"""Africa's Talking voice: callback fields in, XML actions (GetDigits, Play, Say, Record) out."""

from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

from voice.adapters.base import CallEvent, ClipUrl, as_int
from voice.turn import Gather, Record, Speech, Turn

GATEWAY = "africastalking"
CONTENT_TYPE = "application/xml"
HEADER = '<?xml version="1.0" encoding="UTF-8"?>'


def parse(form: Mapping[str, str]) -> CallEvent | None:
    call_id = form.get("sessionId", "")
    incoming = form.get("direction", "Inbound").lower() == "inbound"
    phone = form.get("callerNumber" if incoming else "destinationNumber", "") or form.get(
        "callerNumber", ""
    )
    if not call_id or not phone:
        return None
    recording_url = form.get("recordingUrl") or None
    return CallEvent(
        gateway=GATEWAY,
        call_id=call_id[:64],
        phone=phone,
        digits=form.get("dtmfDigits"),
        recording_url=recording_url,
        # Africa's Talking names a recording by its URL only.
        recording_id=recording_url[-80:] if recording_url else None,
        recording_seconds=as_int(form.get("recordingDuration") or form.get("durationInSeconds")),
        active=form.get("isActive", "1") == "1",
        incoming=incoming,
    )


def _speak(speech: list[Speech], clip_url: ClipUrl) -> str:
    parts = []
    for sentence in speech:
        url = clip_url(sentence)
        if url:
            parts.append(f"<Play url={quoteattr(url)}/>")
        else:
            parts.append(f"<Say>{escape(sentence.text)}</Say>")
    return "".join(parts)


def render(turn: Turn, clip_url: ClipUrl, action_url: str) -> str:
    then, spoken = turn.then, _speak(turn.speech, clip_url)
    url = quoteattr(action_url)
    if isinstance(then, Gather):
        options = f'timeout="{then.timeout_seconds}"'
        options += ' finishOnKey="#"' if then.finish_on_hash else f' numDigits="{then.max_digits}"'
        body = f"<GetDigits {options} callbackUrl={url}>{spoken}</GetDigits>"
        body += f"<Redirect>{escape(action_url)}</Redirect>"  # no key pressed: ask again
    elif isinstance(then, Record):
        body = (
            f'<Record finishOnKey="#" maxLength="{then.max_seconds}" trimSilence="true" '
            f'playBeep="true" callbackUrl={url}>{spoken}</Record>'
        )
    else:
        body = spoken
    return f"{HEADER}<Response>{body}</Response>"


def render_reject() -> str:
    return f"{HEADER}<Response><Reject/></Response>"
