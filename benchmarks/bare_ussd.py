"""The baseline for benchmarks/ussd.py: a bare Flask endpoint answering a constant screen."""

from __future__ import annotations

from flask import Flask, Response

app = Flask(__name__)
SCREEN = "CON Kinga\n1 Register\n2 My status\n3 Report a problem\n4 Track my complaint\n5 Language"


@app.post("/ussd/africastalking/<token>")
def constant_screen(token: str) -> Response:
    return Response(SCREEN, content_type="text/plain; charset=utf-8")
