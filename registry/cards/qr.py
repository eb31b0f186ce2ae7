"""The QR symbol of a card payload: error correction Q, version 12 at most."""

from __future__ import annotations

import numpy as np
import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_Q

from registry.cards.masks import FastQRCode

MAX_VERSION = 12
QUIET_ZONE = 4


class PayloadTooLarge(ValueError):
    pass


def qr_code(payload: str) -> qrcode.QRCode:
    """The same symbol the `qrcode` package makes, with the mask search done in numpy."""
    code = FastQRCode(error_correction=ERROR_CORRECT_Q, border=QUIET_ZONE)
    code.add_data(payload)
    code.make(fit=True)
    if code.version > MAX_VERSION:
        raise PayloadTooLarge(f"payload needs QR version {code.version} (> {MAX_VERSION})")
    return code


def qr_matrix(payload: str) -> list[list[bool]]:
    """Dark modules, quiet zone excluded."""
    return qr_code(payload).modules  # type: ignore[return-value]


def qr_image(payload: str, module_pixels: int = 8) -> Image.Image:
    """A black-on-white image with the quiet zone, `module_pixels` per module."""
    modules = np.array(qr_matrix(payload), dtype=bool)
    padded = np.pad(modules, QUIET_ZONE, constant_values=False)
    pixels = np.where(padded, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, mode="L")
    size = padded.shape[0] * module_pixels
    return image.resize((size, size), Image.Resampling.NEAREST)


def dark_runs(modules: list[list[bool]]) -> list[tuple[int, int, int]]:
    """Horizontal runs of dark modules as (row, start column, length): few shapes to draw."""
    grid = np.array(modules, dtype=np.int8)
    framed = np.zeros((grid.shape[0], grid.shape[1] + 2), dtype=np.int8)
    framed[:, 1:-1] = grid
    edges = np.diff(framed, axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    return list(zip(rows.tolist(), starts.tolist(), (ends - starts).tolist(), strict=True))
