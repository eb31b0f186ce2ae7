"""The Fellegi-Sunter model: m and u probabilities per comparison level, learned from data.

Training follows the usual recipe (as Splink does it): u, how often each level happens between
two people who are not the same, is counted on random pairs (almost all random pairs are
different people); m, how often it happens between records of one person, and the share of
matches among the blocked pairs, are found by expectation-maximisation on the blocked pairs
with u held fixed. Nothing here is set by hand.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from registry.matching.blocking import candidate_pairs
from registry.matching.comparisons import COMPARISONS, NULL, Comparison, compare_pair
from registry.matching.records import MatchRecord

# Posterior probability above which a pair is judged a match: the Bayes decision point, the
# same for every data set (not tuned to one).
MATCH_THRESHOLD = 0.5
U_SAMPLE_PAIRS = 200_000
EM_ITERATIONS = 40
SMOOTHING = 1.0


@dataclass
class Model:
    comparisons: tuple[str, ...]
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float  # share of matches among blocked pairs
    trained_on: dict[str, Any] = field(default_factory=dict)

    def comparison_objects(self) -> tuple[Comparison, ...]:
        by_name = {c.name: c for c in COMPARISONS}
        return tuple(by_name[name] for name in self.comparisons)

    def weights(self) -> list[np.ndarray]:
        """log2(m/u) per level of each comparison (the match weight of Fellegi and Sunter)."""
        return [
            np.log2(np.array(self.m[name]) / np.array(self.u[name])) for name in self.comparisons
        ]

    def score_levels(self, levels: np.ndarray) -> np.ndarray:
        """Match probability (0..1) of each row of comparison levels."""
        total = np.full(len(levels), math.log2(self.prior / (1 - self.prior)))
        for k, weight in enumerate(self.weights()):
            column = levels[:, k]
            known = column != NULL
            total[known] += weight[column[known]]
        return 1.0 / (1.0 + np.power(2.0, -total))

    def score(self, a: MatchRecord, b: MatchRecord) -> tuple[float, list[int]]:
        levels = compare_pair(self.comparison_objects(), a, b)
        return float(self.score_levels(np.array([levels], dtype=np.int8))[0]), levels

    def to_json(self) -> str:
        return json.dumps(
            {
                "comparisons": list(self.comparisons),
                "m": self.m,
                "u": self.u,
                "prior": self.prior,
                "trained_on": self.trained_on,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> Model:
        data = json.loads(text)
        return cls(
            comparisons=tuple(data["comparisons"]),
            m=data["m"],
            u=data["u"],
            prior=data["prior"],
            trained_on=data.get("trained_on", {}),
        )


def level_matrix(
    comparisons: tuple[Comparison, ...],
    records: list[MatchRecord],
    pairs: list[tuple[int, int]],
) -> np.ndarray:
    out = np.empty((len(pairs), len(comparisons)), dtype=np.int8)
    for row, (i, j) in enumerate(pairs):
        out[row] = compare_pair(comparisons, records[i], records[j])
    return out


def _frequencies(column: np.ndarray, size: int, weights: np.ndarray | None = None) -> list[float]:
    known = column != NULL
    counts = np.bincount(
        column[known].astype(np.int64),
        weights=None if weights is None else weights[known],
        minlength=size,
    )[:size]
    counts = counts + SMOOTHING
    return list(map(float, counts / counts.sum()))


def estimate_u(
    comparisons: tuple[Comparison, ...], records: list[MatchRecord], rng: random.Random
) -> dict[str, list[float]]:
    n = len(records)
    sample = min(U_SAMPLE_PAIRS, n * (n - 1) // 2)
    pairs = []
    while len(pairs) < sample:
        i, j = rng.randrange(n), rng.randrange(n)
        if i != j:
            pairs.append((i, j))
    levels = level_matrix(comparisons, records, pairs)
    return {c.name: _frequencies(levels[:, k], len(c.levels)) for k, c in enumerate(comparisons)}


def _initial_m(comparison: Comparison) -> list[float]:
    """Starting point of EM only: the closest level most likely among matches."""
    size = len(comparison.levels)
    raw = [2.0**level for level in range(size)]
    return [value / sum(raw) for value in raw]


def expectation_maximisation(
    model: Model, levels: np.ndarray, iterations: int = EM_ITERATIONS
) -> Model:
    comparisons = model.comparison_objects()
    for _ in range(iterations):
        probability = model.score_levels(levels)
        model.prior = float(min(max(probability.mean(), 1e-6), 1 - 1e-6))
        for k, comparison in enumerate(comparisons):
            model.m[comparison.name] = _frequencies(
                levels[:, k], len(comparison.levels), probability
            )
    return model


def train(records: list[MatchRecord], *, seed: int = 0, label: str = "") -> Model:
    """A model for these records: u on random pairs, m and the prior by EM on blocked pairs."""
    from registry.matching.comparisons import comparisons_for

    comparisons = comparisons_for(records)
    rng = random.Random(seed)
    u = estimate_u(comparisons, records, rng)
    pairs = sorted(candidate_pairs(records))
    levels = level_matrix(comparisons, records, pairs)
    model = Model(
        comparisons=tuple(c.name for c in comparisons),
        m={c.name: _initial_m(c) for c in comparisons},
        u=u,
        prior=0.1,
        trained_on={"label": label, "records": len(records), "blocked_pairs": len(pairs)},
    )
    return expectation_maximisation(model, levels)
