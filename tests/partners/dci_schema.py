"""Validation against the DCI standard's own schemas (the vendored YAML files)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

DATA = Path(__file__).resolve().parent.parent / "data" / "dci"
SOCIAL = "urn:dci:social"
CORE = "urn:dci:core"


@cache
def _registry() -> Registry:
    resources = []
    for uri, name in ((SOCIAL, "social_api_v1.0.0.yaml"), (CORE, "registry_core_api_v1.0.0.yaml")):
        document = yaml.safe_load((DATA / name).read_text())
        resources.append((uri, Resource(contents=document, specification=DRAFT202012)))
    return Registry().with_resources(resources)


def _pointer(path: str) -> str:
    return path.replace("~", "~0").replace("/", "~1")


def request_schema(document: str, path: str) -> str:
    return f"{document}#/paths/{_pointer(path)}/post/requestBody/content/application~1json/schema"


def validate(instance: Any, ref: str) -> None:
    Draft202012Validator({"$ref": ref}, registry=_registry()).validate(instance)


def validate_request(instance: Any, path: str, document: str = SOCIAL) -> None:
    validate(instance, request_schema(document, path))


def validate_sync_response(instance: Any, path: str) -> None:
    validate(
        instance,
        f"{SOCIAL}#/paths/{_pointer(path)}/post/responses/default/content/application~1json/schema",
    )


def validate_ack(instance: Any) -> None:
    validate(instance, f"{SOCIAL}#/components/responses/Response/content/application~1json/schema")
