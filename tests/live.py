"""A Kinga app served on a random port of 127.0.0.1 for tests that drive a real browser."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy.engine import Engine
from werkzeug.serving import make_server


def app_on(engine: Engine, *, testing: bool = True) -> Flask:
    """A Kinga app on `engine` as the browser tests serve it (memory SMS, SQL key-value store)."""
    from dataclasses import replace

    from registry.kvstore import make_store
    from registry.settings import Settings
    from webapp import create_app

    settings = replace(
        Settings.from_env(),
        database_url=str(engine.url),
        redis_url=None,
        secret_key="browser-test-secret",
        public_url="http://127.0.0.1",
        languages=("en", "fr", "sw", "pt", "ar"),
        sms_provider="memory",
    )
    config = {
        "KINGA_SETTINGS": settings,
        "KINGA_ENGINE": engine,
        "KINGA_KV": make_store(engine, None),
    }
    if testing:
        config["TESTING"] = True
    return create_app(config)


@contextmanager
def serving(
    app: Flask, *, threaded: bool = True, lock: threading.Lock | None = None
) -> Iterator[str]:
    """Serves `app` in a background thread; yields its base URL and stops it afterwards.

    With `lock`, each request holds it: a worker (`working(app, lock=...)`) sharing the test's
    one database connection then never runs at the same time as a request."""
    wsgi = app if lock is None else _locked(app, lock)
    server = make_server("127.0.0.1", 0, wsgi, threaded=threaded)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


def _locked(app: Flask, lock: threading.Lock):  # type: ignore[no-untyped-def]
    def wsgi(environ, start_response):  # type: ignore[no-untyped-def]
        with lock:
            return list(app(environ, start_response))

    return wsgi


@contextmanager
def working(app: Flask, *, lock: threading.Lock | None = None) -> Iterator[None]:
    """A job worker beside the served app: takes jobs off the app's real huey queue.

    With `lock` (an app bound to the test's one connection), it runs the queued jobs through
    the same runner between requests instead, without the heartbeat thread."""
    from registry.jobs.queue import config
    from registry.jobs.running import run_queued_jobs

    with app.app_context():
        huey = config().huey
    stop = threading.Event()

    def consume() -> None:
        while not stop.is_set():
            if lock is not None:
                with lock:
                    run_queued_jobs(app.extensions["kinga"].sessionmaker, heartbeat=False)
                stop.wait(0.1)
                continue
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
