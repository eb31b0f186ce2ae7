"""The first screens: language choice, the main menu, and the offer to resume a registration."""

from __future__ import annotations

from registry.i18n import LANGUAGE_NAMES, translate_ctx
from registry.selfservice.resume import discard_draft, load_draft
from registry.selfservice.sessions import remember_language
from ussd.dialog import MAIN, Dialog, Go, Outcome, choice, invalid
from ussd.screens import Screen, numbered

REGISTER_FLOW = "register"


def first_screen(d: Dialog) -> str:
    """Where a new session starts: language (first time), resume offer, or the main menu."""
    if not d.state.language:
        return LanguageMenu.name
    draft = load_draft(d.kv, d.phone)
    if draft is not None and draft.flow == REGISTER_FLOW:
        return ResumeMenu.name
    return MAIN


class LanguageMenu:
    name = "language"
    flow = "language"

    def render(self, d: Dialog) -> Screen:
        names = [LANGUAGE_NAMES[code] for code in d.settings.languages]
        return Screen("Kinga", numbered(names), back=bool(d.state.language))

    def handle(self, d: Dialog, raw: str) -> Outcome:
        index = choice(raw, len(d.settings.languages))
        if index is None:
            return invalid(d)
        first_time = not d.state.language
        d.state.language = d.settings.languages[index]
        d.session.commit()  # end the reads: on SQLite a write after them could lose a race
        remember_language(d.session, d.phone, d.state.language)
        d.session.commit()  # before the draft lookup below, and before any store write
        if first_time:
            d.state.stack.clear()
            return Go(first_screen(d), push=False)
        d.state.stack.clear()
        return Go(MAIN, push=False)


class MainMenu:
    name = MAIN
    flow = None
    # Each option: the msgid shown and the screen it opens (`None`: decided by the flow).
    options = ("register", "status", "report", "track", "language")

    def render(self, d: Dialog) -> Screen:
        labels = [
            translate_ctx(d.lang, "ussd", "Register"),
            translate_ctx(d.lang, "ussd", "My status"),
            translate_ctx(d.lang, "ussd", "Report a problem"),
            translate_ctx(d.lang, "ussd", "Track my complaint"),
            translate_ctx(d.lang, "ussd", "Language"),
        ]
        return Screen("Kinga", numbered(labels), back=False)

    def handle(self, d: Dialog, raw: str) -> Outcome:
        index = choice(raw, len(self.options))
        if index is None:
            return invalid(d)
        d.state.flow = self.options[index]
        if self.options[index] == "register":
            from ussd.menus.register import begin_registration

            return begin_registration(d)
        if self.options[index] == "status":
            from ussd.menus.status import begin_status

            return begin_status(d)
        return Go(
            {"report": "report_category", "track": "track_number"}.get(
                self.options[index], LanguageMenu.name
            )
        )


class ResumeMenu:
    name = "resume"
    flow = REGISTER_FLOW
    allows_back = False

    def render(self, d: Dialog) -> Screen:
        header = translate_ctx(d.lang, "ussd", "You did not finish your registration.")
        labels = [
            translate_ctx(d.lang, "ussd", "Continue"),
            translate_ctx(d.lang, "ussd", "Start again"),
        ]
        return Screen(header, numbered(labels), back=False)

    def handle(self, d: Dialog, raw: str) -> Outcome:
        from ussd.menus.register import begin_registration, resume_registration

        index = choice(raw, 2)
        if index is None:
            return invalid(d)
        d.state.stack = [MAIN]  # `0` from the registration leads to the main menu, not here
        draft = load_draft(d.kv, d.phone) if index == 0 else None
        if draft is not None:
            outcome = resume_registration(d, draft.state)
        else:
            d.after_commit(lambda: discard_draft(d.kv, d.phone))
            outcome = begin_registration(d)
        return Go(outcome.screen, push=False) if isinstance(outcome, Go) else outcome
