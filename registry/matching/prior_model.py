"""The model a registry uses before it has trained its own (`kinga dedup run` trains one).

It was learned by the same training code from a generated East African list (see
`tools/train_shipped_model.py`), so even the fallback's weights come from data, not by hand.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from registry.matching.model import Model

SHIPPED = Path(__file__).with_name("shipped_model.json")


@lru_cache(maxsize=1)
def shipped_model() -> Model:
    return Model.from_json(SHIPPED.read_text(encoding="utf-8"))
