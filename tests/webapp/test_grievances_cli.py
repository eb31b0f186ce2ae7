from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from registry.db import make_engine, make_sessionmaker
from registry.grievances.models import Grievance
from registry.grievances.states import Status
from webapp.cli import main


def test_demo_grievances_and_escalate_command(tmp_path: Path) -> None:
    env = {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_DEMO_PASSWORD": "demo password 1",
        "KINGA_REDIS_URL": "",
    }
    runner = CliRunner()
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    demo = runner.invoke(main, ["demo", "--households", "200", "--quiet"], env=env)
    assert demo.exit_code == 0, demo.output
    session = make_sessionmaker(make_engine(env["KINGA_DATABASE_URL"]))()
    assert session.scalar(select(func.count(Grievance.id))) == 28
    regions = set(session.scalars(select(Grievance.area_id)))
    assert len(regions) > 2
    first = runner.invoke(main, ["grievances", "escalate"], env=env)
    assert first.exit_code == 0, first.output
    escalated = int(first.output.split()[1])
    assert escalated > 0
    session.rollback()  # a fresh snapshot after the command committed
    assert (
        session.scalar(select(func.count(Grievance.id)).where(Grievance.status == Status.ESCALATED))
        >= escalated
    )
    again = runner.invoke(main, ["grievances", "escalate"], env=env)
    assert again.output.splitlines()[0] == "escalated 0 grievance(s)"
