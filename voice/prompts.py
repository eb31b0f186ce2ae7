"""Every fixed sentence a caller can hear, by key, in the `voice` context of the catalogs.

The key names a program's recorded file (`<key>.wav` per language, see `voice.audio`); the
text is what the synthesiser says when no recording is provided. Sentences with a value in them
(a number, a date, a name) are said by the synthesiser from the same catalogs.
"""

from __future__ import annotations

from registry.i18n import translate_ctx
from voice.turn import Speech

CONTEXT = "voice"


def pgettext(context: str, message: str) -> str:
    """Marks `message` for the extractor (keyword `pgettext:1c,2`); translated by `say`."""
    return message


PROMPTS: dict[str, str] = {
    "welcome": pgettext("voice", "Welcome to the social protection line."),
    "language": pgettext("voice", "For English, press %(digit)s."),
    "menu": pgettext(
        "voice",
        "To hear your status, press 1. To report a problem, press 2. "
        "To follow a complaint, press 3.",
    ),
    "invalid": pgettext("voice", "Sorry, that key is not one of the choices."),
    "no_input": pgettext("voice", "We did not hear a key."),
    "goodbye": pgettext("voice", "Thank you for calling. Goodbye."),
    "status_number": pgettext(
        "voice", "Enter your household or card number, then press the hash key."
    ),
    "status_year": pgettext(
        "voice", "Enter the year of birth of the head of household, then press the hash key."
    ),
    "number_mistake": pgettext("voice", "This number has a mistake. Please check it."),
    "year_mistake": pgettext("voice", "Enter four digits, for example 1 9 8 0."),
    "not_found": pgettext(
        "voice",
        "We could not find a household with these details. Check them and try again later, "
        "or ask a field worker.",
    ),
    "too_many": pgettext("voice", "Too many tries. Please try again later."),
    "category": pgettext("voice", "What is the problem about?"),
    "category_choice": pgettext("voice", "For %(name)s, press %(digit)s."),
    "consent": pgettext(
        "voice", "May we call you back about it? Press 1 for yes, 2 to stay anonymous."
    ),
    "record": pgettext(
        "voice", "After the beep, say what the problem is, then press the hash key."
    ),
    "received": pgettext("voice", "Your report is received."),
    "tracking": pgettext("voice", "Your tracking number is: %(digits)s."),
    "repeat_tracking": pgettext("voice", "Again, your tracking number is: %(digits)s."),
    "record_again": pgettext(
        "voice", "We did not hear a message. Please try again after the beep."
    ),
    "track_number": pgettext("voice", "Enter your tracking number, then press the hash key."),
    "track_unknown": pgettext("voice", "No complaint with this number. Check it and try later."),
    "complaint_status": pgettext("voice", "Complaint %(digits)s: %(status)s."),
    "complaint_reply": pgettext("voice", "The last answer was: %(text)s"),
    "registration": pgettext("voice", "Registration: %(label)s."),
    "program_line": pgettext("voice", "%(program)s: %(status)s."),
    "next_payment": pgettext("voice", "Next payment on %(date)s: %(what)s."),
    "household": pgettext("voice", "Household %(digits)s."),
    "busy": pgettext("voice", "Please call again in a minute."),
    "callback": pgettext("voice", "You called us, so we are calling you back at no cost to you."),
}


def say(language: str, key: str, **params: object) -> str:
    """The prompt `key` in `language`, with its values filled in."""
    return translate_ctx(language, CONTEXT, PROMPTS[key], **params)


# Prompts with no value in them: each has a clip per language (recorded, else synthesised once).
FIXED_KEYS: tuple[str, ...] = tuple(key for key, text in PROMPTS.items() if "%(" not in text)


def fixed_prompts(languages: tuple[str, ...]) -> list[Speech]:
    """Every sentence that is the same for every caller, in every language: what a program can
    record, and what `kinga voice prompts` prepares ahead of the first call."""
    speech = [Speech(say(lang, key), lang, key) for lang in languages for key in FIXED_KEYS]
    for digit, lang in enumerate(languages, start=1):  # the language menu, each in its own
        speech.append(Speech(say(lang, "language", digit=digit), lang, f"language_{digit}"))
    return speech
