"""Our fast QR path must make exactly the symbols the `qrcode` package makes."""

from __future__ import annotations

import random

import base45
import numpy as np
import qrcode
from qrcode import util
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_Q

from registry.cards.masks import FastQRCode, penalties
from registry.cards.qr_data import create_data, fit_version


def _payloads(count: int) -> list[str]:
    rng = random.Random(8)
    return [
        "KG1:" + base45.b45encode(rng.randbytes(rng.randint(1, 300))).decode() for _ in range(count)
    ]


def test_same_symbols_as_qrcode() -> None:
    for payload in _payloads(40):
        for level in (ERROR_CORRECT_L, ERROR_CORRECT_Q, ERROR_CORRECT_H):
            bare = qrcode.QRCode(error_correction=level)
            bare.add_data(payload)
            bare.make(fit=True)
            fast = FastQRCode(error_correction=level)
            fast.add_data(payload)
            fast.make(fit=True)
            assert (fast.version, fast.modules) == (bare.version, bare.modules)


def test_codewords_and_version_match_qrcode() -> None:
    for payload in _payloads(40):
        bare = qrcode.QRCode(error_correction=ERROR_CORRECT_Q)
        bare.add_data(payload)
        bare.best_fit()
        assert fit_version(payload, ERROR_CORRECT_Q) == bare.version
        expected = util.create_data(bare.version, ERROR_CORRECT_Q, bare.data_list)
        assert create_data(payload, bare.version, ERROR_CORRECT_Q) == expected


def test_penalty_scores_match_qrcode() -> None:
    bare = qrcode.QRCode(error_correction=ERROR_CORRECT_Q)
    bare.add_data(_payloads(1)[0])
    bare.best_fit()
    for mask in range(8):
        bare.makeImpl(True, mask)
        assert penalties(np.array([bare.modules]))[0] == util.lost_point(bare.modules)


def test_other_data_falls_back_to_the_package() -> None:
    fast = FastQRCode(error_correction=ERROR_CORRECT_Q)
    fast.add_data("lower case and bytes: é")
    fast.make(fit=True)
    bare = qrcode.QRCode(error_correction=ERROR_CORRECT_Q)
    bare.add_data("lower case and bytes: é")
    bare.make(fit=True)
    assert fast.modules == bare.modules
