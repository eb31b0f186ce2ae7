"""Track my complaint: tracking number in, status and the last public reply out."""

from __future__ import annotations

from registry.grievances.service import track_for_caller, track_grievance
from registry.i18n import translate_ctx
from registry.numbers import is_valid, normalize
from ussd.dialog import Dialog, Finish, Go, Outcome, Stay
from ussd.screens import Screen

FLOW = "track"


class NumberMenu:
    name = "track_number"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        return Screen(translate_ctx(d.lang, "ussd", "Enter your tracking number:"))

    def handle(self, d: Dialog, raw: str) -> Outcome:
        number = normalize(raw)
        if not (number.isdigit() and len(number) <= 10 and is_valid(number)):
            return Stay(translate_ctx(d.lang, "ussd", "This number has a mistake. Check it."))
        if track_for_caller(d.session, d.kv, d.phone, number, d.lang) is None:
            return _unknown(d)
        d.data["track_number"] = number
        return Go(ResultMenu.name)


def _unknown(d: Dialog) -> Finish:
    return Finish(
        translate_ctx(d.lang, "ussd", "No complaint with this number. Check it and try later.")
    )


class ResultMenu:
    name = "track_result"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        view = track_grievance(d.session, d.data["track_number"], d.lang)
        if view is None:
            return Screen(_unknown(d).text, end=True)
        header = translate_ctx(
            d.lang,
            "ussd",
            "Complaint %(number)s: %(status)s",
            number=view.number,
            status=view.status_label,
        )
        lines = []
        if view.last_public_reply:
            lines.append(
                translate_ctx(d.lang, "ussd", "Reply: %(text)s", text=view.last_public_reply)
            )
        return Screen(header, lines)

    def handle(self, d: Dialog, raw: str) -> Outcome:
        return Stay()
