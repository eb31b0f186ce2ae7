"""Security headers on every page, HSTS over HTTPS, and no inline script or style anywhere."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from flask import Flask
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from registry.kvstore import KeyValueStore
from registry.settings import Settings
from tests.security.matrix import COVERAGE, PUBLIC
from tests.security.world import build_world, client_as
from webapp import create_app
from webapp.security import CSP

TEMPLATES = Path(__file__).resolve().parents[2] / "webapp" / "templates"
# A JSON data block (`type="application/json"`) is never executed, so the CSP allows it.
INLINE_SCRIPT = re.compile(
    r"""<script(?![^>]*\b(src=|type=["']application/(ld\+)?json["']))[^>]*>""", re.IGNORECASE
)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def _inline_problems(text: str) -> list[str]:
    problems = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("on* handler", INLINE_HANDLER),
        ("inline style", INLINE_STYLE),
        ("javascript: URL", JS_URL),
    ):
        if pattern.search(text):
            problems.append(name)
    return problems


def test_csp_forbids_inline_script_and_framing() -> None:
    directives = dict(d.strip().split(" ", 1) for d in CSP.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert "unsafe" not in CSP and directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_no_template_has_inline_script_style_or_handlers() -> None:
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert templates
    for template in templates:
        assert _inline_problems(template.read_text()) == [], template.name


def test_every_page_sends_the_headers_and_no_inline_code(app: Flask, db_session: Session) -> None:
    world = build_world(db_session, app)
    client = client_as(app, world, "admin")
    pages = ["/", "/login", "/does-not-exist"]
    pages += [
        call.url for case in COVERAGE.values() for call in case.calls(world) if call.method == "GET"
    ]
    for url in pages:
        response = client.get(url)
        headers = response.headers
        assert headers["Content-Security-Policy"] == CSP, url
        assert headers["X-Content-Type-Options"] == "nosniff", url
        assert headers["X-Frame-Options"] == "DENY", url
        assert headers["Referrer-Policy"] == "same-origin", url
        assert "Strict-Transport-Security" not in headers, url  # plain HTTP here
        if response.mimetype == "text/html":
            assert _inline_problems(response.get_data(as_text=True)) == [], url
        if response.mimetype == "text/html":
            assert headers["Cache-Control"] == "no-store", url  # pages may hold personal data
    assert any(c.kind == PUBLIC for c in COVERAGE.values())


def test_hsts_when_served_over_https(
    engine: Engine, session_factory: sessionmaker[Session], kv: KeyValueStore, settings: Settings
) -> None:
    app = create_app(
        {
            "TESTING": True,
            "KINGA_SETTINGS": replace(settings, public_url="https://kinga.example.org"),
            "KINGA_ENGINE": engine,
            "KINGA_KV": kv,
        }
    )
    app.extensions["kinga"].sessionmaker = session_factory
    response = app.test_client().get("/login", base_url="https://kinga.example.org")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_nul_bytes_in_any_input_are_refused(app: Flask) -> None:
    client = app.test_client()
    assert client.get("/statistics?x=a%00b").status_code == 400
    ussd = client.post("/ussd/africastalking/test-at-token", data={"sessionId": "a\x00"})
    assert ussd.status_code == 400


def test_the_inline_code_checks_can_fail() -> None:
    assert _inline_problems("<script>alert(1)</script>") == ["inline <script>"]
    assert _inline_problems('<script type="application/json">{}</script>') == []
    assert _inline_problems('<a href="javascript:x()">') == ["javascript: URL"]
    assert _inline_problems('<p style="color:red" onclick="x()">') == [
        "on* handler",
        "inline style",
    ]
