"""Languages a person may receive messages in, each named in its own language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from registry.i18n import LANGUAGE_NAMES
from registry.settings import DEFAULT_LANGUAGES

if TYPE_CHECKING:
    from forms.engine import FormContext


def language_choices(ctx: FormContext) -> list[tuple[str, str]]:
    return [(code, LANGUAGE_NAMES[code]) for code in DEFAULT_LANGUAGES]
