"""`kinga sms worker` from the command line, with a real provider against the local fake API."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from registry.db import make_engine, make_sessionmaker
from registry.outbox.models import OutboxMessage, OutboxStatus
from registry.outbox.service import queue_text
from tests.sms.fake_gateway import FakeGateway
from webapp.cli import main


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_REDIS_URL": "",
        **extra,
    }


def test_worker_once_sends_through_africastalking(tmp_path: Path) -> None:
    runner = CliRunner()
    with FakeGateway() as gateway:
        env = _env(
            tmp_path,
            KINGA_SMS_PROVIDER="africastalking",
            AT_USERNAME="sandbox",
            AT_API_KEY="key",
            KINGA_AT_API_URL=gateway.url,
        )
        assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
        factory = make_sessionmaker(make_engine(env["KINGA_DATABASE_URL"]))
        with factory() as session:
            queue_text(session, to_phone="+254712345678", language="en", body="hi", template="t")
            session.commit()
        result = runner.invoke(main, ["sms", "worker", "--once"], env=env)
        assert result.exit_code == 0, result.output
        assert "handled 1" in result.output
    assert gateway.requests[0]["message"] == "hi"
    with factory() as session:
        message = session.scalars(select(OutboxMessage)).one()
        assert message.status == OutboxStatus.SENT and message.provider == "africastalking"


def test_worker_refuses_a_provider_without_credentials(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["sms", "worker", "--once"],
        env=_env(tmp_path, KINGA_SMS_PROVIDER="twilio", TWILIO_ACCOUNT_SID=""),
    )
    assert result.exit_code != 0
    assert "TWILIO_ACCOUNT_SID" in result.output
