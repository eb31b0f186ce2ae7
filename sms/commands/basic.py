"""HELP, STOP, START, LANGUAGE and the answer to an unknown word."""

from __future__ import annotations

from registry.i18n import LANGUAGE_NAMES
from registry.messaging.optout import opt_in, opt_out, set_preferred_language
from registry.selfservice.sessions import remember_language
from sms import texts
from sms.context import Reply, SmsContext
from sms.keywords import Command, fold, parse


def help_(ctx: SmsContext, rest: str) -> Reply:
    if parse(rest).command == Command.REGISTER:
        return Reply(ctx.say(texts.HELP_REGISTER), "help.register")
    return Reply(ctx.say(texts.HELP), "help")


def unknown(ctx: SmsContext, rest: str) -> Reply:
    return Reply(ctx.say(texts.UNKNOWN), "unknown")


def stop(ctx: SmsContext, rest: str) -> Reply:
    opt_out(ctx.session, ctx.phone, origin=ctx.origin)
    return Reply(ctx.say(texts.OPTED_OUT), "opted_out")


def start(ctx: SmsContext, rest: str) -> Reply:
    opt_in(ctx.session, ctx.phone, origin=ctx.origin)
    return Reply(ctx.say(texts.OPTED_IN), "opted_in")


_LANGUAGE_ALIASES = {
    "english": "en",
    "anglais": "en",
    "kiingereza": "en",
    "ingles": "en",
    "french": "fr",
    "francais": "fr",
    "kifaransa": "fr",
    "frances": "fr",
    "swahili": "sw",
    "kiswahili": "sw",
    "portuguese": "pt",
    "portugais": "pt",
    "kireno": "pt",
    "portugues": "pt",
    "arabic": "ar",
    "arabe": "ar",
    "kiarabu": "ar",
    "العربيه": "ar",
    "عربي": "ar",
}


def _chosen_language(ctx: SmsContext, rest: str) -> str | None:
    offered = ctx.settings.languages
    word = fold(rest.split()[0]) if rest.split() else ""
    if not word:
        return None
    if word.isdigit() and 1 <= int(word) <= len(offered):
        return offered[int(word) - 1]
    code = word if word in offered else _LANGUAGE_ALIASES.get(word)
    if code is None:
        code = next((c for c in offered if fold(LANGUAGE_NAMES[c]) == word), None)
    return code if code in offered else None


def language(ctx: SmsContext, rest: str) -> Reply:
    code = _chosen_language(ctx, rest)
    if code is None:
        choices = ", ".join(
            f"{code.upper()} {LANGUAGE_NAMES[code]}" for code in ctx.settings.languages
        )
        return Reply(ctx.say(texts.LANGUAGE_MENU, choices=choices), "language.menu")
    set_preferred_language(ctx.session, ctx.phone, code, origin=ctx.origin)
    remember_language(ctx.session, ctx.phone, code)  # the USSD menu offers it next time too
    ctx.language = code
    return Reply(ctx.say(texts.LANGUAGE_SET), "language.set")
