"""The registry of job kinds: bodies register with `@job(...)` in the domain that owns them.

The worker imports every module in `JOB_MODULES`, so a body is known wherever jobs run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from registry.users.roles import Permission

JobBody = Callable[..., dict[str, Any] | None]

# Dotted paths of the modules holding job bodies; a new domain appends its module here.
JOB_MODULES: tuple[str, ...] = (
    "registry.programs.jobs",
    "registry.privacy.jobs",
    "registry.cards.jobs",
    "registry.matching.jobs",
    "registry.audit.jobs",
    "registry.payments.jobs",
    "registry.partners.jobs",
    "registry.grievances.jobs",
    "registry.indicators.jobs",
)


@dataclass(frozen=True)
class JobSpec:
    kind: str
    title: str  # an N_() msgid, translated on the job pages
    # Who, besides the starter, may see the job and fetch its files (within their areas);
    # None: nobody but the starter.
    permission: Permission | None
    body: JobBody
    max_attempts: int = 3
    result_labels: dict[str, str] = field(default_factory=dict)  # result key -> N_() msgid


_SPECS: dict[str, JobSpec] = {}


def job(
    kind: str,
    *,
    title: str,
    permission: Permission | None,
    max_attempts: int = 3,
    result_labels: dict[str, str] | None = None,
) -> Callable[[JobBody], JobBody]:
    """Registers a job body under `kind`; the body is called as `body(ctx, **params)`.

    `result_labels` names the keys of the returned summary (N_() msgids) for the job page.
    """

    def register(body: Callable[..., Any]) -> Callable[..., Any]:
        existing = _SPECS.get(kind)
        if existing is not None and existing.body.__qualname__ != body.__qualname__:
            raise ValueError(f"job kind {kind!r} registered twice")
        _SPECS[kind] = JobSpec(
            kind, title, permission, body, max_attempts, dict(result_labels or {})
        )
        return body

    return register


def load_job_modules(modules: tuple[str, ...] | None = None) -> None:
    for name in JOB_MODULES if modules is None else modules:
        importlib.import_module(name)


def spec_for(kind: str) -> JobSpec:
    if kind not in _SPECS:
        load_job_modules()
    return _SPECS[kind]


def all_specs() -> dict[str, JobSpec]:
    load_job_modules()
    return dict(_SPECS)
