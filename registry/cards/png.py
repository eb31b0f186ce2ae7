"""A card face as a PNG image (for the desk preview and for sending by message)."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw, ImageFont, features

from registry.cards.faces import CardFace
from registry.cards.fonts import font_file, visual
from registry.cards.qr import qr_image

# ID-1 (85.6 x 53.98 mm) at 300 dots per inch.
WIDTH, HEIGHT = 1011, 638
INK = (20, 20, 20)
BAND = (14, 90, 71)


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = font_file(bold)
    if path is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(path), size)


TEXT_WIDTH = 570  # left of the QR code
# With libraqm, Pillow shapes Arabic and orders right-to-left text itself.
_SHAPES_TEXT = bool(features.check("raqm"))


def _shaped(text: str) -> str:
    return text if _SHAPES_TEXT else visual(text)


def _fit(
    draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont | ImageFont.ImageFont
) -> str:
    """The text, shortened with an ellipsis until it stays clear of the QR code."""
    if draw.textlength(_shaped(text), font=font) <= TEXT_WIDTH:
        return _shaped(text)
    while text and draw.textlength(_shaped(text + "…"), font=font) > TEXT_WIDTH:
        text = text[:-1]
    return _shaped(text + "…")


def card_image(face: CardFace) -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 86), fill=BAND)
    draw.text((36, 20), "Kinga", font=_font(40, bold=True), fill="white")
    draw.text((220, 30), _shaped(face.labels["title"]), font=_font(30), fill="white")
    qr = qr_image(face.payload, module_pixels=5)
    image.paste(qr, (WIDTH - qr.width - 20, 96))
    small, value = _font(22), _font(30, bold=True)
    y = 110
    name_font = _font(36, bold=True)
    draw.text((36, y), _fit(draw, face.holder_name, name_font), font=name_font, fill=INK)
    y += 62
    for label, text in (
        (face.labels["area"], face.area_name),
        (face.labels["programs"], face.programs_text),
        (face.labels["issued"], face.issued.isoformat()),
        (face.labels["expires"], face.expires.isoformat()),
    ):
        draw.text((36, y), _shaped(label), font=small, fill=(90, 90, 90))
        draw.text((36, y + 24), _fit(draw, text, value), font=value, fill=INK)
        y += 78
    draw.text((36, HEIGHT - 64), face.grouped_number, font=_font(48, bold=True), fill=INK)
    return image


def card_png(face: CardFace) -> bytes:
    buffer = io.BytesIO()
    card_image(face).save(buffer, "PNG", optimize=False)
    return buffer.getvalue()
