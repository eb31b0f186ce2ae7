"""A local stand-in for the Twilio and Africa's Talking voice APIs, on 127.0.0.1.

It holds callers' recordings (served at the URL the gateway reports, as the real ones are)
and takes outbound call requests. The app's real HTTP client fetches from it.
"""

from __future__ import annotations

import io
import itertools
import json
import math
import struct
import threading
import wave
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


def tone_wav(seconds: float = 1.0, rate: int = 8000) -> bytes:
    """A short 440 Hz tone as 8 kHz mono WAV: what a caller's message sounds like here."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
            for n in range(int(seconds * rate))
        )
        out.writeframes(frames)
    return buffer.getvalue()


class FakeVoiceGateway:
    def __init__(self) -> None:
        self.recordings: dict[str, bytes] = {}
        self.fetches: list[dict[str, str]] = []
        self.calls: list[dict[str, str]] = []
        self._ids = itertools.count(1)
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802 - the http.server naming
                gateway.fetches.append(
                    {"path": self.path, "auth": self.headers.get("Authorization", "")}
                )
                audio = gateway.recordings.get(self.path)
                if audio is None:
                    self._send(404, b"not found", "text/plain")
                else:
                    self._send(200, audio, "audio/wav")

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(raw).items()}
                form["_path"] = self.path
                gateway.calls.append(form)
                n = next(gateway._ids)
                if self.path.endswith("/Calls.json"):
                    body = {"sid": f"CA{n:032d}", "status": "queued", "to": form.get("To")}
                    self._send(201, json.dumps(body).encode(), "application/json")
                elif self.path == "/call":
                    body = {
                        "entries": [
                            {
                                "phoneNumber": form.get("to"),
                                "status": "Queued",
                                "sessionId": f"ATVId_{n}",
                            }
                        ],
                        "errorMessage": "None",
                    }
                    self._send(200, json.dumps(body).encode(), "application/json")
                else:
                    self._send(404, b"{}", "application/json")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeVoiceGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def new_recording(self, gateway: str, audio: bytes) -> tuple[str, str]:
        """Stores a caller's message; returns (recording id, the URL the gateway reports)."""
        n = next(self._ids)
        if gateway == "twilio":
            sid = f"RE{n:032d}"
            path = f"/2010-04-01/Accounts/AC{'0' * 32}/Recordings/{sid}"
            self.recordings[path + ".wav"] = audio
            return sid, self.url + path
        path = f"/recordings/{n:08d}.wav"
        self.recordings[path] = audio
        return path, self.url + path
