"""The restore drill: back up while registrations keep coming in, restore into a fresh place,
and check that the audit chain verifies and every registration acknowledged before the backup
started is there. On SQLite, and on PostgreSQL when the suite has it (pg_dump / pg_restore)."""

from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registry.db import make_engine, make_sessionmaker
from registry.demo.loader import load_areas
from registry.households.models import Household
from registry.migrate import upgrade
from tests.factories import community, make_household
from tests.scratch import KINGA, ROOT, kinga_env, scratch_database

PASSPHRASE = "drill passphrase, long enough"


class Registrations(threading.Thread):
    """Registers households one transaction at a time; a number is acknowledged once committed."""

    def __init__(self, factory) -> None:  # type: ignore[no-untyped-def]
        super().__init__(daemon=True)
        self.factory = factory
        self.acknowledged: list[str] = []
        self.stop = threading.Event()
        self.errors: list[str] = []

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            try:
                with self.factory() as session:
                    household = make_household(
                        session, community(session, n % 2), family_name=f"Drill{n}"
                    )
                    session.commit()
                    self.acknowledged.append(household.number)
            except Exception as exc:  # a busy database: the registration was not acknowledged
                self.errors.append(type(exc).__name__)
            time.sleep(0.01)


def _kinga(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own CLI
        [*KINGA, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )


def test_backup_under_write_load_restores_everything_acknowledged(tmp_path: Path) -> None:
    with (
        scratch_database(tmp_path, "drill_from") as source_url,
        scratch_database(tmp_path, "drill_to") as target_url,
    ):
        engine = make_engine(source_url)
        upgrade(engine)
        factory = make_sessionmaker(engine)
        with factory() as session:
            load_areas(session)
            session.commit()
        source = kinga_env(source_url, tmp_path / "source", KINGA_BACKUP_PASSPHRASE=PASSPHRASE)
        assert _kinga(["keys", "rotate"], source).returncode == 0
        with factory() as session:
            early = [
                make_household(session, community(session, 0), family_name=f"Early{n}").number
                for n in range(5)
            ]
            session.commit()
        assert _kinga(["audit", "checkpoint"], source).returncode == 0
        writer = Registrations(factory)
        writer.start()
        try:
            while len(writer.acknowledged) < 20:
                time.sleep(0.05)
            before_backup = early + list(writer.acknowledged)
            backup = tmp_path / "drill.kbk"
            made = _kinga(["backup", "--out", str(backup)], source)
            after_backup = len(writer.acknowledged)
            time.sleep(0.3)  # registrations go on after the backup too
        finally:
            writer.stop.set()
            writer.join(timeout=30)
        assert made.returncode == 0, made.stderr
        assert "encrypted" in made.stdout and "NOT encrypted" not in made.stdout
        assert after_backup > len(before_backup) - len(early), "no registration overlapped it"
        assert b"SQLite format" not in backup.read_bytes()[:4096]

        target = kinga_env(target_url, tmp_path / "target", KINGA_BACKUP_PASSPHRASE=PASSPHRASE)
        wrong = _kinga(["restore", str(backup)], {**target, "KINGA_BACKUP_PASSPHRASE": "nope"})
        assert wrong.returncode == 1 and "wrong passphrase" in wrong.stderr
        restored = _kinga(["restore", str(backup)], target)
        assert restored.returncode == 0, restored.stderr
        assert (
            "restored the backup" in restored.stdout and "audit chain verified" in restored.stdout
        )
        verified = _kinga(["audit", "verify"], target)
        assert verified.returncode == 0 and "audit log ok" in verified.stdout, verified.stdout
        again = _kinga(["restore", str(backup)], target)
        assert again.returncode == 1 and "refusing to overwrite" in again.stderr

        restored_engine = make_engine(target_url)
        with Session(restored_engine) as session:
            numbers = set(session.scalars(select(Household.number)))
            count = session.scalar(select(func.count(Household.id)))
        restored_engine.dispose()
        engine.dispose()
        assert set(before_backup) <= numbers  # every registration acknowledged before it
        acknowledged = set(early) | set(writer.acknowledged)
        assert numbers <= acknowledged  # and nothing that was never acknowledged
        assert count == len(numbers)
