"""`kinga cases ...` on a demo registry: list, load (versions, refusals), remind, add-place."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from registry.cases.models import Case, CaseType, ServicePlace
from registry.cases.types import SHIPPED_DIR
from registry.db import make_engine, make_sessionmaker
from webapp.cli import main


def test_cases_commands(tmp_path: Path) -> None:
    env = {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_DEMO_PASSWORD": "demo password 1",
        "KINGA_REDIS_URL": "",
    }
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    demo = runner.invoke(main, ["demo", "--households", "150", "--quiet"], env=env)
    assert demo.exit_code == 0, demo.output
    session = make_sessionmaker(make_engine(env["KINGA_DATABASE_URL"]))()
    assert session.scalar(select(func.count(Case.id))) == 12
    assert session.scalar(select(func.count(ServicePlace.id))) == 2

    listing = runner.invoke(main, ["cases", "list"], env=env)
    assert listing.exit_code == 0
    assert [line.split("\t")[0] for line in listing.output.splitlines()] == [
        "child_protection",
        "disability_inclusion",
        "early_education",
    ]

    shipped = SHIPPED_DIR / "early-education.yaml"
    same = runner.invoke(main, ["cases", "load", str(shipped)], env=env)
    assert same.exit_code == 0 and "unchanged, version 1" in same.output
    changed = tmp_path / "early.yaml"
    changed.write_text(
        shipped.read_text(encoding="utf-8").replace("visit_every_days: 90", "visit_every_days: 60"),
        encoding="utf-8",
    )
    again = runner.invoke(main, ["cases", "load", str(changed)], env=env)
    assert again.exit_code == 0 and "loaded as version 2" in again.output, again.output
    session.rollback()
    versions = session.scalars(
        select(CaseType.version)
        .where(CaseType.code == "early_education")
        .order_by(CaseType.version)
    ).all()
    assert versions == [1, 2]

    broken = tmp_path / "broken.yaml"
    broken.write_text(
        shipped.read_text(encoding="utf-8").replace("  ar: التعليم المبكر\n", ""), encoding="utf-8"
    )
    refused = runner.invoke(main, ["cases", "load", str(broken)], env=env)
    assert refused.exit_code != 0 and "no name in ar" in refused.output, refused.output

    remind = runner.invoke(main, ["cases", "remind"], env=env)
    assert remind.exit_code == 0 and remind.output.startswith("reminded "), remind.output
    escalate = runner.invoke(main, ["grievances", "escalate"], env=env)
    assert escalate.exit_code == 0 and "cases:" in escalate.output

    place = runner.invoke(
        main,
        [
            "cases",
            "add-place",
            "ws-02",
            "--name",
            "Workshop 2",
            "--kind",
            "disability_workshop",
            "--area",
            "XX-NONE",
            "--capacity",
            "10",
        ],
        env=env,
    )
    assert place.exit_code != 0 and "Unknown area code" in place.output
