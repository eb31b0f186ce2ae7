"""Trains registry/matching/shipped_model.json on a generated East African list.

The seed differs from the one benchmarks/dedup.py measures on, so the benchmark's generated
set is never seen in training. Run: .venv/bin/python tools/train_shipped_model.py
"""

from __future__ import annotations

from registry.matching.model import train
from registry.matching.prior_model import SHIPPED
from registry.matching.records import record_from_row
from registry.matching.synthetic import generate

TRAINING_SEED = 1


def main() -> None:
    data = generate(10_000, seed=TRAINING_SEED)
    records = [record_from_row(row, "rec_id") for row in data.rows]
    model = train(records, label=f"generated East African list, seed {TRAINING_SEED}")
    SHIPPED.write_text(model.to_json() + "\n", encoding="utf-8")
    print(f"wrote {SHIPPED}")


if __name__ == "__main__":
    main()
