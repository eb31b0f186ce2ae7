"""A Kinga app served on a random port of 127.0.0.1 for tests that drive a real browser."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server


@contextmanager
def serving(app: Flask, *, threaded: bool = True) -> Iterator[str]:
    """Serves `app` in a background thread; yields its base URL and stops it afterwards."""
    server = make_server("127.0.0.1", 0, app, threaded=threaded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@contextmanager
def working(app: Flask) -> Iterator[None]:
    """A job worker beside the served app: takes jobs off the app's real huey queue."""
    from registry.jobs.queue import config

    with app.app_context():
        huey = config().huey
    stop = threading.Event()

    def consume() -> None:
        while not stop.is_set():
            task = huey.dequeue()
            if task is None:
                stop.wait(0.05)
                continue
            huey.execute(task)

    thread = threading.Thread(target=consume, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=30)
