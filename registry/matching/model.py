"""The Fellegi-Sunter model: m and u probabilities per comparison level, learned from data.

Training follows Splink's recipe: u, how often each level happens between two people who are
not the same, is counted on random pairs (almost all random pairs are different people); m, how
often it happens between two records of one person, is found by expectation-maximisation with u
held fixed, in sessions: pairs that share a birth date teach the m of the names, pairs that
share both name keys teach the m of everything else (a session never learns the fields it was
blocked on, which agree by construction). The prior, the chance that two records picked at
random are the same person, follows from each session's share of matches divided by how often
a true match shares that session's key (from the other session's m). Scores are posteriors
with that prior and the random-pair u, so a score means the same inside and outside blocks.
Nothing here is set by hand.
"""

from __future__ import annotations

import json
import math
import random
from collections import defaultdict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from registry.matching.blocking import MAX_BLOCK
from registry.matching.comparisons import (
    COMPARISONS,
    NULL,
    Comparison,
    compare_pair,
    comparisons_for,
)
from registry.matching.records import MatchRecord

# Posterior probability above which a pair is judged a match: the Bayes decision point, the
# same for every data set (not tuned to one).
MATCH_THRESHOLD = 0.5
U_SAMPLE_PAIRS = 200_000
EM_ITERATIONS = 40
SESSION_PAIRS = 300_000
SMOOTHING = 1.0


@dataclass
class Model:
    comparisons: tuple[str, ...]
    m: dict[str, list[float]]
    u: dict[str, list[float]]
    prior: float  # chance that two records picked at random are the same person
    trained_on: dict[str, Any] = field(default_factory=dict)
    _cached: Any = field(default=None, repr=False, compare=False)

    def for_population(self, records: int) -> Model:
        """The same m and u, with the prior of a list of `records` people: the share of people
        registered twice stays, the chance that two random records match shrinks with size."""
        trained = int(self.trained_on.get("records") or records)
        prior = min(self.prior * max(trained - 1, 1) / max(records - 1, 1), 0.5)
        return Model(self.comparisons, self.m, self.u, prior, dict(self.trained_on))

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
        """One pair, in plain Python (numpy's per-call cost dominates for a single pair)."""
        comparisons, weights, prior_weight = self._fast()
        levels = compare_pair(comparisons, a, b)
        total = prior_weight + sum(
            weights[k][level] for k, level in enumerate(levels) if level != NULL
        )
        if total < -60:
            return 0.0, levels
        return 1.0 / (1.0 + 2.0 ** (-total)), levels

    def _fast(self) -> tuple[tuple[Comparison, ...], list[list[float]], float]:
        key = (id(self.m), id(self.u), self.prior)
        if self._cached is None or self._cached[0] != key:
            weights = [list(map(float, w)) for w in self.weights()]
            prior_weight = math.log2(self.prior / (1 - self.prior))
            self._cached = (key, (self.comparison_objects(), weights, prior_weight))
        return self._cached[1]

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
    model: Model,
    levels: np.ndarray,
    *,
    learn: set[str] | None = None,
    iterations: int = EM_ITERATIONS,
) -> tuple[dict[str, list[float]], float]:
    """m of the comparisons in `learn` (all when None) and the share of matches, from the pairs
    in `levels`; the other comparisons are ignored (treated as unknown) during the session."""
    comparisons = model.comparison_objects()
    names = [c.name for c in comparisons]
    learning = set(names) if learn is None else learn
    masked = levels.copy()
    for k, name in enumerate(names):
        if name not in learning:
            masked[:, k] = NULL
    session = Model(model.comparisons, dict(model.m), model.u, 0.1)
    for _ in range(iterations):
        probability = session.score_levels(masked)
        session.prior = float(min(max(probability.mean(), 1e-6), 1 - 1e-6))
        for k, comparison in enumerate(comparisons):
            if comparison.name in learning:
                session.m[comparison.name] = _frequencies(
                    masked[:, k], len(comparison.levels), probability
                )
    return {name: session.m[name] for name in learning}, session.prior


def _share_with_key(model: Model, session: int) -> float:
    """How often two records of one person share the blocking key of `session` (from m)."""
    m = model.m
    if session == 0:
        share = m["birth"][-1] + m["birth"][2] if "birth" in m else 1.0
    else:
        given, family = m.get("given_name", [1.0]), m.get("family_name", [1.0])
        share = (given[-1] + given[-2]) * (family[-1] + family[-2])
    return max(share, 1e-3)


def estimate_prior(model: Model, found: dict[int, float], records: int) -> float:
    """Chance that two random records match: each session's expected matches scaled up by the
    share of matches its key catches, averaged over the sessions (geometric mean)."""
    all_pairs = records * (records - 1) / 2
    estimates = [
        matches / _share_with_key(model, session) / all_pairs
        for session, matches in found.items()
        if matches > 0
    ]
    if not estimates:
        return 1.0 / max(all_pairs, 1.0)
    prior = math.exp(sum(math.log(e) for e in estimates) / len(estimates))
    return min(max(prior, 1e-12), 0.5)


def _session_pairs(
    records: list[MatchRecord], key: Callable[[MatchRecord], Hashable | None], rng: random.Random
) -> list[tuple[int, int]]:
    blocks: dict[Hashable, list[int]] = defaultdict(list)
    for index, record in enumerate(records):
        value = key(record)
        if value is not None:
            blocks[value].append(index)
    pairs = [
        (i, j)
        for members in blocks.values()
        if 1 < len(members) <= MAX_BLOCK
        for p, i in enumerate(members)
        for j in members[p + 1 :]
        if not (records[i].household and records[i].household == records[j].household)
    ]
    if len(pairs) > SESSION_PAIRS:
        pairs = rng.sample(pairs, SESSION_PAIRS)
    return pairs


def _birth_key(r: MatchRecord) -> Hashable | None:
    return (r.block_area, r.birth) if r.birth else None


def _names_key(r: MatchRecord) -> Hashable | None:
    return (r.given_key, r.family_key) if r.given_key and r.family_key else None


# (blocking key of the session, comparisons it cannot learn because the key fixes them)
SESSIONS: tuple[tuple[Callable[[MatchRecord], Hashable | None], frozenset[str]], ...] = (
    (_birth_key, frozenset({"birth"})),
    (_names_key, frozenset({"given_name", "family_name"})),
)


def train(records: list[MatchRecord], *, seed: int = 0, label: str = "") -> Model:
    """A model for these records: u on random pairs, m by EM sessions, then the prior."""
    comparisons = comparisons_for(records)
    rng = random.Random(seed)
    model = Model(
        comparisons=tuple(c.name for c in comparisons),
        m={c.name: _initial_m(c) for c in comparisons},
        u=estimate_u(comparisons, records, rng),
        prior=0.1,
    )
    learned: dict[str, list[list[float]]] = defaultdict(list)
    found: dict[int, float] = {}
    for session, (key, fixed) in enumerate(SESSIONS):
        pairs = _session_pairs(records, key, rng)
        if not pairs:
            continue
        levels = level_matrix(comparisons, records, pairs)
        learn = set(model.comparisons) - fixed
        m, share = expectation_maximisation(model, levels, learn=learn)
        found[session] = share * len(pairs)
        for name, values in m.items():
            learned[name].append(values)
    for name, estimates in learned.items():
        model.m[name] = list(map(float, np.mean(np.array(estimates), axis=0)))
    model.prior = estimate_prior(model, found, len(records))
    model.trained_on = {
        "label": label,
        "records": len(records),
        "expected_matches": round(model.prior * len(records) * (len(records) - 1) / 2),
    }
    return model
