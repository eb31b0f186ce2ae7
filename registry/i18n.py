"""Translations without Flask: the same gettext catalogs the web uses, for SMS, USSD and workers.

Catalogs live in `locales/<ll>/LC_MESSAGES/messages.po`; the compiled `.mo` files are build
products (never committed) and are rebuilt here when missing or older than their `.po`.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from registry.settings import DEFAULT_LANGUAGES, ROOT

LOCALES_DIR = ROOT / "locales"
DOMAIN = "messages"
RTL_LANGUAGES = frozenset({"ar"})
LANGUAGE_NAMES = {
    "en": "English",
    "fr": "Français",
    "sw": "Kiswahili",
    "pt": "Português",
    "ar": "العربية",
}
_compile_lock = threading.Lock()


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    return message


def compile_catalog(language: str, *, force: bool = False) -> Path | None:
    """Builds `messages.mo` from `messages.po` when it is missing or stale."""
    po_path = LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo_path = po_path.with_suffix(".mo")
    if not po_path.exists():
        return None
    with _compile_lock:
        if force or not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=language)
            # A temporary name of this process's own: several processes (gunicorn workers, a
            # job worker) may compile at the same start; each replace is atomic.
            tmp = mo_path.with_suffix(f".mo.{os.getpid()}.{threading.get_ident()}.tmp")
            with tmp.open("wb") as mo_file:
                write_mo(mo_file, catalog, use_fuzzy=False)
            tmp.replace(mo_path)
    return mo_path


def compile_all(force: bool = False) -> list[Path]:
    return [p for lang in DEFAULT_LANGUAGES if (p := compile_catalog(lang, force=force))]


@lru_cache(maxsize=16)
def translations(language: str) -> NullTranslations:
    if language not in DEFAULT_LANGUAGES or compile_catalog(language) is None:
        return NullTranslations()
    return Translations.load(str(LOCALES_DIR), [language], DOMAIN)


def translate(language: str, message: str, **params: object) -> str:
    text = translations(language).ugettext(message)
    return text % params if params else text


def translate_ctx(language: str, context: str, message: str, **params: object) -> str:
    text = translations(language).upgettext(context, message)
    return text % params if params else text


def translate_plural(language: str, singular: str, plural: str, n: int, **params: object) -> str:
    text = translations(language).ungettext(singular, plural, n)
    params.setdefault("num", n)
    return text % params


def is_rtl(language: str) -> bool:
    return language in RTL_LANGUAGES
