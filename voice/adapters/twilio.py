"""Twilio Programmable Voice: form fields in, TwiML (<Gather>, <Play>, <Say>, <Record>) out."""

from __future__ import annotations

from collections.abc import Mapping

from twilio.twiml.voice_response import Gather as TwimlGather
from twilio.twiml.voice_response import VoiceResponse

from voice.adapters.base import CallEvent, ClipUrl, as_int
from voice.turn import Gather, Record, Speech, Turn

GATEWAY = "twilio"
CONTENT_TYPE = "application/xml"
# Languages of Twilio's own voices, used only when a sentence has no audio clip.
SAY_LANGUAGES = {"en": "en-GB", "fr": "fr-FR", "sw": "sw-KE", "pt": "pt-PT", "ar": "arb"}


def parse(form: Mapping[str, str]) -> CallEvent | None:
    incoming = form.get("Direction", "inbound") == "inbound"
    # A call we placed (a call back): the caller is the one we called.
    call_id, phone = form.get("CallSid", ""), form.get("From" if incoming else "To", "")
    if not call_id or not phone:
        return None
    status = form.get("CallStatus", "")
    return CallEvent(
        gateway=GATEWAY,
        call_id=call_id[:64],
        phone=phone,
        digits=form.get("Digits"),
        recording_url=form.get("RecordingUrl") or None,
        recording_id=form.get("RecordingSid") or None,
        recording_seconds=as_int(form.get("RecordingDuration")),
        active=status not in ("completed", "busy", "failed", "no-answer", "canceled"),
        incoming=incoming,
    )


def _speak(target: VoiceResponse | TwimlGather, speech: list[Speech], clip_url: ClipUrl) -> None:
    for sentence in speech:
        url = clip_url(sentence)
        if url:
            target.play(url)
        else:
            target.say(sentence.text, language=SAY_LANGUAGES.get(sentence.language, "en-GB"))


def render(turn: Turn, clip_url: ClipUrl, action_url: str) -> str:
    response = VoiceResponse()
    then = turn.then
    if isinstance(then, Gather):
        options: dict[str, object] = {"action": action_url, "method": "POST"}
        options["timeout"] = then.timeout_seconds
        if then.finish_on_hash:
            options["finish_on_key"] = "#"
        else:
            options["num_digits"] = then.max_digits
        gather = response.gather(**options)
        _speak(gather, turn.speech, clip_url)
        response.redirect(action_url, method="POST")  # no key pressed: ask again
    elif isinstance(then, Record):
        _speak(response, turn.speech, clip_url)
        response.record(
            action=action_url,
            method="POST",
            max_length=then.max_seconds,
            finish_on_key="#",
            play_beep=True,
            timeout=5,
        )
        response.redirect(action_url, method="POST")  # nothing recorded: ask again
    else:
        _speak(response, turn.speech, clip_url)
        response.hangup()
    return str(response)


def render_reject() -> str:
    """A missed call: refused unanswered (the caller pays nothing), then called back."""
    response = VoiceResponse()
    response.reject(reason="busy")
    return str(response)
