"""A local HTTP server standing in for the Twilio and Africa's Talking APIs.

The real clients are pointed at it, so a test exercises them as they are, and nothing leaves the
machine. `mode` picks the answer: "ok", "server_error", "refuse" (a permanent error),
"recipient_error" (Africa's Talking: 2xx with a refused recipient), "slow" (past the timeout).

Only requests received whole are recorded: a sender killed mid-body (kill -9 tests) leaves a
short body, which is counted in `cut_off` and never taken for a message.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class FakeGateway:
    def __init__(self) -> None:
        self.mode = "ok"
        self.slow_seconds = 1.5
        self.requests: list[dict[str, str]] = []  # whole requests only
        self.cut_off = 0  # requests whose sender died before the body was complete
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - the http.server naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if len(raw) < length:
                    # The sender died mid-body (a killed worker): no message was received.
                    with gateway._lock:
                        gateway.cut_off += 1
                    self.close_connection = True
                    return
                form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
                form["_path"] = self.path
                form["_auth"] = self.headers.get("Authorization", "")
                form["_apikey"] = self.headers.get("apiKey", "")
                status, body = gateway.answer(self.path, form)
                payload = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    # Received whole, but the sender died before the answer: it may send again.
                    self.close_connection = True

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, form: dict[str, str]) -> tuple[int, object]:
        with self._lock:
            self.requests.append(form)
            n = next(self._ids)
        if self.mode == "slow":
            time.sleep(self.slow_seconds)
        if path.endswith("/Messages.json"):
            return self._twilio(form, n)
        if path == "/version1/messaging":
            return self._africastalking(form, n)
        return 404, {"error": "unknown path"}

    def _twilio(self, form: dict[str, str], n: int) -> tuple[int, object]:
        if self.mode == "server_error":
            return 503, {"code": 20503, "message": "Service unavailable", "status": 503}
        if self.mode == "refuse":
            return 400, {"code": 21211, "message": "Invalid 'To' Phone Number", "status": 400}
        sid = f"SM{n:032d}"
        return 201, {"sid": sid, "status": "queued", "to": form.get("To"), "body": form.get("Body")}

    def _africastalking(self, form: dict[str, str], n: int) -> tuple[int, object]:
        if self.mode == "server_error":
            return 500, {"error": "internal error"}
        recipients = form.get("to", "").split(",")
        if self.mode in ("refuse", "recipient_error"):
            entries = [
                {"statusCode": 403, "number": r, "status": "InvalidPhoneNumber", "cost": "0"}
                for r in recipients
            ]
        elif self.mode == "temporary_recipient_error":
            entries = [
                {"statusCode": 405, "number": r, "status": "InsufficientBalance", "cost": "0"}
                for r in recipients
            ]
        else:
            entries = [
                {
                    "statusCode": 101,
                    "number": r,
                    "status": "Success",
                    "cost": "KES 0.8000",
                    "messageId": f"ATXid_{n}",
                }
                for r in recipients
            ]
        return 201, {
            "SMSMessageData": {"Message": f"Sent to {len(entries)}", "Recipients": entries}
        }
