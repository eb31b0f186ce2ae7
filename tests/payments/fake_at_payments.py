"""A local HTTP server standing in for Africa's Talking's payments API (mobile B2C).

The real SDK-based client is pointed at it (`KINGA_AT_PAYMENTS_API_URL`), so nothing leaves the
machine. Like the real service it remembers each `Idempotency-Key`: the same batch sent again is
answered from memory and pays nobody twice. `paid` holds what each reference really received.
`mode`: "ok"; "lose_answer" (the batch is paid but the answer is a 500, as when the line drops).
Numbers ending in `refuse_suffix` are refused (InvalidRequest).
"""

from __future__ import annotations

import itertools
import json
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeAtPayments:
    def __init__(self) -> None:
        self.mode = "ok"
        self.refuse_suffix = "999"
        self.requests: list[dict[str, Any]] = []
        self.paid: dict[str, Decimal] = {}
        self.payments = 0  # transfers really made (a replayed batch makes none)
        self.notifications: list[dict[str, Any]] = []  # what AT would POST to the callback
        self._answers: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802 - the http.server naming
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                status, answer = fake.answer(self.path, dict(self.headers), body)
                payload = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeAtPayments:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(
        self, path: str, headers: dict[str, str], body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append({"path": path, "headers": headers, "body": body})
            if path != "/mobile/b2c/request":
                return 404, {"errorMessage": "unknown path"}
            if not headers.get("apiKey") or not body.get("username"):
                return 401, {"errorMessage": "authentication"}
            key = headers.get("Idempotency-Key") or ""
            if key and key in self._answers:
                return 200, self._answers[key]
            entries = [self._pay(r) for r in body.get("recipients", [])]
            answer = {
                "numQueued": sum(e["status"] == "Queued" for e in entries),
                "entries": entries,
            }
            if key:
                self._answers[key] = answer
            if self.mode == "lose_answer":
                return 500, {"errorMessage": "gateway timeout"}
            return 201, answer

    def _pay(self, recipient: dict[str, Any]) -> dict[str, Any]:
        phone = recipient.get("phoneNumber", "")
        if phone.endswith(self.refuse_suffix):
            return {"phoneNumber": phone, "status": "InvalidRequest", "errorMessage": "Invalid"}
        reference = recipient["metadata"]["reference"]
        amount = Decimal(recipient["amount"])
        self.paid[reference] = self.paid.get(reference, Decimal(0)) + amount
        self.payments += 1
        transaction = f"ATPid_{next(self._ids):08d}"
        self.notifications.append(
            {
                "transactionId": transaction,
                "category": "MobileB2C",
                "provider": "Mpesa",
                "providerRefId": f"MP{transaction[-8:]}",
                "productName": "kinga",
                "destination": phone,
                "value": f"{recipient['currencyCode']} {amount:.2f}",
                "status": "Success",
                "requestMetadata": recipient.get("metadata", {}),
            }
        )
        return {
            "phoneNumber": phone,
            "status": "Queued",
            "provider": "Mpesa",
            "transactionId": transaction,
            "value": f"{recipient['currencyCode']} {amount:.2f}",
            "transactionFee": f"{recipient['currencyCode']} 1.00",
        }
