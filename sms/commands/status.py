"""STATUS [household number] [head's year of birth]: the same lookup, rules and limits as USSD.

`find_household_for_status` matches the caller's phone first; otherwise it needs the household
(or card) number and the head's year of birth, and it is rate-limited. Unknown, wrong year and
locked-out all answer alike, so SMS cannot be used to find out which numbers exist.
"""

from __future__ import annotations

from registry.programs.status import household_status
from registry.selfservice.lookup import find_household_for_status
from sms import texts
from sms.context import Reply, SmsContext
from sms.fitting import fit_parts
from webapp.limits import note_status_lookup


def _arguments(rest: str) -> tuple[str | None, int | None]:
    words = rest.replace("*", " ").split()
    number = words[0] if words else None
    year = int(words[1]) if len(words) > 1 and words[1].isdigit() else None
    return number, year


def _amount(amount: object, currency: str | None) -> str:
    return f"{amount:,.2f} {currency or ''}".strip() if amount is not None else ""


def status(ctx: SmsContext, rest: str) -> Reply:
    number, year = _arguments(rest)
    if number is not None:
        note_status_lookup()  # counts against the flask-limiter status lookup limits
    household = find_household_for_status(
        ctx.session, ctx.kv, caller_phone=ctx.phone, number=number, head_birth_year=year
    )
    if household is None:
        return Reply(ctx.say(texts.STATUS_NOT_FOUND), "status.not_found")
    view = household_status(ctx.session, household, ctx.language)
    parts = [
        ctx.say(
            texts.STATUS_HOUSEHOLD,
            number=view.household_number,
            registration=view.registration_label,
        )
    ]
    payment = view.next_payment
    if payment is not None:
        what = _amount(payment.amount, payment.currency) or (payment.items or "")
        parts.append(ctx.say(texts.STATUS_PAYMENT, date=payment.due_date.isoformat(), amount=what))
    last = view.last_payment
    if last is not None:
        what = _amount(last.amount, last.currency) or (last.items or "")
        parts.append(ctx.say(texts.STATUS_LAST_PAYMENT, date=last.paid_on.isoformat(), amount=what))
    # The payment first: it is what people ask about; programs follow while there is room.
    parts += [
        ctx.say(texts.STATUS_PROGRAM, program=line.program_name, status=line.status_label)
        for line in view.enrollments
    ]
    return Reply(fit_parts(parts, ctx.language), "status.found")
