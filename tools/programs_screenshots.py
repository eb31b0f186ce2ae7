"""Screenshots of the programs desk from a real Chromium run, for docs/screenshots/.

    KINGA_DATABASE_URL=sqlite:////tmp/x/kinga.db KINGA_DEMO_PASSWORD=... \
        .venv/bin/python tools/programs_screenshots.py

Serves the app on a random local port, logs in as demo-manager and saves PNGs.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from webapp import create_app

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def login(page: Page, base: str, language: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "demo-manager")
    page.fill("input[name=password]", os.environ["KINGA_DEMO_PASSWORD"])
    page.click("button[type=submit]")
    page.click(f"form.langs button[value={language}]")


def shoot(page: Page, name: str, full: bool = False) -> None:
    path = OUT / name
    page.screenshot(path=str(path), full_page=full)
    print(f"{path.name}: {path.stat().st_size // 1024} KB")


def main() -> None:
    app = create_app()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            desk = browser.new_page(viewport={"width": 1280, "height": 860})
            login(desk, base, "en")
            desk.goto(f"{base}/programs/")
            shoot(desk, "programs-list.png")
            desk.goto(f"{base}/programs/CG")
            desk.locator("table.versions").scroll_into_view_if_needed()
            shoot(desk, "programs-versions.png")
            desk.goto(f"{base}/programs/CG/versions/2/simulation")
            shoot(desk, "programs-simulation.png", full=True)
            desk.goto(f"{base}/programs/CG/versions/2/edit")
            source = desk.input_value("#source")
            desk.fill("#source", source.replace("size <= 12", "size <= 12 and childs > 2", 1))
            desk.click("button.primary")
            shoot(desk, "programs-rule-error.png")
            desk.goto(f"{base}/programs/CG/enrollments?decision=needs_review")
            desk.click("table a >> nth=0")
            shoot(desk, "programs-enrollment.png", full=True)
            phone = browser.new_page(viewport={"width": 360, "height": 640})
            login(phone, base, "ar")
            phone.goto(f"{base}/programs/FOOD/versions/1/simulation")
            shoot(phone, "programs-simulation-ar-phone.png")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
