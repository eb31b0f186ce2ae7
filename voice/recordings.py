"""Fetching a caller's recorded message from the gateway that holds it.

Only from that gateway's own address (Twilio's API, Africa's Talking's hosts; a local fake in
tests through KINGA_TWILIO_API_URL / KINGA_AT_API_URL), with a time limit and a size cap:
a callback cannot make Kinga fetch anything else, nor fill its database.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests

from registry.grievances.recordings import MAX_RECORDING_BYTES
from registry.settings import Settings

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 8
TWILIO_API = "https://api.twilio.com"
AT_HOST_SUFFIX = ".africastalking.com"


@dataclass(frozen=True)
class Fetched:
    audio: bytes | None
    content_type: str
    missing_reason: str | None = None


def _allowed(gateway: str, url: str) -> bool:
    base = os.environ.get("KINGA_TWILIO_API_URL" if gateway == "twilio" else "KINGA_AT_API_URL")
    if base:
        return url.startswith(base.rstrip("/") + "/")
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return False
    if gateway == "twilio":
        return url.startswith(TWILIO_API + "/")
    return parts.hostname.endswith(AT_HOST_SUFFIX)


def fetch_recording(gateway: str, url: str, settings: Settings) -> Fetched:
    if not _allowed(gateway, url):
        log.warning("voice: recording URL outside %s refused", gateway)
        return Fetched(None, "audio/wav", "recording URL refused")
    auth = None
    if gateway == "twilio":
        url = url if url.endswith((".wav", ".mp3")) else url + ".wav"
        if settings.twilio_account_sid and settings.twilio_auth_token:
            auth = (settings.twilio_account_sid, settings.twilio_auth_token)
    try:
        with requests.get(url, auth=auth, timeout=TIMEOUT_SECONDS, stream=True) as response:
            if response.status_code != 200:
                return Fetched(None, "audio/wav", f"gateway answered {response.status_code}")
            content_type = response.headers.get("Content-Type", "audio/wav").split(";")[0]
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > MAX_RECORDING_BYTES:
                    return Fetched(None, content_type, "too large")
                chunks.append(chunk)
    except requests.RequestException as exc:
        log.warning("voice: recording not fetched from %s (%s)", gateway, type(exc).__name__)
        return Fetched(None, "audio/wav", "not reachable")
    return Fetched(b"".join(chunks), content_type.strip().lower())
