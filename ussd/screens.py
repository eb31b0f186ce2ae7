"""Screens within the USSD length limit: numbered options and long text, paged with `98`.

The gateway shows at most 182 characters including the `CON `/`END ` prefix; pages aim for 160
so that handsets with smaller buffers still show them whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LIMIT = 182  # characters, prefix included
TARGET = 160
PREFIX = 4  # "CON " / "END "
KEY_BACK = "0"
KEY_MAIN = "00"
KEY_MORE = "98"
ELLIPSIS = "…"


@dataclass
class Screen:
    """What a menu wants shown; `items` are paged, `header` is repeated on every page."""

    header: str
    items: list[str] = field(default_factory=list)
    end: bool = False
    back: bool = True  # offer `0 Back` (and `00 Menu`) in the footer


@dataclass(frozen=True)
class FooterWords:
    more: str
    back: str
    menu: str


def numbered(labels: list[str], start: int = 1) -> list[str]:
    return [f"{index} {label}" for index, label in enumerate(labels, start=start)]


def _clip(text: str, room: int) -> str:
    return text if len(text) <= room else text[: max(room - 1, 0)].rstrip() + ELLIPSIS


def _footer(words: FooterWords, more: bool, back: bool) -> str:
    parts = []
    if more:
        parts.append(f"{KEY_MORE} {words.more}")
    if back:
        parts.append(f"{KEY_BACK} {words.back}")
        parts.append(f"{KEY_MAIN} {words.menu}")
    return "  ".join(parts)


def paginate(screen: Screen, words: FooterWords) -> list[str]:
    """The pages of `screen`, each at most LIMIT characters with its prefix."""
    room = LIMIT - PREFIX
    aim = TARGET - PREFIX
    back = screen.back and not screen.end
    if screen.end:
        return [_clip("\n".join([screen.header, *screen.items]).strip(), room)]
    pages: list[list[str]] = []
    current: list[str] = []
    items = list(screen.items)
    header = _clip(screen.header, room - len(_footer(words, True, back)) - 2)
    while items:
        item = items[0]
        candidate = _body(header, [*current, item], _footer(words, True, back))
        if len(candidate) <= aim or (not current and len(candidate) <= room):
            current.append(items.pop(0))
            continue
        if not current:  # one item longer than a whole page: shorten it
            footer = _footer(words, True, back)
            spare = room - len(_body(header, [""], footer))
            current.append(_clip(items.pop(0), spare))
            continue
        pages.append(current)
        current = []
    if current or not pages:
        pages.append(current)
    # The last page has no `98 More`: it may hold what the footer no longer needs.
    bodies = []
    for index, lines in enumerate(pages):
        more = index < len(pages) - 1
        bodies.append(_body(header, lines, _footer(words, more, back)))
    return bodies


def _body(header: str, lines: list[str], footer: str) -> str:
    return "\n".join(part for part in [header, *lines, footer] if part)
