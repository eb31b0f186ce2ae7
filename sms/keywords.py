"""Keywords by first word, in every shipped language, case- and accent-insensitive.

Each command has its words in each language; the word a person used also tells which language
to answer in (until they choose one with LANGUAGE).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum


class Command(StrEnum):
    HELP = "help"
    LANGUAGE = "language"
    STOP = "stop"
    START = "start"
    REGISTER = "register"
    STATUS = "status"
    COMPLAIN = "complain"
    TRACK = "track"


KEYWORDS: dict[Command, dict[str, tuple[str, ...]]] = {
    Command.HELP: {
        "en": ("HELP", "INFO"),
        "fr": ("AIDE",),
        "sw": ("MSAADA",),
        "pt": ("AJUDA",),
        "ar": ("مساعدة",),
    },
    Command.LANGUAGE: {
        "en": ("LANGUAGE", "LANG"),
        "fr": ("LANGUE",),
        "sw": ("LUGHA",),
        "pt": ("IDIOMA", "LÍNGUA"),
        "ar": ("لغة", "اللغة"),
    },
    Command.STOP: {
        "en": ("STOP", "UNSUBSCRIBE"),
        "fr": ("ARRÊT", "ARRETER"),
        "sw": ("ACHA", "SITISHA"),
        "pt": ("PARAR", "SAIR"),
        "ar": ("توقف", "إيقاف"),
    },
    Command.START: {
        "en": ("START", "UNSTOP"),
        "fr": ("REPRENDRE", "DÉBUT"),
        "sw": ("ANZA", "ENDELEA"),
        "pt": ("INICIAR", "RETOMAR"),
        "ar": ("ابدأ", "استئناف"),
    },
    Command.REGISTER: {
        "en": ("REGISTER", "REG"),
        "fr": ("INSCRIRE", "INSCRIPTION"),
        "sw": ("SAJILI", "JISAJILI"),
        "pt": ("REGISTAR", "REGISTRAR", "CADASTRAR"),
        "ar": ("تسجيل", "سجل"),
    },
    Command.STATUS: {
        "en": ("STATUS",),
        "fr": ("STATUT", "ÉTAT"),
        "sw": ("HALI",),
        "pt": ("ESTADO", "SITUAÇÃO"),
        "ar": ("حالة", "الحالة"),
    },
    Command.COMPLAIN: {
        "en": ("COMPLAIN", "COMPLAINT"),
        "fr": ("PLAINTE",),
        "sw": ("MALALAMIKO", "LALAMIKA"),
        "pt": ("RECLAMAR", "QUEIXA", "RECLAMAÇÃO"),
        "ar": ("شكوى",),
    },
    Command.TRACK: {
        "en": ("TRACK",),
        "fr": ("SUIVI", "SUIVRE"),
        "sw": ("FUATILIA",),
        "pt": ("ACOMPANHAR", "SEGUIR"),
        "ar": ("تتبع", "متابعة"),
    },
}

_ARABIC_FOLDS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None}
)


def fold(word: str) -> str:
    """The form words are compared in: no case, no accents, Arabic letter variants merged."""
    word = word.translate(_ARABIC_FOLDS)
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.casefold().strip(".,;:!?*#\"'()")


def _index() -> dict[str, tuple[Command, str]]:
    table: dict[str, tuple[Command, str]] = {}
    for command, by_language in KEYWORDS.items():
        for language, words in by_language.items():
            for word in words:
                folded = fold(word)
                if folded in table and table[folded] != (command, language):
                    raise ValueError(f"keyword {word!r} is used twice")
                table[folded] = (command, language)
    return table


INDEX = _index()


@dataclass(frozen=True)
class Parsed:
    command: Command | None
    language: str | None  # the language of the keyword, when one matched
    rest: str  # everything after the first word, trimmed
    word: str


def parse(text: str) -> Parsed:
    text = (text or "").strip()
    parts = text.split(None, 1)
    if not parts:
        return Parsed(None, None, "", "")
    first, rest = parts[0], parts[1] if len(parts) > 1 else ""
    hit = INDEX.get(fold(first))
    if hit is None:
        return Parsed(None, None, text, first)
    return Parsed(hit[0], hit[1], rest.strip(), first)


def keyword_for(command: Command, language: str) -> str:
    """The main word for `command` in `language`, to show in help texts."""
    return KEYWORDS[command].get(language, KEYWORDS[command]["en"])[0]
