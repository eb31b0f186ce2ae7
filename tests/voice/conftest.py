"""Voice door fixtures: a fake gateway at the HTTP edge and phones that call the way each
gateway does (signed Twilio callbacks, Africa's Talking's secret path), following the markup
the app answers with and fetching every clip it plays."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from registry.settings import Settings
from tests.voice.fake_gateway import FakeVoiceGateway, tone_wav
from voice.audio import AudioLibrary
from voice.prompts import say
from voice.turn import Speech

TWILIO_TOKEN = "twilio-voice-test-token"
AT_TOKEN = "test-at-token"
LANGUAGE_KEYS = {"en": "1", "fr": "2", "sw": "3", "pt": "4", "ar": "5"}
_calls = itertools.count(1)
_phones = itertools.count(1)


def new_phone() -> str:
    return f"+2547{next(_phones) + 30000000:08d}"


@pytest.fixture()
def settings(settings: Settings) -> Settings:
    return replace(
        settings,
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token=TWILIO_TOKEN,
        twilio_from="+15005550006",
        at_callback_token=AT_TOKEN,
    )


@pytest.fixture()
def gateway(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeVoiceGateway]:
    with FakeVoiceGateway() as fake:
        monkeypatch.setenv("KINGA_TWILIO_API_URL", fake.url)
        monkeypatch.setenv("KINGA_AT_API_URL", fake.url)
        yield fake


@pytest.fixture()
def app(app: Flask, voice_audio_dir: Path, settings: Settings) -> Flask:
    app.extensions["kinga_voice_audio"] = AudioLibrary(voice_audio_dir, settings.secret_key)
    return app


def clip_of(app: Flask, text: str, language: str, key: str | None = None) -> str:
    return app.extensions["kinga_voice_audio"].name_of(Speech(text, language, key))


def prompt_clip(app: Flask, language: str, key: str, **params: object) -> str:
    """The clip name the caller hears for prompt `key` (a fixed one, or with its values)."""
    return clip_of(app, say(language, key, **params), language, None if params else key)


@dataclass
class Phone:
    """One phone call through a gateway's callbacks; `heard` lists the clips played so far."""

    client: FlaskClient
    gateway: FakeVoiceGateway
    kind: str  # "twilio" or "africastalking"
    phone: str
    call_id: str = field(default_factory=lambda: f"CA{next(_calls):032d}")
    heard: list[str] = field(default_factory=list)
    said: list[str] = field(default_factory=list)  # text the gateway had to speak itself
    next_url: str | None = None
    waits_for: str | None = None  # "digits", "record" or None (the call is over)
    last_reply: str = ""
    last_form: dict[str, str] = field(default_factory=dict)

    @property
    def start_url(self) -> str:
        if self.kind == "twilio":
            return "http://localhost/voice/twilio"
        return f"http://localhost/voice/africastalking/{AT_TOKEN}"

    def _fields(self, extra: dict[str, str]) -> dict[str, str]:
        if self.kind == "twilio":
            base = {
                "CallSid": self.call_id,
                "From": self.phone,
                "To": "+15005550006",
                "CallStatus": "in-progress",
                "Direction": "inbound",
            }
        else:
            base = {
                "sessionId": self.call_id,
                "callerNumber": self.phone,
                "destinationNumber": "+254711082000",
                "isActive": "1",
                "direction": "Inbound",
            }
        base.update(extra)
        return base

    def post(self, url: str, extra: dict[str, str] | None = None, *, token: str | None = None):  # type: ignore[no-untyped-def]
        form = self._fields(extra or {})
        self.last_form = form
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {}
        if self.kind == "twilio":
            signature = RequestValidator(token or TWILIO_TOKEN).compute_signature(url, form)
            headers["X-Twilio-Signature"] = signature
        return self.client.post(path, data=form, headers=headers)

    def dial(self) -> Phone:
        return self._follow(self.post(self.start_url))

    def press(self, digits: str) -> Phone:
        assert self.waits_for == "digits", self.last_reply
        field_name = "Digits" if self.kind == "twilio" else "dtmfDigits"
        return self._follow(self.post(self.next_url, {field_name: digits}))  # type: ignore[arg-type]

    def speak(self, audio: bytes | None = None, seconds: int = 4) -> Phone:
        """Says a message after the beep: the gateway stores it and reports its URL."""
        assert self.waits_for == "record", self.last_reply
        recording_id, url = self.gateway.new_recording(self.kind, audio or tone_wav(1.0))
        if self.kind == "twilio":
            extra = {
                "RecordingUrl": url,
                "RecordingSid": recording_id,
                "RecordingDuration": str(seconds),
            }
        else:
            extra = {"recordingUrl": url, "durationInSeconds": str(seconds)}
        self.last_recording = extra
        return self._follow(self.post(self.next_url, extra))  # type: ignore[arg-type]

    def replay(self) -> str:
        """Sends the last callback again, as a gateway retrying would."""
        url = self.replayed_url
        response = self.client.post(
            urlsplit(url).path + "?" + urlsplit(url).query,
            data=self.last_form,
            headers=self._signature_for(url),
        )
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def _signature_for(self, url: str) -> dict[str, str]:
        if self.kind != "twilio":
            return {}
        return {
            "X-Twilio-Signature": RequestValidator(TWILIO_TOKEN).compute_signature(
                url, self.last_form
            )
        }

    def _follow(self, response) -> Phone:  # type: ignore[no-untyped-def]
        assert response.status_code == 200, response.get_data(as_text=True)
        assert response.mimetype == "application/xml"
        self.replayed_url = self.next_url or self.start_url
        self.last_reply = response.get_data(as_text=True)
        root = ET.fromstring(self.last_reply)  # noqa: S314 - our own reply, in a test
        self.heard, self.said = [], []
        self.waits_for, self.next_url = None, None
        for element in root.iter():
            if element.tag == "Play":
                self._hear(element.get("url") or (element.text or ""))
            elif element.tag == "Say":
                self.said.append(element.text or "")
            elif element.tag in ("Gather", "GetDigits") and self.waits_for is None:
                self.waits_for = "digits"
                self.next_url = element.get("action") or element.get("callbackUrl")
            elif element.tag == "Record" and self.waits_for is None:
                self.waits_for = "record"
                self.next_url = element.get("action") or element.get("callbackUrl")
        return self

    def _hear(self, url: str) -> None:
        parts = urlsplit(url)
        assert parts.path.startswith("/voice/audio/") and parts.path.endswith(".wav"), url
        clip = self.client.get(parts.path)
        assert clip.status_code == 200 and clip.mimetype == "audio/wav"
        assert clip.data[:4] == b"RIFF" and len(clip.data) > 1000
        self.heard.append(parts.path.rsplit("/", 1)[1][:-4])


@pytest.fixture(params=["twilio", "africastalking"])
def gateway_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def call(client: FlaskClient, gateway: FakeVoiceGateway, kind: str, phone: str) -> Phone:
    return Phone(client, gateway, kind, phone).dial()
