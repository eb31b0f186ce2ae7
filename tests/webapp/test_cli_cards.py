from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from registry.areas.models import Area
from registry.cards.models import Card
from registry.db import make_engine, make_sessionmaker
from registry.households.models import Household
from webapp.cli import main


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_DEMO_PASSWORD": "demo password 1",
        "KINGA_REDIS_URL": "",
    }


def test_keys_rotate_issue_and_print(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    assert runner.invoke(main, ["demo", "--households", "120", "--quiet"], env=env).exit_code == 0
    first = runner.invoke(main, ["keys", "rotate"], env=env)
    second = runner.invoke(main, ["keys", "rotate"], env=env)
    assert first.exit_code == second.exit_code == 0 and "private key deleted" in second.output
    listing = runner.invoke(main, ["keys", "list"], env=env).output
    assert listing.count("current") == 1 and listing.count("retired") >= 1
    out = tmp_path / "cards.pdf"
    demo_only = runner.invoke(
        main, ["cards", "print", "--area", "KG-PW", "--out", str(out)], env=env
    )
    assert demo_only.exit_code == 0, demo_only.output
    printed = runner.invoke(
        main, ["cards", "print", "--area", "KG-PW", "--out", str(out), "--issue-missing"], env=env
    )
    assert printed.exit_code == 0, printed.output
    session = make_sessionmaker(make_engine(env["KINGA_DATABASE_URL"]))()
    region_cards = session.scalar(
        select(func.count(Card.id))
        .join(Household, Card.household_id == Household.id)
        .join(Area, Household.area_id == Area.id)
        .where(Area.code.startswith("KG-PW"))
    )
    assert f"wrote {region_cards} cards" in printed.output
    assert region_cards > int(demo_only.output.split("wrote ")[1].split()[0]) > 0
    assert out.read_bytes().startswith(b"%PDF")
    unknown = runner.invoke(main, ["cards", "print", "--area", "NOPE", "--out", str(out)], env=env)
    assert unknown.exit_code == 1 and "No such area" in unknown.output
