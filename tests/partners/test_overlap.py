"""Two registries built with a known overlap: the CLI's token files and comparison count it
right, never print a name, number or phone, and the tokens reveal nothing without the key."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy.orm import Session

from registry.db import make_engine
from registry.demo.loader import load_areas
from registry.households.service import (
    HouseholdData,
    MemberData,
    OnDuplicate,
    register_household,
)
from registry.migrate import upgrade
from registry.origin import Origin
from registry.partners.overlap import Encoder, PersonRow, compare, read_tokens, write_tokens
from registry.programs.models import Enrollment, Program
from webapp.cli import main


@dataclass(frozen=True)
class P:
    given: str
    family: str
    year: int
    national_id: str | None = None


# Registry A: 12 households. Registry B shares 5 people with an ID (written differently),
# 3 without an ID (spelled slightly differently), and has 10 people of its own.
SHARED_ID = [P(f"Given{i}", f"Family{i}", 1970 + i, f"KG-{i:04d}-77") for i in range(5)]
SHARED_NO_ID = [
    P("Wanjiku", "Kamau", 1984),
    P("Ochieng", "Otieno", 1990),
    P("Achieng", "Odhiambo", 1975),
]
ONLY_A = [P(f"Alone{i}", f"Asideone{i}", 1960 + i, f"KG-A{i:03d}-11") for i in range(3)] + [
    P("Mutua", "Kioko", 1988)
]
ONLY_B = [P(f"Other{i}", f"Bsidetwo{i}", 1950 + i, f"KG-B{i:03d}-22") for i in range(6)] + [
    P("Njeri", "Wambui", 1992),
    P("Kiptoo", "Rotich", 1981),
    P("Akinyi", "Adhiambo", 1979),
    P("Barasa", "Wekesa", 1968),
]
KEY = b"k" * 16 + b"shared-overlap-key-2026" + b"!" * 8


def _build(url: str, people: list[P], *, enrolled: int = 0) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with Session(engine) as session:
        community = load_areas(session)[0]
        program = Program(code="CT", kind="cash", names={"en": "Cash"})
        session.add(program)
        session.flush()
        for index, person in enumerate(people):
            household = register_household(
                session,
                HouseholdData(
                    area_code=community.code,
                    members=[
                        MemberData(
                            given_name=person.given,
                            family_name=person.family,
                            sex="F",
                            birth_year=person.year,
                            relation="head",
                            national_id=person.national_id,
                            language="en",
                        )
                    ],
                    consent_given=True,
                ),
                origin=Origin.system("tests"),
                # Names may look alike across generated people: all are saved, pairs queued.
                on_duplicate=OnDuplicate.RECORD,
            )
            if index < enrolled:
                session.add(
                    Enrollment(
                        household_id=household.id,
                        program_id=program.id,
                        status="enrolled",
                        decision="eligible",
                        decided_by="tests",
                        status_changed_by="tests",
                    )
                )
        session.commit()
    engine.dispose()


def _variant(p: P) -> P:
    """How the other ministry wrote the same person down."""
    nid = p.national_id.replace("-", " ").lower() if p.national_id else None
    given = p.given.upper() if nid else p.given[:-1] + "h" + p.given[-1]  # a typo without ID
    return P(given, p.family, p.year, nid)


def test_two_registries_with_known_overlap(tmp_path: Path) -> None:
    key_file = tmp_path / "shared.key"
    key_file.write_bytes(KEY)
    a_env = {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/a.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "ia"),
        "KINGA_REDIS_URL": "",
    }
    b_env = {
        **a_env,
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/b.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "ib"),
    }
    # the first 6 of A are enrolled in CT: 5 shared with an ID, 1 shared without
    _build(a_env["KINGA_DATABASE_URL"], SHARED_ID + SHARED_NO_ID + ONLY_A, enrolled=6)
    _build(b_env["KINGA_DATABASE_URL"], [_variant(p) for p in SHARED_ID + SHARED_NO_ID] + ONLY_B)
    runner = CliRunner()
    tokens = tmp_path / "b-tokens.csv"
    made = runner.invoke(
        main, ["overlap", "tokens", "--key-file", str(key_file), "--out", str(tokens)], env=b_env
    )
    assert made.exit_code == 0, made.output
    text = tokens.read_text()
    for p in SHARED_ID + SHARED_NO_ID + ONLY_B:
        assert p.family not in text and p.given not in text
        if p.national_id:
            assert p.national_id.replace("-", "") not in text.upper().replace("-", "")
    result = runner.invoke(
        main, ["overlap", "compare", str(tokens), "--key-file", str(key_file)], env=a_env
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "people in both: 8" and lines[1] == "households in both: 8"
    cells = {tuple(line.split("\t")[:2]): line.split("\t")[2:] for line in lines[3:]}
    assert cells[("CT", "KG-PW")] == ["6", "6"]
    assert cells[("(none)", "KG-PW")] == ["<5", "<5"]  # 2 people: suppressed
    assert cells[("*", "KG-PW")] == ["8", "8"]
    for p in SHARED_ID + SHARED_NO_ID + ONLY_A:
        assert p.family not in result.output and p.given not in result.output


def _rows() -> list[PersonRow]:
    return [
        PersonRow(f"H{i}", p.national_id, p.given, p.family, p.year, "KG-PW")
        for i, p in enumerate(SHARED_ID + SHARED_NO_ID + ONLY_B)
    ]


def test_tokens_reveal_nothing_without_the_key(tmp_path: Path) -> None:
    other_key = b"another-key-agreed-with-someone-else-2026"
    first, second = tmp_path / "1.csv", tmp_path / "2.csv"
    write_tokens(_rows(), KEY, first)
    write_tokens(_rows(), other_key, second)
    one = {t.token for t in read_tokens(first)} | {t.household for t in read_tokens(first)}
    two = {t.token for t in read_tokens(second)} | {t.household for t in read_tokens(second)}
    assert not one & two  # no token repeats across keys
    plain = set()
    for p in SHARED_ID + ONLY_B:
        if p.national_id:
            for variant in (p.national_id, p.national_id.replace("-", ""), p.national_id.upper()):
                for algorithm in ("md5", "sha1", "sha256", "sha512"):
                    plain.add(hashlib.new(algorithm, variant.encode()).hexdigest())
    assert not one & plain  # no token is a plain hash of an ID
    # and the same people under different keys do not match each other
    report = compare(read_tokens(first), read_tokens(second))
    assert report.people == 0


def test_clk_tolerates_typos_but_not_other_people() -> None:
    encoder = Encoder(KEY)
    from registry.partners.overlap import dice

    same = encoder.clk(PersonRow("1", None, "Wanjiku", "Kamau", 1984, "KG-PW"))
    typo = encoder.clk(PersonRow("2", None, "Wanjikhu", "Kamau", 1984, "KG-PW"))
    other = encoder.clk(PersonRow("3", None, "Njeri", "Wambui", 1984, "KG-PW"))
    year = encoder.clk(PersonRow("4", None, "Wanjiku", "Kamau", 1948, "KG-PW"))
    assert dice(same, typo) >= 0.85 > dice(same, other)
    assert dice(same, year) < 0.85


def test_bad_inputs_exit_with_a_reason(tmp_path: Path) -> None:
    weak = tmp_path / "weak.key"
    weak.write_bytes(b"short")
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="") as handle:
        csv.writer(handle).writerows([["name", "id"], ["x", "y"]])
    env = {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "i"),
        "KINGA_REDIS_URL": "",
    }
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["overlap", "tokens", "--key-file", str(weak), "--out", str(tmp_path / "o.csv")],
        env=env,
    )
    assert result.exit_code != 0 and "at least 32 bytes" in result.output
    strong = tmp_path / "strong.key"
    strong.write_bytes(KEY)
    result = runner.invoke(
        main, ["overlap", "compare", str(bad), "--key-file", str(strong)], env=env
    )
    assert result.exit_code != 0 and "line 1" in result.output
