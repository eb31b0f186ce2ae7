"""One gateway callback in, one piece of call markup out: state, replays, recordings, audio.

A reply's actions carry `?step=N`; the callback answering reply N is handled once, and a
replayed callback (the gateway retrying, or someone resending it) gets the same reply again
from the key-value store, so a complaint is never lodged twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from types import ModuleType

from flask import current_app
from sqlalchemy.exc import IntegrityError

from registry.phones import normalize_phone
from registry.selfservice.sessions import known_language
from registry.settings import instance_dir
from voice.adapters.base import CallEvent
from voice.audio import AudioLibrary
from voice.call import Call, Recording
from voice.recordings import Fetched, fetch_recording
from voice.state import CallState, load_call, load_reply, save_call, save_reply
from voice.turn import Speech, Turn
from webapp.database import db
from webapp.limits import allow_status_lookup
from webapp.state import state

log = logging.getLogger(__name__)
AUDIO_PATH = "/voice/audio/"


class UnknownStep(Exception):
    """A callback for a step the call never reached."""


def audio_library() -> AudioLibrary:
    library = current_app.extensions.get("kinga_voice_audio")
    if library is None:
        library = AudioLibrary(instance_dir() / "voice", state().settings.secret_key)
        current_app.extensions["kinga_voice_audio"] = library
    return library


def clip_url(speech: Speech) -> str | None:
    name = audio_library().clip(speech)
    return f"{state().settings.public_url}{AUDIO_PATH}{name}.wav" if name else None


def answer_callback(
    event: CallEvent,
    step: int | None,
    adapter: ModuleType,
    action_url: Callable[[int], str],
    fetch: Callable[[str, str], Fetched] | None = None,
) -> str:
    """The markup answering `event`; commits the request's session."""
    kinga = state()
    kv, settings, session = kinga.kv, kinga.settings, db()
    call_state = load_call(kv, event.gateway, event.call_id)
    answered = step or 0
    if call_state is not None and answered < call_state.seq:
        cached = load_reply(kv, event.gateway, event.call_id, answered)
        if cached is not None:
            return cached
    if call_state is None:
        phone = normalize_phone(event.phone, settings.default_country) or event.phone[:20]
        call_state = CallState(
            phone=phone, language=known_language(session, phone, settings.languages)
        )
        call = Call(call_state, session, kv, settings, allow_status_lookup)
        turn = call.begin(callback=not event.incoming)
    elif answered != call_state.seq or call_state.ended:
        raise UnknownStep(answered)
    else:
        turn = _next_turn(event, call_state, fetch)
    call_state.seq += 1
    reply = adapter.render(turn, clip_url, action_url(call_state.seq))
    session.commit()
    save_reply(kv, event.gateway, event.call_id, answered, reply)
    save_call(kv, event.gateway, event.call_id, call_state)
    return reply


def _next_turn(
    event: CallEvent, call_state: CallState, fetch: Callable[[str, str], Fetched] | None
) -> Turn:
    kinga = state()
    kv, settings, session = kinga.kv, kinga.settings, db()
    call = Call(call_state, session, kv, settings, allow_status_lookup)
    if call_state.step != "record":
        return call.answer(event.digits)
    if not (event.recording_url and event.recording_id):
        return call.repeat([])
    fetched = (fetch or (lambda g, u: fetch_recording(g, u, settings)))(
        event.gateway, event.recording_url
    )
    recording = Recording(
        provider=event.gateway,
        recording_id=event.recording_id,
        duration_seconds=event.recording_seconds,
        audio=fetched.audio,
        content_type=fetched.content_type,
        missing_reason=fetched.missing_reason,
    )
    try:
        turn = call.recorded(recording)
        session.flush()
        return turn
    except IntegrityError:
        # The same recording, reported twice at once: the other request attached it.
        session.rollback()
        return Call(call_state, session, kv, settings).recorded(recording)
