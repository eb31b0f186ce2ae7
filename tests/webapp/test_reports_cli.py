"""`kinga reports monthly` writes a PDF whose figures match the registry (pdftotext, pdftoppm)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from registry.areas.models import Area
from registry.db import make_engine, make_sessionmaker, utcnow
from registry.households.models import Household
from registry.indicators.periods import Period
from webapp.cli import main


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "KINGA_DATABASE_URL": f"sqlite:///{tmp_path}/report.db",
        "KINGA_INSTANCE_DIR": str(tmp_path / "instance"),
        "KINGA_DEMO_PASSWORD": "demo password 1",
        "KINGA_REDIS_URL": "",
    }


def test_monthly_report_pdf_renders_with_its_figures(tmp_path: Path) -> None:
    runner = CliRunner()
    env = _env(tmp_path)
    assert runner.invoke(main, ["db", "upgrade"], env=env).exit_code == 0
    loaded = runner.invoke(main, ["demo", "--households", "240", "--quiet"], env=env)
    assert loaded.exit_code == 0, loaded.output
    session = make_sessionmaker(make_engine(env["KINGA_DATABASE_URL"]))()
    region = session.scalar(select(Area).where(Area.level == 1).order_by(Area.code))
    assert region is not None
    in_region = session.scalar(
        select(func.count(Household.id))
        .join(Area, Area.id == Household.area_id)
        .where(Area.path.startswith(region.path))
    )
    period = Period.of(utcnow())
    out = tmp_path / "monthly.pdf"
    result = runner.invoke(
        main,
        ["reports", "monthly", "--period", str(period), "--area", region.code, "--out", str(out)],
        env=env,
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"Monthly report {period}" in text
    assert region.name in text
    line = next(x for x in text.splitlines() if x.strip().startswith("Households registered"))
    assert re.search(rf"\b{in_region:,}\b", line), line
    assert "What changed since last month" in text
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
        check=True,
    )
    png = tmp_path / "page-1.png"
    assert png.exists() and png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5000
    recount = runner.invoke(main, ["indicators", "refresh", "--period", str(period)], env=env)
    assert recount.exit_code == 0 and f"{period}: " in recount.output, recount.output
    bad = runner.invoke(
        main, ["reports", "monthly", "--period", "2026-13", "--out", str(out)], env=env
    )
    assert bad.exit_code != 0 and "YYYY-MM" in bad.output
    unknown = runner.invoke(
        main,
        ["reports", "monthly", "--period", str(period), "--area", "NOPE", "--out", str(out)],
        env=env,
    )
    assert unknown.exit_code != 0 and "No such area" in unknown.output
