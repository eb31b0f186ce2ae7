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
MIN_ITEM_ROOM = 40  # a page keeps at least this much room for items under its header


@dataclass
class Screen:
    """What a menu wants shown; `items` are paged, `header` is repeated on every page."""

    header: str
    items: list[str] = field(default_factory=list)
    end: bool = False
    back: bool = True  # offer `0 Back` (and `00 Menu`) in the footer
    more: bool = False  # offer `98 More` on the last page too (the menu pages on its own)


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


def _wrap(text: str, width: int) -> list[str]:
    """`text` in pieces of at most `width` characters, cut between words where possible."""
    pieces: list[str] = []
    width = max(width, 1)
    while len(text) > width:
        cut = text.rfind(" ", 0, width + 1)
        cut = cut if cut > width // 2 else width
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return pieces


def paginate(screen: Screen, words: FooterWords) -> list[str]:
    """The pages of `screen`, each at most LIMIT characters with its prefix.

    Items go on a page while it stays within TARGET; an item too long for any page is split
    between words over several pages, never cut short.
    """
    room = LIMIT - PREFIX
    aim = TARGET - PREFIX
    back = screen.back and not screen.end
    if screen.end:
        return [_clip("\n".join([screen.header, *screen.items]).strip(), room)]
    longest_footer = _footer(words, True, back)
    header, items = screen.header, list(screen.items)
    if len(header) > room - len(longest_footer) - 2 - MIN_ITEM_ROOM:
        # A header this long (a long question under an error) is paged like the items.
        header, items = "", [*header.split("\n"), *items]
    spare = room - len(header) - len(longest_footer) - 2  # room for item lines on a page
    items = [piece for item in items for piece in _wrap(item, spare)]
    pages: list[list[str]] = []
    current: list[str] = []
    for item in items:
        candidate = _body(header, [*current, item], longest_footer)
        if current and len(candidate) > aim:
            pages.append(current)
            current = []
        current.append(item)
    if current or not pages:
        pages.append(current)
    return [
        _body(header, lines, _footer(words, index < len(pages) - 1 or screen.more, back))
        for index, lines in enumerate(pages)
    ]


def _body(header: str, lines: list[str], footer: str) -> str:
    return "\n".join(part for part in [header, *lines, footer] if part)
