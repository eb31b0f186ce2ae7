from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from registry.db import make_engine, make_sessionmaker
from registry.demo.areas_data import REGIONS
from registry.demo.loader import DEMO_USERS
from registry.households.models import Household
from registry.settings import Settings
from registry.users.models import User
from webapp.cli import main


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_DEMO_PASSWORD": "demo password 1",
        "KINGA_REDIS_URL": "",
    }


def test_upgrade_demo_twice_loads_once(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    first = runner.invoke(main, ["demo", "--households", "300", "--quiet"], env=env)
    assert first.exit_code == 0, first.output
    assert "demo-admin" in first.output
    again = runner.invoke(main, ["demo", "--quiet"], env=env)
    assert again.exit_code == 0 and "already loaded" in again.output
    session = make_sessionmaker(make_engine(env["KINGA_DATABASE_URL"]))()
    assert session.scalar(select(func.count(Household.id))) == 300
    assert session.scalar(select(func.count(User.id))) == len(DEMO_USERS)
    safe = session.scalar(select(User).where(User.username == "demo-safeguarding-1"))
    assert safe is not None and safe.roles == {"safeguarding_officer"}
    assert [a.code for a in safe.areas] == [REGIONS[0]["code"]]


def test_errors_exit_non_zero_with_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    runner.invoke(main, ["db", "upgrade"], env=env)
    result = runner.invoke(
        main,
        [
            "users",
            "create",
            "--username",
            "x",
            "--name",
            "X",
            "--role",
            "admin",
            "--area",
            "NOPE",
            "--password",
            "long enough pw",
        ],
        env=env,
    )
    assert result.exit_code != 0
    assert result.output.strip().splitlines()[-1] == "Error: Unknown area code."


def test_unmigrated_database_is_a_clear_one_line_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--quiet"], env=_env(tmp_path))
    assert result.exit_code != 0
    assert "kinga db upgrade" in result.output.strip().splitlines()[-1]


def test_settings_reject_unknown_languages(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KINGA_LANGUAGES", "en,xx")
    try:
        Settings.from_env()
    except ValueError as exc:
        assert "xx" in str(exc)
    else:
        raise AssertionError("unknown language accepted")
