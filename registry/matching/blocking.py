"""Blocking: which pairs get compared at all, so that work grows with the data, not its square.

A pair is compared when it shares one of these keys (the union of the rules):
- both phonetic name keys (in either order), birth years at most one apart;
- either name key matching either name key (a swapped order with a typo in one name), birth
  years one apart, within the same community;
- phone; national ID; full birth date within the same community.
Files with no community (FEBRL) treat the whole file as one. Birth years one apart are found
by grouping on (key, year) and pairing each year's group with the next year's, so a block never
holds more than one or two years of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterator

from registry.matching.records import MatchRecord

# A block this large is a key with no power to separate people (a placeholder phone, say):
# it is skipped and counted, never compared pairwise.
MAX_BLOCK = 400

KeyFn = Callable[[MatchRecord], list[Hashable]]


def _names(r: MatchRecord) -> list[Hashable]:
    if not r.given_key or not r.family_key:
        return []
    return [("names", *sorted((r.given_key, r.family_key)))]


def _any_name(r: MatchRecord) -> list[Hashable]:
    keys = {k for k in (r.given_key, r.family_key) if k}
    return [("name", r.block_area, k) for k in keys]


def _phone(r: MatchRecord) -> list[Hashable]:
    return [("phone", r.phone)] if r.phone else []


def _national_id(r: MatchRecord) -> list[Hashable]:
    return [("nid", r.national_id)] if r.national_id else []


def _birth_date(r: MatchRecord) -> list[Hashable]:
    return [("date", r.block_area, r.birth)] if len(r.birth) == 8 else []


# (key, whether birth years must be at most one apart within the block)
RULES: tuple[tuple[KeyFn, bool], ...] = (
    (_names, True),
    (_any_name, True),
    (_phone, False),
    (_national_id, False),
    (_birth_date, False),
)


class BlockStats:
    def __init__(self) -> None:
        self.skipped_blocks = 0
        self.skipped_records = 0


def _within(members: list[int]) -> Iterator[tuple[int, int]]:
    for pos, i in enumerate(members):
        for j in members[pos + 1 :]:
            yield i, j


def _blocks(
    records: list[MatchRecord], key_fn: KeyFn, year_window: bool
) -> dict[Hashable, list[int]]:
    blocks: dict[Hashable, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        for key in key_fn(record):
            blocks[(key, record.year) if year_window else key].append(index)
    return blocks


def _rule_pairs(
    records: list[MatchRecord], key_fn: KeyFn, year_window: bool, stats: BlockStats | None
) -> Iterator[tuple[int, int]]:
    blocks = _blocks(records, key_fn, year_window)
    for block_key, members in blocks.items():
        if len(members) > MAX_BLOCK:
            if stats is not None:
                stats.skipped_blocks += 1
                stats.skipped_records += len(members)
            continue
        yield from _within(members)
        if year_window:
            key, year = block_key  # type: ignore[misc]
            if year is None:
                continue
            following = blocks.get((key, year + 1), ())
            if len(following) <= MAX_BLOCK:
                for i in members:
                    for j in following:
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
        for i, j in _rule_pairs(records, key_fn, year_window, stats):
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
