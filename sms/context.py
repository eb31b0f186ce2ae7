"""What a keyword handler gets: the session, the caller, their language, and how to say things."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from registry.i18n import translations
from registry.kvstore import KeyValueStore
from registry.origin import Channel, Origin
from registry.settings import Settings
from sms.keywords import Command, keyword_for


@dataclass
class SmsContext:
    session: Session
    kv: KeyValueStore
    settings: Settings
    phone: str
    language: str
    keyword_language: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def origin(self) -> Origin:
        return Origin(channel=Channel.SMS, language=self.language, phone=self.phone)

    def words(self) -> dict[str, str]:
        """The keywords of the caller's language, to put into texts."""
        return {command.value: keyword_for(command, self.language) for command in Command}

    def say(self, msgid: str, **params: object) -> str:
        # Not `translate()`: one of the keyword placeholders is called `language`.
        return translations(self.language).ugettext(msgid) % {**self.words(), **params}


@dataclass(frozen=True)
class Reply:
    """What to answer (None: nothing now, e.g. a receipt is already in the outbox)."""

    text: str | None
    outcome: str
    language: str | None = None  # filled in by the dispatcher: the language it is written in
