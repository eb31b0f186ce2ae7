"""Finding 4 of the first security review: the canary, through a real `kinga serve`.

gunicorn's access log and the app's log of a real server process are read after field and
card-desk searches, gateway callbacks carrying phone numbers, a forged query string and an
error path: no marker value of the canary household and no gateway token may be in them; the
token's path segment shows as `***`.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.demo.loader import load_areas
from registry.households.service import HouseholdData, MemberData, register_household
from registry.origin import Channel, Origin
from registry.users.service import create_user
from tests.security.world import OWN, leaked

TOKEN = "canary-gateway-token-7f3a9"
PASSWORD = "canary password 1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed(url: str) -> str:
    engine = make_engine(url)
    with Session(engine) as session:
        communities = load_areas(session)
        region_code = communities[0].parent.parent.code  # community > district > region
        for username, roles in (("canary-field", {"field_worker"}), ("canary-cards", {"admin"})):
            create_user(
                session,
                Origin.system("tests"),
                username=username,
                full_name=username,
                password=PASSWORD,
                roles=roles,
                area_codes=[region_code],
            )
        head = MemberData(
            given_name=OWN.given_name,
            family_name=OWN.family_name,
            sex="F",
            birth_year=OWN.birth_date.year,
            birth_date=OWN.birth_date,
            relation="head",
            phone=OWN.phone,
            national_id=OWN.national_id,
            language="en",
        )
        household = register_household(
            session,
            HouseholdData(
                area_code=communities[0].code,
                members=[head],
                address=OWN.address,
                consent_given=True,
            ),
            origin=Origin(channel=Channel.FIELD, actor_name="tests"),
        )
        session.commit()
        number = household.number
    engine.dispose()
    return number


def _login(base: str, username: str) -> requests.Session:
    browser = requests.Session()
    token = CSRF.search(browser.get(f"{base}/login").text).group(1)
    response = browser.post(
        f"{base}/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:300]
    return browser


def _csrf(browser: requests.Session, url: str) -> str:
    return CSRF.search(browser.get(url).text).group(1)


def _post(url: str, **kwargs: object) -> requests.Response:
    return requests.post(url, timeout=30, **kwargs)  # type: ignore[arg-type]


def _get(url: str, **kwargs: object) -> requests.Response:
    return requests.get(url, timeout=30, **kwargs)  # type: ignore[arg-type]


def _exercise(base: str, number: str) -> None:
    field = _login(base, "canary-field")
    token = _csrf(field, f"{base}/field/")
    for query in (OWN.family_name, OWN.phone, OWN.national_id):
        page = field.post(f"{base}/field/", data={"q": query, "csrf_token": token})
        assert page.status_code == 200
        if query == OWN.family_name:
            assert OWN.given_name in page.text  # the search works
    field.get(f"{base}/field/", params={"q": OWN.phone})  # an old bookmark or a forged link
    field.get(f"{base}/field/households/{number}")
    cards = _login(base, "canary-cards")
    token = _csrf(cards, f"{base}/cards/")
    assert (
        OWN.family_name
        in cards.post(f"{base}/cards/", data={"q": OWN.given_name, "csrf_token": token}).text
    )
    ussd = {
        "sessionId": "canary-1",
        "serviceCode": "*384*123#",
        "phoneNumber": OWN.phone,
        "networkCode": "63902",
        "text": "",
    }
    assert _post(f"{base}/ussd/africastalking/{TOKEN}", data=ussd).text.startswith("CON ")
    _post(f"{base}/ussd/africastalking/{TOKEN}", data={**ussd, "text": "2"})
    _post(f"{base}/ussd/africastalking/{TOKEN}/events", data={**ussd, "status": "Success"})
    sms = {"id": "canary-sms-1", "from": OWN.phone, "to": "12345", "text": "STATUS"}
    _post(f"{base}/sms/africastalking/{TOKEN}/inbound", data=sms)
    _post(f"{base}/sms/africastalking/{TOKEN}/delivery", data={"id": "x", "status": "Failed"})
    _post(f"{base}/sms/africastalking/{TOKEN}x/inbound", data=sms)  # a wrong token
    _post(
        f"{base}/ussd/africastalking/{TOKEN}/events",
        data={"sessionId": OWN.phone, "durationInMillis": "²"},
    )
    _get(f"{base}/nothing/{OWN.national_id}", params={"phone": OWN.phone})
    _post(f"{base}/login", data={"username": OWN.phone, "password": OWN.national_id})


def test_finding_4_no_personal_data_or_token_in_the_logs_of_kinga_serve(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/canary.db"
    env = {
        **os.environ,
        "KINGA_DATABASE_URL": url,
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_AT_CALLBACK_TOKEN": TOKEN,
        "KINGA_REDIS_URL": "",
        "KINGA_DEMO": "0",
        "KINGA_SMS_PROVIDER": "memory",
        "KINGA_ENV_FILE": str(tmp_path / "none.env"),
    }
    kinga = str(Path(sys.executable).parent / "kinga")
    subprocess.run([kinga, "db", "upgrade"], env=env, check=True, capture_output=True)
    number = _seed(url)
    port = _free_port()
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        server = subprocess.Popen(
            [kinga, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                        break
                except (requests.ConnectionError, requests.Timeout):
                    time.sleep(0.2)
            else:
                raise AssertionError("kinga serve did not start: " + err.read_text()[-2000:])
            _exercise(base, number)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    logs = out.read_text(errors="replace") + err.read_text(errors="replace")
    assert "POST /field/ " in logs and "POST /ussd/africastalking/***" in logs  # it did log
    assert "/sms/africastalking/***/inbound" in logs
    assert TOKEN not in logs, "the gateway token is in the logs"
    assert not leaked(logs, OWN.all + (OWN.phone.lstrip("+"),)), "personal data in the logs"
