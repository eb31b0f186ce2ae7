"""A fast local fake of the Twilio and Africa's Talking send APIs, for the benchmark.

asyncio with keep-alive connections, in its own process: `python -m benchmarks.fake_api`
prints its URL, then serves until stdin closes. It accepts every message, like the "ok" mode of
`tests/sms/fake_gateway.py` (which tests the failure modes).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
from urllib.parse import parse_qs

_ids = itertools.count(1)


def answer(path: str, body: bytes) -> tuple[int, bytes]:
    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
    n = next(_ids)
    if path.endswith("/Messages.json"):
        payload = {"sid": f"SM{n:032d}", "status": "queued", "to": form.get("To")}
        return 201, json.dumps(payload).encode()
    if path == "/version1/messaging":
        recipients = [
            {"statusCode": 101, "number": r, "status": "Success", "messageId": f"ATXid_{n}"}
            for r in form.get("to", "").split(",")
        ]
        payload = {"SMSMessageData": {"Message": "Sent", "Recipients": recipients}}
        return 201, json.dumps(payload).encode()
    return 404, b"{}"


async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            path = lines[0].split(" ")[1]
            length = 0
            for line in lines[1:]:
                if line.lower().startswith("content-length:"):
                    length = int(line.split(":", 1)[1])
            body = await reader.readexactly(length) if length else b""
            status, payload = answer(path, body)
            writer.write(
                f"HTTP/1.1 {status} OK\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(payload)}\r\n\r\n".encode()
                + payload
            )
            await writer.drain()
    except (asyncio.IncompleteReadError, asyncio.CancelledError, ConnectionError):
        pass
    finally:
        writer.close()


async def main() -> None:
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    print(f"http://127.0.0.1:{port}", flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
