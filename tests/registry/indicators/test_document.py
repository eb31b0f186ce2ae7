from pathlib import Path

from registry.indicators.definitions import INDICATORS
from registry.indicators.document import markdown

PAGE = Path(__file__).resolve().parents[3] / "docs" / "indicators.md"


def test_docs_page_is_written_from_the_definitions() -> None:
    assert PAGE.read_text() == markdown(), (
        "docs/indicators.md is stale: python -m registry.indicators.document > docs/indicators.md"
    )
    for indicator in INDICATORS:
        assert f"`{indicator.code}`" in PAGE.read_text()
