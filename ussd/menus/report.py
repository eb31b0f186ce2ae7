"""Report a problem: category from the configured list, optional short text, anonymous or
not, confirm; the grievance service gives the tracking number and queues the SMS receipt."""

from __future__ import annotations

from typing import Any

from registry.errors import InvalidInput
from registry.grievances.service import GrievanceData, list_categories, lodge_grievance
from registry.i18n import translate, translate_ctx
from registry.scope import Scope
from ussd.dialog import MAIN, Dialog, Finish, Go, Outcome, Stay, choice, invalid
from ussd.screens import Screen, numbered

FLOW = "report"
TEXT_MAX = 160
SKIP = "1"


def _categories(d: Dialog) -> list[Any]:
    return list(list_categories(d.session, d.lang))


class CategoryMenu:
    name = "report_category"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        names = [category.name for category in _categories(d)]
        return Screen(translate_ctx(d.lang, "ussd", "What is the problem about?"), numbered(names))

    def handle(self, d: Dialog, raw: str) -> Outcome:
        categories = _categories(d)
        index = choice(raw, len(categories))
        if index is None:
            return invalid(d)
        d.data["report"] = {"category": categories[index].code, "name": categories[index].name}
        return Go(TextMenu.name)


class TextMenu:
    name = "report_text"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        return Screen(
            translate_ctx(d.lang, "ussd", "Describe the problem in a few words, or send 1 to skip:")
        )

    def handle(self, d: Dialog, raw: str) -> Outcome:
        text = raw.strip()
        if len(text) > TEXT_MAX:
            return Stay(translate_ctx(d.lang, "ussd", "Please write less."))
        d.data["report"]["text"] = "" if text == SKIP else text
        return Go(AnonymousMenu.name)


class AnonymousMenu:
    name = "report_anonymous"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        labels = [
            translate_ctx(d.lang, "ussd", "Yes, you may contact me"),
            translate_ctx(d.lang, "ussd", "No, keep me anonymous"),
        ]
        return Screen(
            translate_ctx(d.lang, "ussd", "May we contact you about it?"), numbered(labels)
        )

    def handle(self, d: Dialog, raw: str) -> Outcome:
        index = choice(raw, 2)
        if index is None:
            return invalid(d)
        d.data["report"]["anonymous"] = index == 1
        return Go(ConfirmMenu.name)


class ConfirmMenu:
    name = "report_confirm"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        report = d.data["report"]
        header = translate_ctx(
            d.lang, "ussd", "Send this report? %(category)s", category=report["name"]
        )
        labels = [translate_ctx(d.lang, "ussd", "Send"), translate_ctx(d.lang, "ussd", "Cancel")]
        return Screen(header, numbered(labels))

    def handle(self, d: Dialog, raw: str) -> Outcome:
        index = choice(raw, 2)
        if index is None:
            return invalid(d)
        if index == 1:
            d.data.pop("report", None)
            d.state.stack.clear()
            return Go(MAIN, push=False)
        report = d.data["report"]
        d.claim_once()
        try:
            grievance = lodge_grievance(
                d.session,
                GrievanceData(
                    category_code=report["category"],
                    # Words are optional on a keypad; the category then says what it is about.
                    text=report["text"] or report["name"],
                    area_code=None,  # the grievance service finds it from the phone
                    complainant_phone=d.phone,
                    person_id=None,
                    anonymous=report["anonymous"],
                    consent_to_contact=not report["anonymous"],
                    language=d.lang,
                ),
                origin=d.origin(),
                # The caller's own (gateway-authenticated) phone: linked wherever registered.
                scope=Scope.unrestricted(),
            )
        except InvalidInput as exc:
            return Stay(translate(d.lang, exc.msgid, **exc.params))
        return Finish(
            translate_ctx(
                d.lang,
                "ussd",
                "Your report is received. Tracking number: %(number)s. An SMS is on its way.",
                number=grievance.number,
            )
        )
