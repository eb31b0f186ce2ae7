"""Overlap between two registries without sharing names: keyed tokens and their comparison.

Each side writes a token file with a key both agreed (`kinga overlap tokens`):
- a person with a national ID: HMAC-SHA256 of the normalised ID (kind `id`);
- a person without: a cryptographic long-term key (CLK, Schnell et al. 2011), a 1024-bit
  Bloom filter of the bigrams of given and family name, the birth year and the area, each
  element set at 20 positions derived by double hashing with two HMAC keys (kind `clk`).
Neither can be reversed or recomputed without the key; a different key gives unrelated tokens.
Compare (`kinga overlap compare`) matches IDs exactly and CLKs by Dice similarity within the
same area, then counts people and households in both by program and area. Cells under
SMALL_CELL are suppressed; no name, number or phone is ever printed.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.areas.models import Area
from registry.households.models import Household, Person
from registry.privacy.models import PrivacyErasure
from registry.programs.models import Enrollment, EnrollmentStatus, Program

BITS = 1024
HASHES = 20
YEAR_WEIGHT = 4
THRESHOLD = 0.85
SMALL_CELL = 5
MIN_KEY_BYTES = 32
COLUMNS = ("kind", "token", "household", "area", "programs")


class OverlapError(Exception):
    pass


@dataclass(frozen=True)
class PersonRow:
    household: str  # the local household number (never written out)
    national_id: str | None
    given_name: str
    family_name: str
    birth_year: int
    area: str  # region code, shared between ministries
    programs: tuple[str, ...] = ()


@dataclass(frozen=True)
class Token:
    kind: str  # id | clk
    token: str
    household: str  # keyed token of the household: groups people, reveals nothing
    area: str
    programs: tuple[str, ...]


def read_key(path: Path) -> bytes:
    key = path.read_bytes().strip()
    if len(key) < MIN_KEY_BYTES:
        raise OverlapError(f"{path}: the key must hold at least {MIN_KEY_BYTES} bytes")
    return key


def _derive(key: bytes, label: str) -> bytes:
    return hmac.new(key, b"kinga-overlap/" + label.encode(), hashlib.sha256).digest()


def normalise_id(value: str) -> str:
    return "".join(c for c in value.upper() if c.isalnum())


def normalise_name(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.lower())
    return "".join(c for c in decomposed if c.isalpha())


def bigrams(value: str) -> set[str]:
    padded = f"_{value}_"
    return {padded[i : i + 2] for i in range(len(padded) - 1)}


class Encoder:
    def __init__(self, key: bytes) -> None:
        self.id_key = _derive(key, "id")
        self.household_key = _derive(key, "household")
        self.h1 = _derive(key, "clk1")
        self.h2 = _derive(key, "clk2")

    def id_token(self, national_id: str) -> str:
        return hmac.new(self.id_key, normalise_id(national_id).encode(), hashlib.sha256).hexdigest()

    def household_token(self, number: str) -> str:
        return hmac.new(self.household_key, number.encode(), hashlib.sha256).hexdigest()[:24]

    def clk(self, row: PersonRow) -> bytes:
        grams = {f"g:{g}" for g in bigrams(normalise_name(row.given_name))}
        grams |= {f"f:{g}" for g in bigrams(normalise_name(row.family_name))}
        # the year whole, weighted like a short name: a different year is a different person
        grams |= {f"y{j}:{row.birth_year}" for j in range(YEAR_WEIGHT)}
        grams.add(f"a:{row.area}")
        bits = bytearray(BITS // 8)
        for gram in grams:
            one = int.from_bytes(hmac.new(self.h1, gram.encode(), hashlib.sha256).digest()[:8])
            two = int.from_bytes(hmac.new(self.h2, gram.encode(), hashlib.sha256).digest()[:8])
            for i in range(HASHES):
                position = (one + i * two) % BITS
                bits[position // 8] |= 1 << (position % 8)
        return bytes(bits)

    def token(self, row: PersonRow) -> Token:
        household = self.household_token(row.household)
        if row.national_id and normalise_id(row.national_id):
            return Token("id", self.id_token(row.national_id), household, row.area, row.programs)
        clk = base64.b64encode(self.clk(row)).decode()
        return Token("clk", clk, household, row.area, row.programs)


def registry_rows(session: Session) -> Iterator[PersonRow]:
    """Every person of the registry (erased households excluded), with region and programs."""
    regions = {a.id: a for a in session.scalars(select(Area))}
    enrolled: dict[int, list[str]] = {}
    for household_id, code in session.execute(
        select(Enrollment.household_id, Program.code)
        .join(Program, Program.id == Enrollment.program_id)
        .where(Enrollment.status == EnrollmentStatus.ENROLLED)
    ):
        enrolled.setdefault(household_id, []).append(code)
    erased = select(PrivacyErasure.household_id)
    stmt = (
        select(Person, Household.number, Household.area_id, Household.id)
        .join(Household, Household.id == Person.household_id)
        .where(Household.id.not_in(erased))
        .order_by(Person.id)
    )
    for person, number, area_id, household_id in session.execute(stmt).yield_per(1000):
        yield PersonRow(
            household=number,
            national_id=person.national_id,
            given_name=person.given_name,
            family_name=person.family_name,
            birth_year=person.birth_year,
            area=_region(regions, area_id),
            programs=tuple(sorted(enrolled.get(household_id, []))),
        )


def _region(areas: dict[int, Area], area_id: int) -> str:
    area = areas[area_id]
    while area.parent_id is not None and area.level > 1:
        area = areas[area.parent_id]
    return area.code


def write_tokens(rows: Iterable[PersonRow], key: bytes, out: Path) -> int:
    encoder = Encoder(key)
    count = 0
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for row in rows:
            t = encoder.token(row)
            writer.writerow([t.kind, t.token, t.household, t.area, "|".join(t.programs)])
            count += 1
    return count


def read_tokens(path: Path) -> list[Token]:
    with path.open(newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise OverlapError(f"{path}: line 1: the columns must be {', '.join(COLUMNS)}")
        tokens = []
        for line, row in enumerate(reader, start=2):
            if row["kind"] not in ("id", "clk") or not row["token"]:
                raise OverlapError(f"{path}: line {line}: unknown kind or empty token")
            programs = tuple(p for p in (row["programs"] or "").split("|") if p)
            tokens.append(Token(row["kind"], row["token"], row["household"], row["area"], programs))
    return tokens


def dice(a: bytes, b: bytes) -> float:
    ones_a = int.from_bytes(a).bit_count()
    ones_b = int.from_bytes(b).bit_count()
    both = (int.from_bytes(a) & int.from_bytes(b)).bit_count()
    return 2 * both / (ones_a + ones_b) if ones_a + ones_b else 0.0


@dataclass(frozen=True)
class OverlapReport:
    people: int
    households: int
    by_cell: dict[tuple[str, str], tuple[int, int]]  # (program, area) -> (people, households)

    def suppressed(self, value: int) -> str:
        return str(value) if value == 0 or value >= SMALL_CELL else f"<{SMALL_CELL}"


def compare(ours: list[Token], theirs: list[Token], threshold: float = THRESHOLD) -> OverlapReport:
    """Which of OUR people also appear in THEIR file; counted by our programs and areas."""
    their_ids = {t.token for t in theirs if t.kind == "id"}
    their_clks: dict[str, list[bytes]] = {}
    for t in theirs:
        if t.kind == "clk":
            their_clks.setdefault(t.area, []).append(base64.b64decode(t.token))
    matched: list[Token] = []
    for token in ours:
        if token.kind == "id":
            if token.token in their_ids:
                matched.append(token)
            continue
        mine = base64.b64decode(token.token)
        if any(dice(mine, other) >= threshold for other in their_clks.get(token.area, [])):
            matched.append(token)
    people: Counter[tuple[str, str]] = Counter()
    households: dict[tuple[str, str], set[str]] = {}
    for token in matched:
        for program in token.programs or ("(none)",):
            for cell in ((program, token.area), (program, "*"), ("*", token.area)):
                people[cell] += 1
                households.setdefault(cell, set()).add(token.household)
    all_households = {t.household for t in matched}
    cells = {
        cell: (people[cell] if cell[0] != "*" else _unique(matched, cell), len(households[cell]))
        for cell in households
    }
    return OverlapReport(people=len(matched), households=len(all_households), by_cell=cells)


def _unique(matched: list[Token], cell: tuple[str, str]) -> int:
    """People in an all-programs cell, each counted once whatever their programs."""
    return sum(1 for t in matched if cell[1] == "*" or t.area == cell[1])


def report_lines(report: OverlapReport) -> list[str]:
    s = report.suppressed
    lines = [
        f"people in both: {s(report.people)}",
        f"households in both: {s(report.households)}",
        "program\tarea\tpeople\thouseholds",
    ]
    for (program, area), (people, households) in sorted(report.by_cell.items()):
        lines.append(f"{program}\t{area}\t{s(people)}\t{s(households)}")
    return lines
