"""What a log line may say about a request: its path, with secrets masked and no query string.

Secret path segments (the Africa's Talking callback token) become `***`; query strings are
dropped whole (a search or a phone number in one would be personal data). Every logger of the
app, gunicorn's access log (`webapp.gunicorn_logging`) and the error handlers use this one
function.
"""

from __future__ import annotations

import re

# The segment after `/africastalking/` is the callback token (SMS and USSD doors).
_SECRET_SEGMENT = re.compile(r"(/africastalking/)[^/?#\s]+")


def masked_path(path: str) -> str:
    """`path` without its query string and with every secret segment replaced by `***`."""
    without_query = path.split("?", 1)[0]
    return _SECRET_SEGMENT.sub(r"\1***", without_query)
