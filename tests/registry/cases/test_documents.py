"""Documents: real images only (checked with Pillow), size and pixels capped."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from registry.cases.documents import MAX_BYTES, check_image
from registry.errors import InvalidInput


def _image(fmt: str, size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "kind"), [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")]
)
def test_photos_are_accepted(fmt: str, kind: str) -> None:
    assert check_image(_image(fmt)) == (kind, 40, 30)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"#!/bin/sh\nrm -rf /\n",
        _image("PNG")[:40],  # truncated
        _image("GIF"),  # not a format we keep
        b"\x00" * (MAX_BYTES + 1),
        _image("PNG", (6000, 5000)),  # 30 megapixels
    ],
)
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput):
        check_image(data)
