"""Reading lists of people from CSV files and writing the pairs found, for `kinga dedup link`."""

from __future__ import annotations

import csv
from pathlib import Path

from registry.errors import InvalidInput
from registry.i18n import N_
from registry.matching.link import ScoredPair, find_matches
from registry.matching.model import Model, train
from registry.matching.prior_model import shipped_model
from registry.matching.records import MatchRecord, record_from_row

# Below this many records a file cannot teach a model; the shipped one is used instead.
MIN_TRAINING_RECORDS = 300


def read_records(path: Path, id_column: str) -> list[MatchRecord]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle, skipinitialspace=True)
            columns = [c.strip().lower() for c in reader.fieldnames or []]
            if id_column.lower() not in columns:
                raise InvalidInput(
                    N_("%(file)s has no column %(column)s."), file=path.name, column=id_column
                )
            records = []
            seen: set[str] = set()
            for line, row in enumerate(reader, start=2):
                record = record_from_row(row, id_column)
                if not record.id:
                    raise InvalidInput(
                        N_("%(file)s line %(line)s: column %(column)s is empty."),
                        file=path.name,
                        line=line,
                        column=id_column,
                    )
                if record.id in seen:
                    raise InvalidInput(
                        N_("%(file)s line %(line)s: %(column)s %(value)s appears twice."),
                        file=path.name,
                        line=line,
                        column=id_column,
                        value=record.id,
                    )
                seen.add(record.id)
                records.append(record)
            return records
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidInput(
            N_("%(file)s cannot be read as a UTF-8 CSV file."), file=path.name
        ) from exc


def link_files(
    first: Path, second: Path | None, *, id_column: str
) -> tuple[list[ScoredPair], Model]:
    """Deduplicates one file, or links two (pairs across the files only). The model is trained
    on the records themselves, as the registry's is on the registry."""
    records = read_records(first, id_column)
    sides = None
    if second is not None:
        other = read_records(second, id_column)
        sides = [0] * len(records) + [1] * len(other)
        records = records + other
    if len(records) >= MIN_TRAINING_RECORDS:
        model = train(
            records, label=first.name if second is None else f"{first.name}+{second.name}"
        )
    else:
        model = shipped_model().for_population(len(records))
    return find_matches(model, records, sides=sides), model


def write_pairs(path: Path, pairs: list[ScoredPair]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id_a", "id_b", "score"])
        for pair in pairs:
            writer.writerow([pair.a.id, pair.b.id, f"{pair.score:.4f}"])
