"""Screenshots of the partner systems desk from a real Chromium run, for docs/screenshots/.

    KINGA_DATABASE_URL=sqlite:////tmp/x/kinga.db KINGA_DEMO_PASSWORD=... \
        .venv/bin/python tools/partners_screenshots.py

Needs a demo registry with at least one partner (`kinga clients create ...`). Logs in as
demo-admin and saves PNGs of the list and of the registration form.
"""

from __future__ import annotations

import os
import threading

from playwright.sync_api import sync_playwright
from programs_screenshots import ARGS, shoot  # the same Chromium flags and saving
from werkzeug.serving import make_server

from webapp import create_app


def main() -> None:
    app = create_app()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            page.goto(f"{base}/login")
            page.fill("input[name=username]", "demo-admin")
            page.fill("input[name=password]", os.environ["KINGA_DEMO_PASSWORD"])
            page.click("button[type=submit]")
            page.goto(f"{base}/partners/")
            shoot(page, "partners-list.png")
            page.goto(f"{base}/partners/new")
            shoot(page, "partners-new.png", full=True)
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
