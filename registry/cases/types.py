"""Case types as versioned data: read from a YAML file, checked, stored, and turned into the
assessment form of the `forms/` engine (so it runs on the field phone and offline).

Loading the same file again adds nothing; a changed file adds a new version, which new cases
use. Open cases keep the version they were opened on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from registry.audit.service import record
from registry.cases.models import CaseType
from registry.errors import InvalidInput, NotFound
from registry.i18n import N_
from registry.origin import Origin
from registry.settings import DEFAULT_LANGUAGES
from registry.users.roles import Role

CONFIDENTIALITY = ("standard", "restricted", "strict")
LIFECYCLE = ("opened", "assessed", "plan_approved", "closed")
QUESTION_TYPES = ("yesno", "choice", "number", "text", "date")
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "docs" / "case-types"
RISK_FIELD = "risk"


def shipped_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def _bad(problem: str, **params: object) -> InvalidInput:
    return InvalidInput(
        N_("The case type file is not valid: %(problem)s"), problem=problem % params
    )


def _names(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict) or not value.get("en"):
        raise _bad("%(where)s needs names, at least in English (en)", where=where)
    missing = [lang for lang in DEFAULT_LANGUAGES if not str(value.get(lang) or "").strip()]
    if missing:
        raise _bad("%(where)s has no name in %(langs)s", where=where, langs=", ".join(missing))
    return {lang: str(value[lang]).strip() for lang in DEFAULT_LANGUAGES}


def _coded(items: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(items, list) or not items:
        raise _bad("%(where)s must be a non-empty list", where=where)
    seen: set[str] = set()
    out = []
    for item in items:
        if not isinstance(item, dict) or not str(item.get("code") or "").strip():
            raise _bad("every entry of %(where)s needs a code", where=where)
        code = str(item["code"]).strip()
        if code in seen:
            raise _bad("%(where)s lists %(code)s twice", where=where, code=code)
        seen.add(code)
        out.append({**item, "code": code, "names": _names(item.get("names"), f"{where} {code}")})
    return out


def _positive(data: Mapping[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 366:
        raise _bad("%(where)s: %(key)s must be a number of days (1-366)", where=where, key=key)
    return value


def _question(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict) or not str(item.get("name") or "").isidentifier():
        raise _bad("every assessment question needs a name (letters, digits, _)")
    name = str(item["name"])
    if name == RISK_FIELD:
        raise _bad("the assessment question name %(name)s is reserved", name=name)
    kind = item.get("type")
    if kind not in QUESTION_TYPES:
        raise _bad(
            "question %(name)s: type must be one of %(types)s",
            name=name,
            types=", ".join(QUESTION_TYPES),
        )
    question: dict[str, Any] = {
        "name": name,
        "type": kind,
        "required": bool(item.get("required", True)),
        "names": _names(item.get("names"), f"question {name}"),
    }
    if kind == "choice":
        options = item.get("options")
        if not isinstance(options, list) or len(options) < 2:
            raise _bad("question %(name)s needs at least two options", name=name)
        question["options"] = [
            {
                "value": str(o.get("value")),
                "names": _names(o.get("names"), f"question {name} option"),
            }
            for o in options
            if isinstance(o, dict)
        ]
        if any(o["value"].isdigit() or not o["value"] for o in question["options"]):
            raise _bad("question %(name)s: option values must be words, not numbers", name=name)
    if kind == "number":
        question["min"] = int(item.get("min", 0))
        question["max"] = int(item.get("max", 999_999))
    return question


def parse_definition(data: Any) -> dict[str, Any]:
    """The checked, normalised definition of a case type; InvalidInput naming the problem."""
    if not isinstance(data, dict):
        raise _bad("the file must describe one case type")
    code = str(data.get("code") or "").strip()
    if not code.replace("_", "").isalnum() or len(code) > 40:
        raise _bad("code must be letters, digits and _ (at most 40)")
    confidentiality = data.get("confidentiality")
    if confidentiality not in CONFIDENTIALITY:
        raise _bad("confidentiality must be one of %(levels)s", levels=", ".join(CONFIDENTIALITY))
    readers = data.get("readers") or []
    known_roles = {r.value for r in Role}
    if not isinstance(readers, list) or any(r not in known_roles for r in readers):
        raise _bad("readers must be a list of roles (%(roles)s)", roles=", ".join(known_roles))
    stages = _coded(data.get("stages"), "stages")
    starts = [s.get("starts_when") for s in stages]
    if sorted(map(str, starts)) != sorted(LIFECYCLE):
        raise _bad(
            "stages must start once each when the case is %(events)s", events=", ".join(LIFECYCLE)
        )
    risks = _coded(data.get("risk_levels"), "risk_levels")
    for risk in risks:
        risk["visit_every_days"] = _positive(risk, "visit_every_days", f"risk {risk['code']}")
    questions = data.get("assessment")
    if not isinstance(questions, list) or not questions:
        raise _bad("assessment must list at least one question")
    parsed_questions = [_question(q) for q in questions]
    names = [q["name"] for q in parsed_questions]
    if len(set(names)) != len(names):
        raise _bad("two assessment questions have the same name")
    return {
        "code": code,
        "names": _names(data.get("names"), "the case type"),
        "confidentiality": confidentiality,
        "readers": sorted(set(readers)),
        "stages": [
            {"code": s["code"], "names": s["names"], "starts_when": s["starts_when"]}
            for s in stages
        ],
        "risk_levels": [
            {"code": r["code"], "names": r["names"], "visit_every_days": r["visit_every_days"]}
            for r in risks
        ],
        "first_visit_within_days": _positive(data, "first_visit_within_days", "the case type"),
        "referral_response_days": _positive(data, "referral_response_days", "the case type"),
        "services": [
            {"code": s["code"], "names": s["names"]}
            for s in _coded(data.get("services"), "services")
        ],
        "closure_reasons": [
            {"code": r["code"], "names": r["names"]}
            for r in _coded(data.get("closure_reasons"), "closure_reasons")
        ],
        "assessment": parsed_questions,
    }


def read_case_type_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(N_("The file cannot be read: %(problem)s"), problem=str(exc)) from exc
    if "&" in text and "*" in text:
        # YAML aliases can blow up in size; case types never need them.
        for line in text.splitlines():
            stripped = line.split("#", 1)[0]
            if ": &" in stripped or ": *" in stripped:
                raise _bad("YAML anchors and aliases are not accepted")
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(N_("The file cannot be read: %(problem)s"), problem=str(exc)) from exc
    return parse_definition(data)


def checksum(definition: Mapping[str, Any]) -> str:
    blob = json.dumps(definition, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


@dataclass(frozen=True)
class LoadResult:
    case_type: CaseType
    created: bool  # a new version was added


def load_case_type(session: Session, definition: dict[str, Any], *, origin: Origin) -> LoadResult:
    """Stores `definition` as the current version of its code, unless it is unchanged."""
    digest = checksum(definition)
    code = definition["code"]
    current = current_type(session, code)
    if current is not None and current.checksum == digest:
        return LoadResult(current, False)
    latest = session.scalar(
        select(CaseType.version).where(CaseType.code == code).order_by(CaseType.version.desc())
    )
    session.execute(update(CaseType).where(CaseType.code == code).values(current=False))
    case_type = CaseType(
        code=code,
        version=(latest or 0) + 1,
        names=definition["names"],
        confidentiality=definition["confidentiality"],
        definition=definition,
        checksum=digest,
        current=True,
        loaded_by=origin.actor_name,
    )
    session.add(case_type)
    session.flush()
    record(
        session,
        origin,
        "case_type.load",
        target_type="case_type",
        target_id=f"{code}@{case_type.version}",
        details={"confidentiality": case_type.confidentiality, "checksum": digest[:16]},
    )
    return LoadResult(case_type, True)


def load_shipped(session: Session, *, origin: Origin) -> list[LoadResult]:
    return [
        load_case_type(session, read_case_type_file(path), origin=origin)
        for path in shipped_files()
    ]


def current_type(session: Session, code: str) -> CaseType | None:
    return session.scalar(select(CaseType).where(CaseType.code == code, CaseType.current))


def require_type(session: Session, code: str) -> CaseType:
    case_type = current_type(session, code)
    if case_type is None:
        raise InvalidInput(N_("Choose a case type from the list."), field="case_type")
    return case_type


def list_case_types(session: Session, *, all_versions: bool = False) -> list[CaseType]:
    stmt = select(CaseType).order_by(CaseType.code, CaseType.version.desc())
    if not all_versions:
        stmt = stmt.where(CaseType.current.is_(True))
    return list(session.scalars(stmt))


def type_versions(session: Session, code: str) -> list[CaseType]:
    versions = list(
        session.scalars(
            select(CaseType).where(CaseType.code == code).order_by(CaseType.version.desc())
        )
    )
    if not versions:
        raise NotFound(N_("No such case type."))
    return versions


# --- reading a definition ----------------------------------------------------------------


def label(entry: Mapping[str, Any], language: str) -> str:
    names = entry.get("names") or {}
    return str(names.get(language) or names.get("en") or entry.get("code") or "")


def entries(case_type: CaseType, key: str) -> list[dict[str, Any]]:
    return list(case_type.definition.get(key) or [])


def choices(case_type: CaseType, key: str, language: str) -> list[tuple[str, str]]:
    return [(e["code"], label(e, language)) for e in entries(case_type, key)]


def name_of(case_type: CaseType, key: str, code: str | None, language: str) -> str:
    for entry in entries(case_type, key):
        if entry["code"] == code:
            return label(entry, language)
    return code or ""


def stage_for(case_type: CaseType, event: str) -> str:
    for stage in entries(case_type, "stages"):
        if stage["starts_when"] == event:
            return str(stage["code"])
    raise KeyError(event)


def visit_interval(case_type: CaseType, risk: str | None) -> int:
    levels = entries(case_type, "risk_levels")
    for level in levels:
        if level["code"] == risk:
            return int(level["visit_every_days"])
    return min(int(level["visit_every_days"]) for level in levels)


def is_code(case_type: CaseType, key: str, code: str | None) -> bool:
    return any(e["code"] == code for e in entries(case_type, key))
