"""One person as the matcher sees them, read from a registry row or a CSV row."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from registry.matching.normalize import birth_string, digits, fold, skeleton
from registry.phones import normalize_phone

# Column names as the FEBRL data sets spell them, mapped to Kinga's.
FEBRL_COLUMNS = {"surname": "family_name", "soc_sec_id": "national_id"}


@dataclass(slots=True)
class MatchRecord:
    id: str
    given: str = ""
    family: str = ""
    birth: str = ""
    sex: str = ""
    phone: str = ""
    national_id: str = ""
    area: str = ""
    district: str = ""
    block_area: str = ""  # the community code in the registry; "" in files (one block area)
    address: str = ""
    postcode: str = ""
    household: str = ""
    given_key: str = field(init=False)
    family_key: str = field(init=False)

    def __post_init__(self) -> None:
        self.given = fold(self.given)
        self.family = fold(self.family)
        self.address = fold(self.address)
        self.given_key = skeleton(self.given)
        self.family_key = skeleton(self.family)

    @property
    def year(self) -> int | None:
        return int(self.birth[:4]) if len(self.birth) >= 4 else None


def _text(row: Mapping[str, object], name: str) -> str:
    value = row.get(name)
    if value is None:
        return ""
    text = str(value).strip()
    return "" if text.lower() in ("nan", "none", "null") else text


def _phone(raw: str) -> str:
    if not raw:
        return ""
    return normalize_phone(raw) or digits(raw)


def record_from_row(row: Mapping[str, object], id_column: str) -> MatchRecord:
    """Reads Kinga column names or FEBRL ones (`surname`, `date_of_birth`, `soc_sec_id`...)."""
    data = {FEBRL_COLUMNS.get(k.strip().lower(), k.strip().lower()): v for k, v in row.items()}
    address = " ".join(
        _text(data, name) for name in ("address", "street_number", "address_1", "address_2")
    )
    sex = _text(data, "sex").upper()[:1]
    return MatchRecord(
        id=_text(data, id_column.lower()),
        given=_text(data, "given_name"),
        family=_text(data, "family_name"),
        birth=birth_string(
            _text(data, "birth_date") or _text(data, "date_of_birth"), _text(data, "birth_year")
        ),
        sex=sex if sex in ("F", "M") else "",
        phone=_phone(_text(data, "phone")),
        national_id=digits(_text(data, "national_id")) or _text(data, "national_id").upper(),
        area=" ".join((_text(data, "area") or _text(data, "suburb")).lower().split()),
        address=address.strip(),
        postcode=digits(_text(data, "postcode")),
    )
