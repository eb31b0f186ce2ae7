"""Errors services raise; doors turn them into localized messages or statuses."""

from __future__ import annotations


class DomainError(Exception):
    """A refusal with a translatable message id (`msgid`) and format parameters."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid % params if params else msgid)
        self.msgid = msgid
        self.params = params


class NotFound(DomainError):
    """Absent, or outside the caller's areas: the two are indistinguishable on purpose."""


class Forbidden(DomainError):
    pass


class InvalidInput(DomainError):
    def __init__(self, msgid: str, field: str | None = None, **params: object) -> None:
        super().__init__(msgid, **params)
        self.field = field


class Conflict(DomainError):
    pass
