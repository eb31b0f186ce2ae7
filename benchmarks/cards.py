"""Card rendering speed: Kinga's sign + QR + PNG beside the bare `qrcode` package, and a
10,000-card PDF. Run: .venv/bin/python -m benchmarks.cards [--cards 10000] [--png 300]

Targets (issue 8): signing and layout cost at most 2x the bare QR generation; 10,000 cards
in one PDF within 2 minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import qrcode
from qrcode.constants import ERROR_CORRECT_Q

from benchmarks.report import write_section
from registry.cards.faces import CardFace, labels_in
from registry.cards.holders import new_holder_ref
from registry.cards.keys import Keyring, SigningKey
from registry.cards.payload import CardClaims, sign_claims
from registry.cards.pdf import write_sheets
from registry.cards.png import card_png
from registry.cards.qr import qr_image
from registry.numbers import random_number

PROGRAMS = ("CG", "FB")


def _claims(count: int) -> list[CardClaims]:
    now = datetime.now(UTC).replace(microsecond=0)
    return [
        CardClaims(
            card_number=random_number(12),
            holder_ref=new_holder_ref(),
            area_code="KG-PW-01-03",
            programs=PROGRAMS,
            issued_at=now,
            expires_at=now + timedelta(days=1095),
            initials="AO",
            birth_year=1980,
        )
        for _ in range(count)
    ]


def _face(claims: CardClaims, payload: str) -> CardFace:
    return CardFace(
        number=claims.card_number,
        holder_name="Amina Wanjiru Otieno",
        area_name="Mtwapa",
        programs=claims.programs,
        issued=claims.issued_at.date(),
        expires=claims.expires_at.date(),
        payload=payload,
        language="en",
        labels=labels_in("en"),
    )


def bare_qrcode_png(payloads: list[str]) -> float:
    """The `qrcode` package alone: the same payloads, level Q, PNG bytes. CPU seconds."""
    started = time.process_time()
    for payload in payloads:
        code = qrcode.QRCode(error_correction=ERROR_CORRECT_Q, box_size=8, border=4)
        code.add_data(payload)
        code.make(fit=True)
        code.make_image().save(io.BytesIO())
    return time.process_time() - started


def kinga_qr_png(claims: list[CardClaims], key: SigningKey) -> tuple[float, list[str]]:
    """Sign each card, make its QR and PNG (same size as above). CPU seconds, payloads."""
    payloads = []
    started = time.process_time()
    for item in claims:
        payload = sign_claims(item, key)
        qr_image(payload, module_pixels=8).save(io.BytesIO(), "PNG")
        payloads.append(payload)
    return time.process_time() - started, payloads


def card_faces_png(claims: list[CardClaims], payloads: list[str]) -> float:
    started = time.process_time()
    for item, payload in zip(claims, payloads, strict=True):
        card_png(_face(item, payload))
    return time.process_time() - started


def _cpu() -> float:
    """CPU seconds of this process and its finished children: what load on a shared machine
    does not inflate."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pdf_seconds(count: int, key: SigningKey, out: Path, workers: int = 1) -> tuple[float, float]:
    """Wall and CPU seconds to sign `count` cards and lay them out in one PDF."""
    claims = _claims(count)
    started, cpu = time.perf_counter(), _cpu()
    faces = (_face(item, sign_claims(item, key)) for item in claims)
    with out.open("wb") as handle:
        write_sheets(faces, handle, workers=workers)
    return time.perf_counter() - started, _cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--png", type=int, default=300, help="cards for the PNG comparison")
    parser.add_argument("--cards", type=int, default=10_000, help="cards in the PDF")
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument("--parallel", action="store_true", help="also time the multi-process PDF")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        ring = Keyring(Path(tmp) / "keys")
        ring.rotate()
        key = ring.signing_key()
        claims = _claims(args.png)
        kinga_s, payloads = kinga_qr_png(claims, key)
        bare_s = bare_qrcode_png(payloads)
        faces_s = card_faces_png(claims, payloads)
        pdf_path = Path(tmp) / "cards.pdf"
        pdf_s, pdf_cpu = pdf_seconds(args.cards, key, pdf_path)
        pdf_mb = pdf_path.stat().st_size / 1e6
        workers = os.cpu_count() or 1
        parallel = pdf_seconds(args.cards, key, pdf_path, workers) if args.parallel else None
    ratio = kinga_s / bare_s
    rows = [
        ("bare `qrcode` (level Q, PNG)", f"{args.png / bare_s:.0f} cards/s", "baseline"),
        (
            "Kinga: sign + QR + PNG",
            f"{args.png / kinga_s:.0f} cards/s",
            f"{ratio:.2f}x the bare time (target <= 2x)",
        ),
        ("Kinga: whole card face PNG (1011x638)", f"{args.png / faces_s:.0f} cards/s", ""),
        (
            f"Kinga: {args.cards:,} cards signed into one A4 PDF",
            f"{pdf_cpu:.1f} s of CPU, {pdf_s:.1f} s wall ({pdf_mb:.1f} MB)",
            "target <= 120 s for 10,000",
        ),
    ]
    if parallel:
        rows.append(
            (
                f"the same with QR codes made in {workers} processes (`kinga cards print`)",
                f"{parallel[1]:.1f} s of CPU, {parallel[0]:.1f} s wall",
                "",
            )
        )
    table = "| what | speed | note |\n| --- | --- | --- |\n" + "\n".join(
        f"| {a} | {b} | {c} |" for a, b, c in rows
    )
    load = os.getloadavg()[0]
    body = (
        f"{table}\n\nSpeeds are per CPU second of one process (`process_time`, `getrusage`), "
        "so that other work on this shared machine does not distort them; wall time depends "
        f"on that load: the load average was {load:.1f} on {os.cpu_count()} cores when the run "
        "ended. "
        f"Same payloads for both QR rows (about {len(payloads[0])} characters, "
        "QR version 11-12 at level Q). Kinga makes the same symbols as `qrcode` (same mask "
        "choice) but scores the eight masks with numpy and places the data once; the PDF "
        "draws each QR as one vector path."
    )
    print(body)
    if not args.no_report:
        write_section("cards", "Cards: QR, PNG and PDF", body)


if __name__ == "__main__":
    main()
