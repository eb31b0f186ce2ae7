"""A printed card read back by a real QR decoder and checked with the published keys only."""

from __future__ import annotations

import subprocess
from pathlib import Path

import cv2
import numpy as np
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from registry.cards.service import active_card
from tests.cards.conftest import decode_qr_codes
from tests.conftest import AuthActions
from tests.factories import community, make_household
from tests.jobs import download_result, job_url, run_jobs
from tests.webapp.cards.helpers import card_manager, page_csrf, verify_with_jwks_only


def _issue(client: FlaskClient, household_number: str) -> None:
    token = page_csrf(client, f"/cards/household/{household_number}")
    response = client.post(f"/cards/household/{household_number}/issue", data={"csrf_token": token})
    assert response.status_code == 302


def test_png_round_trip(client: FlaskClient, auth: AuthActions, db_session: Session) -> None:
    card_manager(db_session)
    household = make_household(db_session, community(db_session), head_name="Wanjiru")
    db_session.commit()
    auth.login("issuer")
    _issue(client, household.number)
    card = active_card(db_session, household, None)
    assert card is not None
    png = client.get(f"/cards/{card.number}.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    image = cv2.imdecode(np.frombuffer(png.data, np.uint8), cv2.IMREAD_GRAYSCALE)
    (text,) = decode_qr_codes(image)
    jwks = client.get("/.well-known/kinga-keys.json").get_json()
    claims = verify_with_jwks_only(text, jwks)
    assert claims["cn"] == card.number and claims["ar"] == household.area.code


def test_pdf_sheet_round_trip(
    client: FlaskClient, auth: AuthActions, db_session: Session, tmp_path: Path
) -> None:
    card_manager(db_session)
    households = [make_household(db_session, community(db_session, 0, i)) for i in range(3)]
    db_session.commit()
    auth.login("issuer")
    token = page_csrf(client, "/cards/")
    picked = [h.number for h in households]
    issuing = client.post("/cards/issue", data={"csrf_token": token, "household": picked})
    run_jobs(client)
    assert "Cards issued" in client.get(job_url(issuing)).get_data(as_text=True)
    started = client.post("/cards/print", data={"csrf_token": token, "household": picked})
    pdf = download_result(client, started)
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    (tmp_path / "cards.pdf").write_bytes(pdf.data)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-f",
            "1",
            "-l",
            "1",
            "-png",
            str(tmp_path / "cards.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page = cv2.imread(str(next(tmp_path.glob("page*.png"))), cv2.IMREAD_GRAYSCALE)
    texts = decode_qr_codes(page)
    jwks = client.get("/.well-known/kinga-keys.json").get_json()
    numbers = {verify_with_jwks_only(t, jwks)["cn"] for t in texts if t}
    expected = {active_card(db_session, h, None).number for h in households}  # type: ignore[union-attr]
    assert numbers == expected


def test_single_card_pdf_is_id1_size(
    client: FlaskClient, auth: AuthActions, db_session: Session
) -> None:
    card_manager(db_session)
    household = make_household(db_session, community(db_session))
    db_session.commit()
    auth.login("issuer")
    _issue(client, household.number)
    card = active_card(db_session, household, None)
    pdf = client.get(f"/cards/{card.number}.pdf")  # type: ignore[union-attr]
    assert pdf.status_code == 200
    assert b"/MediaBox [ 0 0 242.6457 153.0142 ]" in pdf.data  # 85.6 x 53.98 mm
