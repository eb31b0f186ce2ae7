"""Call backs after missed calls: queued by the gateway routes, placed by `kinga voice callbacks`.

The call is placed through the gateway's own client (Twilio's REST client, Africa's Talking's
SDK), pointed at a local fake in tests by KINGA_TWILIO_API_URL / KINGA_AT_API_URL. When the
person answers, the gateway calls the usual voice URL and the conversation starts as usual.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable

from africastalking.Voice import VoiceService
from sqlalchemy.orm import Session, sessionmaker
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from registry.calls.models import CallbackRequest
from registry.calls.service import claim_due, finish_callback
from registry.settings import Settings

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10


class CallNotPlaced(Exception):
    pass


def twilio_placer(settings: Settings) -> Callable[[str], str]:
    if not (settings.twilio_account_sid and settings.twilio_auth_token):
        raise CallNotPlaced("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set")
    number = settings.voice_number or settings.twilio_from
    if not number:
        raise CallNotPlaced("KINGA_VOICE_NUMBER (or TWILIO_FROM) is not set")
    client = Client(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        http_client=TwilioHttpClient(timeout=TIMEOUT_SECONDS),
    )
    base = os.environ.get("KINGA_TWILIO_API_URL")
    if base:  # tests point the client at a local fake API
        client.api.base_url = base

    def place(phone: str) -> str:
        try:
            call = client.calls.create(
                to=phone, from_=number, url=f"{settings.public_url}/voice/twilio", method="POST"
            )
        except TwilioException as exc:
            raise CallNotPlaced(str(exc)[:300]) from exc
        return str(call.sid)

    return place


def africastalking_placer(settings: Settings) -> Callable[[str], str]:
    if not (settings.at_username and settings.at_api_key and settings.voice_number):
        raise CallNotPlaced("AT_USERNAME, AT_API_KEY and KINGA_VOICE_NUMBER are needed")
    service = VoiceService(settings.at_username, settings.at_api_key)
    base = os.environ.get("KINGA_AT_API_URL")
    if base:
        service._baseUrl = base.rstrip("/")
    number = settings.voice_number

    def place(phone: str) -> str:
        try:
            answer = service.call(number, [phone], timeout=TIMEOUT_SECONDS)
            entry = answer["entries"][0]
        except Exception as exc:  # the SDK raises its own and requests' errors
            raise CallNotPlaced(type(exc).__name__) from exc
        if str(entry.get("status", "")).lower() != "queued":
            raise CallNotPlaced(str(entry.get("status"))[:100])
        return str(entry.get("sessionId", ""))

    return place


PLACERS = {"twilio": twilio_placer, "africastalking": africastalking_placer}


def place_due(make_session: sessionmaker[Session], settings: Settings) -> int:
    """Places every queued call back once; returns how many were handled."""
    placers: dict[str, Callable[[str], str] | CallNotPlaced] = {}
    handled = 0
    while True:
        with make_session() as session:
            ids = claim_due(session)
            rows = [(i, session.get(CallbackRequest, i)) for i in ids]
            jobs = [(i, row.gateway, row.phone) for i, row in rows if row is not None]
            session.commit()  # claimed before any call is placed
        if not jobs:
            return handled
        for callback_id, gateway, phone in jobs:
            if gateway not in placers:
                try:
                    placers[gateway] = PLACERS[gateway](settings)
                except CallNotPlaced as exc:
                    placers[gateway] = exc
            placer = placers[gateway]
            provider_id, error = None, None
            if isinstance(placer, CallNotPlaced):
                error = str(placer)
            else:
                try:
                    provider_id = placer(phone)
                except CallNotPlaced as exc:
                    error = str(exc)
            with make_session() as session:
                finish_callback(session, callback_id, provider_call_id=provider_id, error=error)
                session.commit()
            if error:
                log.warning("voice: call back %s not placed (%s)", callback_id, error)
            handled += 1


def run_forever(
    make_session: sessionmaker[Session], settings: Settings, interval: float = 2.0
) -> None:
    while True:
        if not place_due(make_session, settings):
            time.sleep(interval)
