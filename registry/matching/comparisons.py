"""Comparison levels of a pair of records, one small integer per compared field.

Level -1 means "cannot say" (a value is missing) and carries no weight; 0 is disagreement and
higher levels are closer agreement. The model learns how often each level happens among true
matches (m) and among non-matches (u); the comparisons themselves hold no weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler

from registry.matching.normalize import luhn_valid
from registry.matching.records import MatchRecord

NULL = -1


@dataclass(frozen=True)
class Comparison:
    name: str
    levels: tuple[str, ...]  # plain-words label of each level, 0 = disagree
    compare: Callable[[MatchRecord, MatchRecord], int]
    present: Callable[[MatchRecord], bool]


def name_similarity(a: str, b: str) -> float:
    """Jaro-Winkler of folded names; a name of several words also matches on its best word
    (a missing or extra part), a little below a whole-name match."""
    if a == b:
        return 1.0
    score = JaroWinkler.similarity(a.replace(" ", ""), b.replace(" ", ""))
    if " " in a or " " in b:
        best = max(JaroWinkler.similarity(x, y) for x in a.split() for y in b.split())
        score = max(score, best - 0.03)
    return score


def _name_level(a: str, b: str, key_a: str, key_b: str) -> int:
    if not a or not b:
        return NULL
    if a == b:
        return 3
    score = name_similarity(a, b)
    if score >= 0.92 or (key_a == key_b and score >= 0.8):
        return 2
    if score >= 0.8:
        return 1
    return 0


def aligned_names(a: MatchRecord, b: MatchRecord) -> tuple[int, int, bool]:
    """Levels of (given, family), reading b's names in swapped order when that fits better."""
    straight = (
        _name_level(a.given, b.given, a.given_key, b.given_key),
        _name_level(a.family, b.family, a.family_key, b.family_key),
    )
    if a.given and a.family and b.given and b.family and straight[0] + straight[1] < 6:
        swapped = (
            _name_level(a.given, b.family, a.given_key, b.family_key),
            _name_level(a.family, b.given, a.family_key, b.given_key),
        )
        if swapped[0] + swapped[1] > straight[0] + straight[1] + 1:
            return swapped[0], swapped[1], True
    return straight[0], straight[1], False


def compare_given(a: MatchRecord, b: MatchRecord) -> int:
    return aligned_names(a, b)[0]


def compare_family(a: MatchRecord, b: MatchRecord) -> int:
    return aligned_names(a, b)[1]


def compare_birth(a: MatchRecord, b: MatchRecord) -> int:
    if not a.birth or not b.birth:
        return NULL
    if a.birth == b.birth and len(a.birth) == 8:
        return 4
    full = len(a.birth) == 8 and len(b.birth) == 8
    if full and DamerauLevenshtein.distance(a.birth, b.birth) <= 1:
        return 3
    if a.birth[:4] == b.birth[:4]:
        return 2
    if a.year is not None and b.year is not None and abs(a.year - b.year) == 1:
        return 1
    return 0


def compare_sex(a: MatchRecord, b: MatchRecord) -> int:
    if not a.sex or not b.sex:
        return NULL
    return 1 if a.sex == b.sex else 0


def compare_phone(a: MatchRecord, b: MatchRecord) -> int:
    if not a.phone or not b.phone:
        return NULL
    if a.phone == b.phone:
        return 2
    if a.phone[-9:] == b.phone[-9:] or DamerauLevenshtein.distance(a.phone, b.phone) <= 1:
        return 1
    return 0


def compare_national_id(a: MatchRecord, b: MatchRecord) -> int:
    """Exact, or one typo apart; two IDs that both pass the Luhn check are different IDs, not
    a typo of each other (a mistyped digit breaks the check)."""
    if not a.national_id or not b.national_id:
        return NULL
    if a.national_id == b.national_id:
        return 2
    if DamerauLevenshtein.distance(a.national_id, b.national_id) <= 1:
        both_checked = luhn_valid(a.national_id) and luhn_valid(b.national_id)
        return 0 if both_checked else 1
    return 0


def _text_level(a: str, b: str) -> int:
    if not a or not b:
        return NULL
    if a == b:
        return 2
    return 1 if JaroWinkler.similarity(a, b) >= 0.88 else 0


def compare_area(a: MatchRecord, b: MatchRecord) -> int:
    if a.district and b.district and a.area != b.area:
        return 1 if a.district == b.district else 0
    return _text_level(a.area, b.area)


def compare_address(a: MatchRecord, b: MatchRecord) -> int:
    return _text_level(a.address, b.address)


def compare_postcode(a: MatchRecord, b: MatchRecord) -> int:
    if not a.postcode or not b.postcode:
        return NULL
    if a.postcode == b.postcode:
        return 2
    return 1 if DamerauLevenshtein.distance(a.postcode, b.postcode) <= 1 else 0


COMPARISONS: tuple[Comparison, ...] = (
    Comparison(
        "given_name",
        ("different", "similar", "sounds alike", "same"),
        compare_given,
        lambda r: bool(r.given),
    ),
    Comparison(
        "family_name",
        ("different", "similar", "sounds alike", "same"),
        compare_family,
        lambda r: bool(r.family),
    ),
    Comparison(
        "birth",
        ("different", "year one apart", "same year", "date one digit apart", "same date"),
        compare_birth,
        lambda r: bool(r.birth),
    ),
    Comparison("sex", ("different", "same"), compare_sex, lambda r: bool(r.sex)),
    Comparison(
        "phone", ("different", "one digit apart", "same"), compare_phone, lambda r: bool(r.phone)
    ),
    Comparison(
        "national_id",
        ("different", "one digit apart", "same"),
        compare_national_id,
        lambda r: bool(r.national_id),
    ),
    Comparison("area", ("different", "nearby", "same"), compare_area, lambda r: bool(r.area)),
    Comparison(
        "address", ("different", "similar", "same"), compare_address, lambda r: bool(r.address)
    ),
    Comparison(
        "postcode",
        ("different", "one digit apart", "same"),
        compare_postcode,
        lambda r: bool(r.postcode),
    ),
)


def comparisons_for(records: list[MatchRecord]) -> tuple[Comparison, ...]:
    """The comparisons that some record can answer (FEBRL has no sex or phone, say)."""
    return tuple(c for c in COMPARISONS if any(c.present(r) for r in records[:5000]))


def compare_pair(comparisons: tuple[Comparison, ...], a: MatchRecord, b: MatchRecord) -> list[int]:
    given, family, _ = aligned_names(a, b)
    out = []
    for comparison in comparisons:
        if comparison.name == "given_name":
            out.append(given)
        elif comparison.name == "family_name":
            out.append(family)
        else:
            out.append(comparison.compare(a, b))
    return out
