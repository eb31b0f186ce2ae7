"""The fullest card still fits a version-12 QR at level Q, and still reads back."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pytest
from sqlalchemy.orm import Session

from registry.cards import service
from registry.cards.faces import card_face
from registry.cards.keys import Keyring
from registry.cards.payload import read_claims
from registry.cards.png import card_png
from registry.cards.qr import MAX_VERSION, qr_code
from registry.cards.verify import MAX_PAYLOAD_CHARS
from registry.errors import Conflict
from registry.origin import Origin
from tests.cards.conftest import decode_qr_codes
from tests.factories import community, make_household

LONGEST = "W" * 120  # the longest given and family names the registry stores


def test_longest_name_and_most_programs_fit_version_12(
    db_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    codes = [f"PRG{i:03d}"[:6] for i in range(10)]
    monkeypatch.setattr(service, "program_codes", lambda _session, _household: codes)
    household = make_household(
        db_session, community(db_session), head_name=LONGEST, family_name=LONGEST
    )
    card = service.issue_card(
        db_session, household, origin=Origin.system("t"), keyring=Keyring(tmp_path / "k")
    )
    claims = read_claims(card.payload)
    assert len(claims.programs) == service.MAX_CARD_PROGRAMS
    assert claims.initials == "WW" and claims.birth_year == 1980
    assert len(card.payload) <= MAX_PAYLOAD_CHARS
    code = qr_code(card.payload)
    assert code.version <= MAX_VERSION and code.error_correction == 3  # ERROR_CORRECT_Q
    png = card_png(card_face(card))
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    assert decode_qr_codes(image) == {card.payload}
    sheet = io.BytesIO()
    from registry.cards.pdf import write_sheets

    write_sheets([card_face(card)], sheet)
    assert sheet.getvalue().startswith(b"%PDF")


def test_content_that_cannot_fit_is_refused(
    db_session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "program_codes", lambda _s, _h: ["X" * 32] * 6)
    household = make_household(db_session, community(db_session))
    with pytest.raises(Conflict):
        service.issue_card(
            db_session, household, origin=Origin.system("t"), keyring=Keyring(tmp_path / "k")
        )
