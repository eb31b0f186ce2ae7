"""A generated list with the errors East African registries have, and the true pairs.

People are drawn from the demo name lists; about a fifth are registered a second time by
"another drive" that wrote them differently: a French or English transliteration, given and
family name swapped, a name part dropped, a birth year one off (the date forgotten), a new
phone number or none, a national ID missing or mistyped, a typo, a move to a neighbouring
community. Used to measure the matcher on data it was not tuned on, and to train the model
shipped for a registry too new to have trained its own.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from registry.demo.names import FAMILY, FEMALE_GIVEN, MALE_GIVEN

# Spellings one sound gets from different clerks (applied to a name where they fit).
_VARIANTS = (
    ("u", "ou"),
    ("ch", "tch"),
    ("j", "dj"),
    ("sh", "ch"),
    ("i", "y"),
    ("y", "i"),
    ("k", "c"),
    ("f", "ph"),
    ("mm", "m"),
    ("m", "mm"),
    ("e", "i"),
    ("o", "u"),
    ("h", "kh"),
    ("s", "ss"),
    ("w", "ou"),
)
COMMUNITIES = [
    f"KG-{region}-{district:02d}-{community:02d}"
    for region in ("PW", "ZW", "ML")
    for district in (1, 2, 3, 4)
    for community in range(1, 6)
]


@dataclass
class SyntheticSet:
    rows: list[dict[str, str]]
    true_pairs: set[tuple[str, str]]


def transliterate(name: str, rng: random.Random) -> str:
    lower = name.lower()
    options = [(old, new) for old, new in _VARIANTS if old in lower]
    if not options:
        return name + ("u" if name[-1:] not in "aeiou" else "")
    old, new = rng.choice(options)
    at = lower.find(old)
    changed = lower[:at] + new + lower[at + len(old) :]
    return changed.capitalize()


def typo(name: str, rng: random.Random) -> str:
    if len(name) < 4:
        return name
    at = rng.randrange(1, len(name) - 1)
    kind = rng.random()
    if kind < 0.4:
        return name[:at] + rng.choice("aeioumnkrt") + name[at + 1 :]
    if kind < 0.7:
        return name[:at] + name[at + 1 :]
    return name[:at] + name[at + 1] + name[at] + name[at + 2 :]


def _phone(rng: random.Random) -> str:
    return f"+2547{rng.choice('01249')}{rng.randrange(10**7):07d}"


def _person(index: int, rng: random.Random) -> dict[str, str]:
    sex = rng.choice("FM")
    year = rng.randint(1940, 2008)
    exact = rng.random() < 0.5
    given = rng.choice(FEMALE_GIVEN if sex == "F" else MALE_GIVEN)
    if rng.random() < 0.2:
        given += " " + rng.choice(FEMALE_GIVEN if sex == "F" else MALE_GIVEN)
    return {
        "rec_id": f"p{index}",
        "given_name": given,
        "family_name": rng.choice(FAMILY),
        "sex": sex,
        "birth_year": str(year),
        "birth_date": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if exact else "",
        "phone": _phone(rng) if rng.random() < 0.7 else "",
        "national_id": str(rng.randrange(10**7, 10**8)) if rng.random() < 0.5 else "",
        "area": rng.choice(COMMUNITIES),
    }


def _corrupt(row: dict[str, str], rng: random.Random) -> dict[str, str]:
    dup = dict(row)
    changes = rng.sample(range(9), rng.randint(2, 4))
    for change in changes:
        if change == 0:
            dup["family_name"] = transliterate(dup["family_name"], rng)
        elif change == 1:
            dup["given_name"] = transliterate(dup["given_name"].split()[0], rng)
        elif change == 2:
            dup["given_name"], dup["family_name"] = dup["family_name"], dup["given_name"]
        elif change == 3:
            dup["birth_year"] = str(int(dup["birth_year"]) + rng.choice((-1, 1)))
            dup["birth_date"] = ""
        elif change == 4:
            dup["phone"] = _phone(rng) if rng.random() < 0.6 else ""
        elif change == 5:
            nid = dup["national_id"]
            dup["national_id"] = "" if not nid or rng.random() < 0.5 else typo(nid, rng)
        elif change == 6:
            dup["family_name"] = typo(dup["family_name"], rng)
        elif change == 7:
            dup["area"] = dup["area"][:-2] + f"{rng.randint(1, 5):02d}"
        else:
            dup["birth_date"] = ""
    return dup


def generate(people: int, *, seed: int, duplicate_share: float = 0.2) -> SyntheticSet:
    rng = random.Random(seed)
    rows = [_person(i, rng) for i in range(people)]
    true_pairs = set()
    for original in list(rows[: int(people * duplicate_share)]):
        dup = _corrupt(original, rng)
        dup["rec_id"] = original["rec_id"] + "-dup"
        rows.append(dup)
        true_pairs.add(tuple(sorted((original["rec_id"], dup["rec_id"]))))
    rng.shuffle(rows)
    return SyntheticSet(rows, true_pairs)  # type: ignore[arg-type]
