"""The menu engine: applies each input to the current screen and renders the next one.

Menus (in `ussd.menus`) say what a screen shows and where an answer leads; this module owns
the keys that mean the same everywhere: `0` back, `00` main menu, `98` more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.orm import Session

from registry.i18n import translate_ctx
from registry.kvstore import KeyValueStore
from registry.origin import Channel, Origin
from registry.settings import Settings
from ussd.screens import KEY_BACK, KEY_MAIN, KEY_MORE, FooterWords, Screen, paginate
from ussd.state import DialogState, claim_key, claim_once

MAIN = "main"


class Duplicate(Exception):
    """A concurrent duplicate of a request that changes data: the first one answers it."""


@dataclass(frozen=True)
class Go:
    screen: str
    push: bool = True


@dataclass(frozen=True)
class Stay:
    error: str | None = None


@dataclass(frozen=True)
class Finish:
    text: str


Outcome = Go | Stay | Finish


class Menu(Protocol):
    name: str
    flow: str | None

    def render(self, d: Dialog) -> Screen: ...
    def handle(self, d: Dialog, raw: str) -> Outcome: ...


class Dialog:
    """One request's view of a session: the state, the database session, the key-value store."""

    def __init__(
        self,
        state: DialogState,
        session: Session,
        kv: KeyValueStore,
        settings: Settings,
        gateway: str,
        session_id: str,
        menus: dict[str, Menu],
    ) -> None:
        self.state = state
        self.session = session
        self.kv = kv
        self.settings = settings
        self.gateway = gateway
        self.session_id = session_id
        self.menus = menus
        self.error: str | None = None
        self.finished: str | None = None
        self.deferred: list[Callable[[], None]] = []
        self.claimed: list[str] = []  # keys to release if the request fails

    @property
    def lang(self) -> str:
        return self.state.language or self.settings.default_language

    @property
    def phone(self) -> str:
        return self.state.phone

    @property
    def data(self) -> dict:  # type: ignore[type-arg]
        return self.state.data

    def origin(self) -> Origin:
        return Origin(channel=Channel.USSD, language=self.lang, phone=self.phone, actor_name="ussd")

    def after_commit(self, action: Callable[[], None]) -> None:
        """Runs `action` (a key-value store write) once the request's transaction committed.

        With the SQL store on SQLite, a store write while this request holds the write lock
        would wait for it; and a draft must not outlive a registration that rolled back.
        """
        self.deferred.append(action)

    def claim_once(self) -> None:
        """Call before a change that must not happen twice (a registration, a report)."""
        if not claim_once(self.kv, self.gateway, self.session_id, self.state.steps):
            raise Duplicate
        self.claimed.append(claim_key(self.gateway, self.session_id, self.state.steps))

    def footer_words(self) -> FooterWords:
        return FooterWords(
            more=translate_ctx(self.lang, "ussd", "More"),
            back=translate_ctx(self.lang, "ussd", "Back"),
            menu=translate_ctx(self.lang, "ussd", "Menu"),
        )

    # -- moving between screens -------------------------------------------------------------

    def go(self, screen: str, push: bool = True) -> None:
        if push and self.state.screen != screen:
            self.state.stack.append(self.state.screen)
        self.state.screen = screen
        self.state.page = 0
        menu = self.menus[screen]
        self.state.flow = menu.flow or self.state.flow

    def main_menu(self) -> None:
        self.state.stack.clear()
        self.go(MAIN, push=False)

    # -- one input ----------------------------------------------------------------------------

    def apply(self, raw: str) -> None:
        raw = raw.strip()
        self.error = None
        self.state.steps += 1
        menu = self.menus[self.state.screen]
        if raw == KEY_MAIN and self.state.language:
            self.main_menu()
            return
        if raw == KEY_MORE and self.state.page + 1 < len(self.pages()):
            self.state.page += 1
            return
        if raw == KEY_BACK and getattr(menu, "allows_back", True):
            if getattr(menu, "back", None) and menu.back(self):  # type: ignore[attr-defined]
                return
            if self.state.stack:
                self.go(self.state.stack.pop(), push=False)
            return
        outcome = menu.handle(self, raw)
        if isinstance(outcome, Go):
            self.go(outcome.screen, push=outcome.push)
        elif isinstance(outcome, Finish):
            self.finished = outcome.text
        else:
            self.error = outcome.error

    # -- rendering ----------------------------------------------------------------------------

    def screen(self) -> Screen:
        screen = self.menus[self.state.screen].render(self)
        if self.error:
            screen.header = f"{self.error}\n{screen.header}"
        return screen

    def pages(self) -> list[str]:
        return paginate(self.screen(), self.footer_words())

    def reply_text(self) -> tuple[str, bool]:
        if self.finished is not None:
            return paginate(Screen(self.finished, end=True), self.footer_words())[0], True
        screen = self.screen()
        pages = paginate(screen, self.footer_words())
        page = min(self.state.page, len(pages) - 1)
        return pages[page], screen.end


def choice(raw: str, count: int) -> int | None:
    """The 0-based index of a numbered option, or None when `raw` is not one of them."""
    if not raw.isdigit() or raw.startswith("0"):
        return None
    index = int(raw) - 1
    return index if 0 <= index < count else None


def invalid(d: Dialog) -> Stay:
    return Stay(translate_ctx(d.lang, "ussd", "Please choose a number from the list."))
