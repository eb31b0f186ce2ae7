"""Printable cards: one ID-1 card per page, or A4 sheets of ten with cut marks.

The QR is drawn as vector runs (one filled path per card), which keeps it sharp at any
printer resolution and costs far less than embedding an image per card.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from registry.cards.faces import CardFace
from registry.cards.fonts import pdf_fonts, visual
from registry.cards.qr import QUIET_ZONE, dark_runs, qr_matrix

# Binary (zlib) content streams: reportlab's ASCII85 wrapping is pure Python and took a fifth
# of the time of a large print run, for a file 25% larger.
rl_config.useA85 = 0

CARD_W, CARD_H = 85.6 * mm, 53.98 * mm
COLUMNS, ROWS = 2, 5
SHEET_MARGIN_X = (A4[0] - COLUMNS * CARD_W) / 2
SHEET_MARGIN_Y = (A4[1] - ROWS * CARD_H) / 2
QR_SIZE = 33 * mm
BAND_H = 8 * mm
CUT_MARK = 4 * mm
BATCH = 400  # cards whose QR codes are made together when printing with several processes


def _fonts() -> tuple[str, str]:
    return pdf_fonts()


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    if canvas.stringWidth(visual(text), font, size) <= width:
        return visual(text)
    while text and canvas.stringWidth(visual(text + "…"), font, size) > width:
        text = text[:-1]
    return visual(text + "…")


def qr_path(payload: str) -> tuple[int, str]:
    """The QR as PDF path operators in module units: (modules with quiet zone, operators)."""
    modules = qr_matrix(payload)
    top = len(modules) + QUIET_ZONE
    ops = "\n".join(
        f"{col + QUIET_ZONE} {top - row - 1} {length} 1 re"
        for row, col, length in dark_runs(modules)
    )
    return len(modules) + 2 * QUIET_ZONE, ops


def _draw_qr(canvas: Canvas, path: tuple[int, str], x: float, y: float) -> None:
    count, ops = path
    scale = QR_SIZE / count
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.addLiteral(f"q {scale:.5f} 0 0 {scale:.5f} {x:.3f} {y:.3f} cm\n{ops}\nf Q")
    canvas.restoreState()


def draw_card(
    canvas: Canvas, face: CardFace, x: float, y: float, path: tuple[int, str] | None = None
) -> None:
    """One card with its lower left corner at (x, y); `path` is its QR when made already."""
    regular, bold = _fonts()
    canvas.setStrokeColorRGB(0.75, 0.75, 0.75)
    canvas.setLineWidth(0.3)
    canvas.roundRect(x, y, CARD_W, CARD_H, 3 * mm, stroke=1, fill=0)
    canvas.setFillColorRGB(0.055, 0.353, 0.278)
    canvas.rect(x, y + CARD_H - BAND_H, CARD_W, BAND_H, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont(bold, 11)
    canvas.drawString(x + 4 * mm, y + CARD_H - 5.6 * mm, "Kinga")
    canvas.setFont(regular, 8)
    canvas.drawString(x + 20 * mm, y + CARD_H - 5.4 * mm, visual(face.labels["title"]))
    qr = path or qr_path(face.payload)
    _draw_qr(canvas, qr, x + CARD_W - QR_SIZE - 1.5 * mm, y + 9 * mm)
    text_w = CARD_W - QR_SIZE - 6 * mm
    canvas.setFillColorRGB(0.08, 0.08, 0.08)
    canvas.setFont(bold, 10)
    canvas.drawString(
        x + 4 * mm, y + CARD_H - 14 * mm, _fit(canvas, face.holder_name, bold, 10, text_w)
    )
    line_y = y + CARD_H - 19.5 * mm
    for label, value in (
        (face.labels["area"], face.area_name),
        (face.labels["programs"], face.programs_text),
        (f"{face.labels['issued']} / {face.labels['expires']}", f"{face.issued} / {face.expires}"),
    ):
        canvas.setFont(regular, 5.5)
        canvas.setFillColorRGB(0.4, 0.4, 0.4)
        canvas.drawString(x + 4 * mm, line_y, visual(label))
        canvas.setFont(bold, 7.5)
        canvas.setFillColorRGB(0.08, 0.08, 0.08)
        canvas.drawString(x + 4 * mm, line_y - 3 * mm, _fit(canvas, value, bold, 7.5, text_w))
        line_y -= 7.5 * mm
    canvas.setFont(regular, 5.5)
    canvas.drawString(x + 4 * mm, y + 8.6 * mm, visual(face.labels["number"]))
    canvas.setFont(bold, 15)
    canvas.drawString(x + 4 * mm, y + 3 * mm, face.grouped_number)


def _cut_marks(canvas: Canvas) -> None:
    canvas.setStrokeColorRGB(0, 0, 0)
    canvas.setLineWidth(0.25)
    xs = [SHEET_MARGIN_X + c * CARD_W for c in range(COLUMNS + 1)]
    ys = [SHEET_MARGIN_Y + r * CARD_H for r in range(ROWS + 1)]
    for x in xs:
        canvas.line(x, ys[0] - CUT_MARK - 1 * mm, x, ys[0] - 1 * mm)
        canvas.line(x, ys[-1] + 1 * mm, x, ys[-1] + CUT_MARK + 1 * mm)
    for y in ys:
        canvas.line(xs[0] - CUT_MARK - 1 * mm, y, xs[0] - 1 * mm, y)
        canvas.line(xs[-1] + 1 * mm, y, xs[-1] + CUT_MARK + 1 * mm, y)


def _with_paths(
    faces: Iterable[CardFace], workers: int
) -> Iterator[tuple[CardFace, tuple[int, str] | None]]:
    """Faces with their QR paths made by `workers` processes (QR making is most of the work)."""
    if workers <= 1:
        yield from ((face, None) for face in faces)
        return
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        iterator = iter(faces)
        while chunk := list(islice(iterator, BATCH)):
            paths = pool.map(qr_path, [face.payload for face in chunk], chunksize=32)
            yield from zip(chunk, paths, strict=True)


def write_sheets(
    faces: Iterable[CardFace],
    out: BinaryIO,
    *,
    progress: Callable[[int], object] | None = None,
    workers: int = 1,
) -> int:
    """A4 pages of ten cards (two columns, five rows) with cut marks; returns the card count.

    `workers` > 1 makes the QR codes in that many processes (for print runs from the CLI; a
    web request keeps to one).
    """
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle("Kinga cards")
    count = 0
    for face, path in _with_paths(faces, workers):
        slot = count % (COLUMNS * ROWS)
        if slot == 0 and count:
            canvas.showPage()
        if slot == 0:
            _cut_marks(canvas)
        row, column = divmod(slot, COLUMNS)
        x = SHEET_MARGIN_X + column * CARD_W
        y = A4[1] - SHEET_MARGIN_Y - (row + 1) * CARD_H
        draw_card(canvas, face, x, y, path)
        count += 1
        if progress:
            progress(1)
    if count == 0:
        canvas.drawString(SHEET_MARGIN_X, A4[1] / 2, "-")
    canvas.save()
    return count


def write_single(face: CardFace, out: BinaryIO) -> None:
    """One card on a page of its own size, for card printers."""
    canvas = Canvas(out, pagesize=(CARD_W, CARD_H))
    canvas.setTitle(f"Kinga card {face.number}")
    draw_card(canvas, face, 0, 0)
    canvas.save()
