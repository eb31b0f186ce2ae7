"""From an inbound SMS to a reply: language, pending conversation, then keyword by first word."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from registry.grievances.survey import SATISFIED, record_survey_answer
from registry.households.models import Person
from registry.kvstore import KeyValueStore
from registry.messaging.optout import preferred_language
from registry.selfservice.sessions import preferred_language as ussd_language
from registry.settings import Settings
from sms.commands import basic, grievances, register, status
from sms.context import Reply, SmsContext
from sms.keywords import Command, parse

log = logging.getLogger(__name__)

Handler = Callable[[SmsContext, str], Reply]

HANDLERS: dict[Command, Handler] = {
    Command.HELP: basic.help_,
    Command.LANGUAGE: basic.language,
    Command.STOP: basic.stop,
    Command.START: basic.start,
    Command.REGISTER: register.register,
    Command.STATUS: status.status,
    Command.COMPLAIN: grievances.complain,
    Command.TRACK: grievances.track,
}


def caller_language(
    session: Session, settings: Settings, phone: str, keyword_language: str | None
) -> str:
    """The number's LANGUAGE choice, else the keyword's language, else the one chosen on USSD,
    else the person's own."""
    offered = settings.languages
    chosen = preferred_language(session, phone)
    if chosen in offered:
        return chosen  # type: ignore[return-value]
    if keyword_language in offered:
        return keyword_language  # type: ignore[return-value]
    dialled = ussd_language(session, phone)
    if dialled in offered:
        return dialled  # type: ignore[return-value]
    recorded = session.scalar(select(Person.language).where(Person.phone == phone).limit(1))
    return recorded if recorded in offered else settings.default_language


def handle_text(
    session: Session, kv: KeyValueStore, settings: Settings, phone: str, text: str
) -> Reply:
    parsed = parse(text)
    language = caller_language(session, settings, phone, parsed.language)
    ctx = SmsContext(session, kv, settings, phone, language, parsed.language)
    reply = _survey_answer(ctx, text) or _answer(ctx, parsed.command, parsed.rest, text)
    return replace(reply, language=ctx.language)


def _survey_answer(ctx: SmsContext, text: str) -> Reply | None:
    """A "1"/"2" to a waiting satisfaction survey, before keywords and a registration under way.

    The grievance desk queues the confirmation (closed, or open again) itself, so nothing is
    answered here."""
    grievance = record_survey_answer(ctx.session, ctx.phone, text, ctx.origin)
    if grievance is None:
        return None
    satisfied = grievance.survey_answer == SATISFIED
    return Reply(None, "survey_satisfied" if satisfied else "survey_not_satisfied")


def _answer(ctx: SmsContext, command: Command | None, rest: str, text: str) -> Reply:
    if command is None:
        pending = register.pending_answer(ctx, text)
        if pending is not None:
            return pending
        return basic.unknown(ctx, rest)
    return HANDLERS[command](ctx, rest)
