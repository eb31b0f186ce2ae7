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


def pdf_fonts() -> tuple[str, str]:
    """Registers DejaVu Sans with reportlab once; Helvetica when it is not installed."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    regular, bold = font_file(False), font_file(True)
    if regular is None or bold is None:
        return "Helvetica", "Helvetica-Bold"
    if "KingaSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("KingaSans", str(regular)))
        pdfmetrics.registerFont(TTFont("KingaSans-Bold", str(bold)))
    return "KingaSans", "KingaSans-Bold"
