"""One gateway request in, one screen out: state, replays, gateway quirks, the funnel."""

from __future__ import annotations

import logging
import random
import time

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from registry.i18n import translate_ctx
from registry.kvstore import KeyValueStore
from registry.phones import normalize_phone
from registry.selfservice.sessions import (
    SessionProgress,
    complete_session,
    known_language,
    open_session,
)
from registry.settings import Settings
from ussd.adapters.base import UssdReply, UssdRequest
from ussd.dialog import Dialog, Duplicate
from ussd.inputs import read_inputs
from ussd.menus import MENUS
from ussd.menus.start import first_screen
from ussd.state import DialogState, load_state, save_state

log = logging.getLogger(__name__)
DUPLICATE_WAIT_SECONDS = 3.0
BUSY_ATTEMPTS = 4


def caller_phone(raw: str, settings: Settings) -> str:
    return normalize_phone(raw, settings.default_country) or raw.strip()[:20]


def answer_request(
    request: UssdRequest, session: Session, kv: KeyValueStore, settings: Settings
) -> UssdReply:
    """Applies the request's new inputs and returns the screen to show; commits `session`.

    Nothing of the session's state is saved before the commit, so a request that lost a
    write race on SQLite ("database is locked") is simply answered again from the start.
    """
    for attempt in range(1, BUSY_ATTEMPTS + 1):
        claims: list[str] = []
        try:
            return _answer(request, session, kv, settings, claims)
        except Exception as exc:
            session.rollback()
            for key in claims:  # the change did not happen: a retry (or the caller) may make it
                kv.delete(key)
            if attempt == BUSY_ATTEMPTS or not _is_busy(exc):
                raise
            time.sleep(random.uniform(0.002, 0.01) * attempt)
    raise AssertionError("unreachable")


def _is_busy(exc: Exception) -> bool:
    if not isinstance(exc, OperationalError):
        return False
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


def _answer(
    request: UssdRequest,
    session: Session,
    kv: KeyValueStore,
    settings: Settings,
    claims: list[str],
) -> UssdReply:
    state = load_state(kv, request.gateway, request.session_id)
    first = state is None
    if state is None:
        phone = caller_phone(request.phone, settings)
        open_session(  # first, before any read (see open_session)
            session,
            gateway=request.gateway,
            session_id=request.session_id,
            service_code=request.service_code,
            network_code=request.network_code,
            language=None,
        )
        session.commit()  # the write lock is not held while the key-value store is used
        state = DialogState(
            phone=phone, language=known_language(session, phone, settings.languages), screen=""
        )
    latest = request.latest_only or state.latest_only
    inputs = read_inputs(request.text, None if first else state.chain, request.service_code, latest)
    if inputs.replay or state.ended:
        reply = state.replies.get(inputs.chain, state.last_reply)
        return UssdReply(reply[4:], reply.startswith("END "))
    dialog = Dialog(state, session, kv, settings, request.gateway, request.session_id, MENUS)
    dialog.claimed = claims
    if first:
        dialog.go(first_screen(dialog), push=False)
    try:
        for raw in inputs.new:
            dialog.apply(raw)
            if dialog.finished is not None:
                break
        text, end = dialog.reply_text()
    except Duplicate:
        session.rollback()
        return _await_first(kv, request, inputs.chain, state.language, settings)
    state.chain = inputs.chain
    state.latest_only = inputs.latest and not first
    state.ended = end
    reply = ("END " if end else "CON ") + text
    state.remember_reply(inputs.chain, reply)
    if end:
        complete_session(
            session,
            gateway=request.gateway,
            session_id=request.session_id,
            progress=progress_of(state),
        )
    session.commit()
    for action in dialog.deferred:
        action()
    save_state(kv, request.gateway, request.session_id, state)
    return UssdReply(text, end)


def progress_of(state: DialogState) -> SessionProgress:
    return SessionProgress(
        flow=state.flow, last_screen=state.screen, steps=state.steps, language=state.language
    )


def _await_first(
    kv: KeyValueStore, request: UssdRequest, chain: str, language: str | None, settings: Settings
) -> UssdReply:
    """A duplicate of a request that is changing data: wait for the first one's answer."""
    deadline = time.monotonic() + DUPLICATE_WAIT_SECONDS
    while time.monotonic() < deadline:
        state = load_state(kv, request.gateway, request.session_id)
        if state is not None and chain in state.replies:
            reply = state.replies[chain]
            return UssdReply(reply[4:], reply.startswith("END "))
        time.sleep(0.05)
    log.warning("ussd duplicate of %s got no first answer in time", request.session_id)
    lang = language or settings.default_language
    return UssdReply(translate_ctx(lang, "ussd", "Please dial again in a minute."), True)
