"""Who acts, through which channel, in which language and area: passed to every service."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Channel(StrEnum):
    WEB = "web"
    FIELD = "field"
    USSD = "ussd"
    SMS = "sms"
    API = "api"
    CLI = "cli"
    SYSTEM = "system"


@dataclass(frozen=True)
class Origin:
    channel: Channel
    language: str = "en"
    actor_id: int | None = None
    actor_name: str | None = None
    phone: str | None = None
    area_code: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    ip: str | None = None
    request_id: str | None = None  # the web request (or job) this action came from

    @classmethod
    def system(cls, name: str = "system", language: str = "en") -> Origin:
        return cls(channel=Channel.SYSTEM, language=language, actor_name=name)

    @classmethod
    def cli(cls, name: str = "cli", language: str = "en") -> Origin:
        return cls(channel=Channel.CLI, language=language, actor_name=name)
