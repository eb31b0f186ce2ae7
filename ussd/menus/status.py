"""My status: the caller's own household, found by phone or by number plus the head's birth
year, answered from the registry's status service (registration, programs, next payment)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from registry.households.models import Household
from registry.i18n import translate_ctx
from registry.numbers import normalize
from registry.programs.status import household_status
from registry.selfservice.lookup import find_household_for_status, is_lookup_number
from ussd.dialog import Dialog, Finish, Go, Outcome, Stay
from ussd.screens import Screen
from webapp.limits import note_status_lookup

FLOW = "status"
OLDEST_BIRTH_YEAR = 1900


def begin_status(d: Dialog) -> Outcome:
    household = find_household_for_status(d.session, d.kv, caller_phone=d.phone)
    if household is not None:
        d.data["status_household"] = household.id
        return Go(StatusMenu.name)
    return Go(NumberMenu.name)


def not_found(d: Dialog) -> Finish:
    """One answer for unknown number, wrong year and too many tries: nothing to learn from it."""
    return Finish(
        translate_ctx(
            d.lang,
            "ussd",
            "We could not find a household with these details. Check them and try again "
            "later, or ask a field worker.",
        )
    )


class NumberMenu:
    name = "status_number"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        return Screen(translate_ctx(d.lang, "ussd", "Enter your household or card number:"))

    def handle(self, d: Dialog, raw: str) -> Outcome:
        number = normalize(raw)
        if not is_lookup_number(number):
            return Stay(translate_ctx(d.lang, "ussd", "This number has a mistake. Check it."))
        d.data["status_number"] = number
        return Go(YearMenu.name)


class YearMenu:
    name = "status_year"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        return Screen(
            translate_ctx(d.lang, "ussd", "Enter the year of birth of the head of household:")
        )

    def handle(self, d: Dialog, raw: str) -> Outcome:
        raw = raw.strip()
        if not (raw.isdigit() and len(raw) == 4 and OLDEST_BIRTH_YEAR <= int(raw) <= _this_year()):
            return Stay(translate_ctx(d.lang, "ussd", "Enter 4 digits, for example 1980."))
        note_status_lookup()  # counts against the flask-limiter status lookup limits
        household = find_household_for_status(
            d.session,
            d.kv,
            caller_phone=d.phone,
            number=d.data.get("status_number"),
            head_birth_year=int(raw),
        )
        if household is None:
            return not_found(d)
        d.data["status_household"] = household.id
        return Go(StatusMenu.name)


def _this_year() -> int:
    return date.today().year


class StatusMenu:
    name = "status_show"
    flow = FLOW

    def render(self, d: Dialog) -> Screen:
        household = d.session.scalar(
            select(Household)
            .options(selectinload(Household.members))
            .where(Household.id == d.data["status_household"])
        )
        if household is None:  # removed while the caller was reading
            return Screen(not_found(d).text, end=True)
        view = household_status(d.session, household, d.lang)
        lines = [
            translate_ctx(d.lang, "ussd", "Registration: %(label)s", label=view.registration_label)
        ]
        for line in view.enrollments:
            text = f"{line.program_name}: {line.status_label}"
            lines.append(f"{text}. {line.reason}" if line.reason else text)
        payment = view.next_payment
        if payment is not None:
            what = payment.items or (
                f"{payment.amount} {payment.currency}" if payment.amount is not None else ""
            )
            lines.append(
                translate_ctx(
                    d.lang,
                    "ussd",
                    "Next payment: %(date)s %(what)s",
                    date=payment.due_date.isoformat(),
                    what=what,
                ).strip()
            )
        last = view.last_payment
        if last is not None:
            what = last.items or (
                f"{last.amount} {last.currency}" if last.amount is not None else ""
            )
            lines.append(
                translate_ctx(
                    d.lang,
                    "ussd",
                    "Last payment: %(date)s %(what)s",
                    date=last.paid_on.isoformat(),
                    what=what,
                ).strip()
            )
        header = translate_ctx(d.lang, "ussd", "Household %(number)s", number=view.household_number)
        return Screen(header, lines)

    def handle(self, d: Dialog, raw: str) -> Outcome:
        return Stay()
