"""Linking or deduplicating lists of records with one model: block, compare, score."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from registry.matching.blocking import BlockStats, candidate_pairs
from registry.matching.model import MATCH_THRESHOLD, Model, level_matrix
from registry.matching.records import MatchRecord


@dataclass(frozen=True)
class ScoredPair:
    a: MatchRecord
    b: MatchRecord
    score: float
    levels: tuple[int, ...]


def find_matches(
    model: Model,
    records: list[MatchRecord],
    *,
    sides: list[int] | None = None,
    threshold: float = MATCH_THRESHOLD,
    stats: BlockStats | None = None,
    chunk: int = 200_000,
) -> list[ScoredPair]:
    """Pairs judged a match, best first. With `sides`, only pairs across the two lists."""
    comparisons = model.comparison_objects()
    pairs = sorted(candidate_pairs(records, sides=sides, stats=stats))
    found: list[ScoredPair] = []
    for start in range(0, len(pairs), chunk):
        part = pairs[start : start + chunk]
        levels = level_matrix(comparisons, records, part)
        scores = model.score_levels(levels)
        for row in np.nonzero(scores >= threshold)[0]:
            i, j = part[row]
            found.append(
                ScoredPair(records[i], records[j], float(scores[row]), tuple(levels[row].tolist()))
            )
    found.sort(key=lambda p: -p.score)
    return found
