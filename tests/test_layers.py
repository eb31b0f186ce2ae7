"""The import direction is one way: doors -> forms -> registry. registry imports no door."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "registry": {
        "flask",
        "flask_babel",
        "flask_login",
        "flask_wtf",
        "werkzeug",
        "webapp",
        "sms",
        "ussd",
        "voice",
        "forms",
    },
    "forms": {
        "flask",
        "flask_babel",
        "flask_login",
        "flask_wtf",
        "werkzeug",
        "webapp",
        "sms",
        "ussd",
        "voice",
    },
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_no_door(package: str) -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    offenders = {path: names for path, names in offenders.items() if names}
    assert offenders == {}


def test_the_check_itself_catches_a_flask_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from flask import request\nimport webapp.auth\n")
    assert _imports(bad) & FORBIDDEN["registry"] == {"flask", "webapp"}


def _imports_composition_root(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import) and any(a.name == "webapp" for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "webapp" and node.level == 0:
            return True
    return False


def test_voice_door_imports_the_kernel_not_the_composition_root() -> None:
    """The voice door uses the web kernel (webapp.state, webapp.database...), never `webapp`."""
    offenders = [p.name for p in (ROOT / "voice").rglob("*.py") if _imports_composition_root(p)]
    assert offenders == []
    other = {n for p in (ROOT / "voice").rglob("*.py") for n in _imports(p)} & {"sms", "ussd"}
    assert other == set()
