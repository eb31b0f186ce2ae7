"""Fonts for printed cards: DejaVu Sans when installed (Latin, Arabic glyphs), else built-ins."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


@lru_cache(maxsize=4)
def font_file(bold: bool = False) -> Path | None:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for directory in FONT_DIRS:
        if (directory / name).exists():
            return directory / name
    return None


def visual(text: str) -> str:
    """Text as a left-to-right drawing API must receive it: Arabic letters joined (shaped)
    and right-to-left runs put in display order. Other text is returned unchanged."""
    if not any("\u0590" <= char <= "\u08ff" for char in text):
        return text
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(text)))
