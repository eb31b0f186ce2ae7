"""Blocking: which pairs get compared at all, so that work grows with the data, not its square.

A pair is compared when it shares one of these keys (the union of the rules):
- both phonetic name keys (in either order), birth years at most one apart;
- family name key and birth year (one apart), within the same district;
- given name key and birth year (one apart), within the same district;
- phone; national ID; full birth date within the same district.
Files with no district (FEBRL) treat the whole file as one district.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator

from registry.matching.records import MatchRecord

# A block this large is a key with no power to separate people (a placeholder phone, say):
# it is skipped and counted, never compared pairwise.
MAX_BLOCK = 400

KeyFn = Callable[[MatchRecord], Hashable | None]


def _names(r: MatchRecord) -> Hashable | None:
    if not r.given_key or not r.family_key:
        return None
    return ("names", *sorted((r.given_key, r.family_key)))


def _family(r: MatchRecord) -> Hashable | None:
    return ("family", r.district, r.family_key) if r.family_key else None


def _given(r: MatchRecord) -> Hashable | None:
    return ("given", r.district, r.given_key) if r.given_key else None


def _phone(r: MatchRecord) -> Hashable | None:
    return ("phone", r.phone) if r.phone else None


def _national_id(r: MatchRecord) -> Hashable | None:
    return ("nid", r.national_id) if r.national_id else None


def _birth_date(r: MatchRecord) -> Hashable | None:
    return ("date", r.district, r.birth) if len(r.birth) == 8 else None


# (key, whether birth years must be at most one apart within the block)
RULES: tuple[tuple[KeyFn, bool], ...] = (
    (_names, True),
    (_family, True),
    (_given, True),
    (_phone, False),
    (_national_id, False),
    (_birth_date, False),
)


class BlockStats:
    def __init__(self) -> None:
        self.skipped_blocks = 0
        self.skipped_records = 0


def _by_year(members: list[int], records: list[MatchRecord]) -> Iterator[tuple[int, int]]:
    years: dict[int | None, list[int]] = defaultdict(list)
    for index in members:
        years[records[index].year].append(index)
    for year, here in years.items():
        for pos, i in enumerate(here):
            for j in here[pos + 1 :]:
                yield i, j
        if year is not None:
            for i in here:
                for j in years.get(year + 1, ()):
                    yield i, j


def candidate_pairs(
    records: list[MatchRecord],
    *,
    sides: list[int] | None = None,
    skip_same_household: bool = True,
    stats: BlockStats | None = None,
) -> set[tuple[int, int]]:
    """Index pairs (i < j) to compare. With `sides` (0/1 per record) only pairs across sides,
    as when linking two files."""
    pairs: set[tuple[int, int]] = set()
    for key_fn, year_window in RULES:
        blocks: dict[Hashable, list[int]] = defaultdict(list)
        for index, record in enumerate(records):
            key = key_fn(record)
            if key is not None:
                blocks[key].append(index)
        for members in blocks.values():
            if len(members) < 2:
                continue
            if len(members) > MAX_BLOCK:
                if stats is not None:
                    stats.skipped_blocks += 1
                    stats.skipped_records += len(members)
                continue
            if year_window:
                found: Iterator[tuple[int, int]] = _by_year(members, records)
            else:
                found = ((members[p], j) for p in range(len(members)) for j in members[p + 1 :])
            for i, j in found:
                if i > j:
                    i, j = j, i
                if sides is not None and sides[i] == sides[j]:
                    continue
                if (
                    skip_same_household
                    and records[i].household
                    and (records[i].household == records[j].household)
                ):
                    continue
                pairs.add((i, j))
    return pairs
