"""gunicorn's access log without personal data or secrets (used by `kinga serve`).

The request line, path and referrer are written through `webapp.logmask.masked_path`: no
query string, and the callback token segment as `***`.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from webapp.logmask import ENVIRON_KEY, masked_path


class MaskedAccessLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict:  # type: ignore[type-arg]
        atoms = super().atoms(resp, req, environ, request_time)
        # The app left the path it may show (`webapp.logmask`); a request it never saw (or
        # one refused before routing) gets the masked raw path.
        path = environ.get(ENVIRON_KEY) or masked_path(environ.get("PATH_INFO", ""))
        atoms["U"] = path
        atoms["q"] = ""
        atoms["r"] = (
            f"{environ.get('REQUEST_METHOD', '-')} {path} {environ.get('SERVER_PROTOCOL', '-')}"
        )
        referer = atoms.get("f", "-")
        atoms["f"] = masked_path(referer) if referer and referer != "-" else "-"
        return atoms
