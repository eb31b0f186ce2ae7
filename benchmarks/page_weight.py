"""Page weight of the field worker's pages, gzipped, as a logged-in worker would load them.

    .venv/bin/python -m benchmarks.page_weight

For each page: the HTML with the CSS it needs to render (target 14.6 KB: one TCP initial
window of 10 segments) and everything the page loads (target 50 KB: CSS, script, icons and
the service worker it registers). Results go to docs/benchmarks.md.
"""

from __future__ import annotations

import gzip
import os
import re
import secrets
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy.orm import Session

from benchmarks.report import write_section
from registry.db import make_engine
from registry.demo.loader import load_areas
from registry.kvstore import make_store
from registry.migrate import upgrade
from registry.origin import Channel
from registry.settings import Settings

FIRST_WINDOW = 14.6 * 1024
BUDGET = 50 * 1024
ASSET = re.compile(r'(?:href|src)="(/static/[^"#]+)')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Weight:
    page: str
    html: int
    css: int
    other: int

    @property
    def first(self) -> int:
        return self.html + self.css

    @property
    def total(self) -> int:
        return self.html + self.css + self.other


def gz(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6))


def measure(client, label: str, body: bytes) -> Weight:  # type: ignore[no-untyped-def]
    html = body.decode()
    assets = sorted(set(ASSET.findall(html)))
    css = sum(gz(client.get(a).data) for a in assets if a.endswith(".css"))
    other = sum(gz(client.get(a).data) for a in assets if not a.endswith(".css"))
    if "/static/js/field.js" in assets:
        other += gz(client.get("/field/sw.js").data)  # registered by the script
    return Weight(label, gz(body), css, other)


def run() -> list[Weight]:
    from tests.factories import PASSWORD, community, make_household, make_user
    from webapp import create_app

    folder = Path(tempfile.mkdtemp(prefix="kinga-weight-"))
    os.environ["KINGA_INSTANCE_DIR"] = str(folder)
    engine = make_engine(f"sqlite:///{folder / 'weight.db'}")
    upgrade(engine)
    with Session(engine) as session:
        load_areas(session)
        place = community(session, 0, 0)
        make_user(session, {"field_worker"}, [place.parent.parent.code], username="bench")
        done = make_household(session, place, head_name="Amina", family_name="Otieno")
        pending = make_household(
            session,
            place,
            channel=Channel.USSD,
            head_name="Rehema",
            family_name="Juma",
            phone="+254722000999",
        )
        numbers, code = (done.number, pending.number), place.code
        session.commit()
    settings = replace(
        Settings.from_env(),
        database_url=str(engine.url),
        redis_url=None,
        secret_key=secrets.token_urlsafe(16),
        sms_provider="memory",
    )
    app = create_app(
        {"KINGA_SETTINGS": settings, "KINGA_ENGINE": engine, "KINGA_KV": make_store(engine, None)}
    )
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    token = CSRF.search(client.get("/field/").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    done_number, pending_number = numbers
    pages = {
        "search": "/field/?q=Amina",
        "register (first screen)": "/field/register",
        "household": f"/field/households/{done_number}",
        "edit": f"/field/households/{done_number}/edit",
        "verify": f"/field/households/{pending_number}/verify",
        "consent": f"/field/households/{done_number}/consent",
        "saved": f"/field/households/{done_number}/saved",
    }
    weights = [measure(client, label, client.get(path).data) for label, path in pages.items()]
    summary = client.post(
        "/field/register",
        data={
            "csrf_token": token,
            "go": "summary",
            "head_given_name": "Amina",
            "head_family_name": "Wanjiru",
            "head_sex": "F",
            "head_birth_year": "1984",
            "head_disability": "no",
            "head_has_phone": "no",
            "head_language": "en",
            "head_has_id": "no",
            "area": code,
            "other_members": "2",
            "members.0.given_name": "Baraka",
            "members.0.sex": "M",
            "members.0.birth_year": "2012",
            "members.0.relation": "child",
            "members.0.disability": "no",
            "members.1.given_name": "Neema",
            "members.1.sex": "F",
            "members.1.birth_year": "2015",
            "members.1.relation": "child",
            "members.1.disability": "no",
            "consent": "yes",
            "consent_method": "spoken",
        },
    )
    assert summary.status_code == 200, summary.status_code
    weights.append(measure(client, "summary (3 people)", summary.data))
    engine.dispose()
    return weights


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def report(weights: list[Weight]) -> str:
    lines = [
        "Gzipped bytes as a logged-in field worker loads each page (first visit, empty cache).",
        "Targets: HTML + CSS within one TCP initial window (14.6 KB); everything the page "
        "loads, icons, script and service worker included, within 50 KB. For reference, the "
        "median mobile web page weighs about 2,300 KB.",
        "",
        "| page | HTML KB | HTML + CSS KB | all KB | within 14.6 / 50 |",
        "| --- | ---: | ---: | ---: | :---: |",
    ]
    for w in weights:
        ok = "yes" if w.first <= FIRST_WINDOW and w.total <= BUDGET else "**no**"
        lines.append(f"| {w.page} | {kb(w.html)} | {kb(w.first)} | {kb(w.total)} | {ok} |")
    return "\n".join(lines)


def main() -> None:
    weights = run()
    body = report(weights)
    write_section("page_weight", "Field pages: page weight", body)
    print(body)


if __name__ == "__main__":
    main()
