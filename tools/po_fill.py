"""Fills translations into the catalogs from a JSON file, for developers adding strings.

    python tools/po_fill.py translations.json

The JSON maps each msgid (or "context|msgid" for pgettext messages) to
{"fr": "...", "sw": "...", "pt": "...", "ar": "..."}; English needs no entry. Plural messages
take a list of forms per language. Run `kinga i18n update` first so the entries exist.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

LOCALES = Path(__file__).resolve().parent.parent / "locales"


def fill(mapping: dict[str, dict[str, str | list[str]]]) -> int:
    changed = 0
    for po_path in sorted(LOCALES.glob("*/LC_MESSAGES/messages.po")):
        language = po_path.parts[-3]
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        if language == "en":
            for message in catalog:
                if message.id and (
                    message.fuzzy  # a guess from a near msgid: English is the msgid itself
                    or not (
                        message.string if isinstance(message.string, str) else all(message.string)
                    )
                ):
                    message.string = message.id
                    message.flags.discard("fuzzy")
                    changed += 1
        for key, per_language in mapping.items():
            context, _, msgid = key.rpartition("|") if "|" in key else (None, "", key)
            message = catalog.get(msgid, context=context or None)
            if message is None:
                continue
            if language == "en":
                continue
            value = per_language.get(language, "")
            if not value:
                continue
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
            changed += 1
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=0, omit_header=False, ignore_obsolete=True)
    return changed


if __name__ == "__main__":
    data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    print(f"filled {fill(data)} entries")
