"""COMPLAIN <text> and TRACK <number>: issue 7's grievance services, reached by SMS."""

from __future__ import annotations

from registry.errors import InvalidInput
from registry.grievances.service import (
    GrievanceData,
    list_categories,
    lodge_grievance,
    track_grievance,
)
from registry.i18n import translate
from registry.numbers import normalize
from registry.scope import Scope
from sms import texts
from sms.context import Reply, SmsContext
from sms.fitting import fit_parts

# A complaint by SMS carries no category; officers re-file it from the general one.
SMS_CATEGORY = "other"


def _category_code(ctx: SmsContext) -> str | None:
    codes = [choice.code for choice in list_categories(ctx.session, ctx.language)]
    if SMS_CATEGORY in codes:
        return SMS_CATEGORY
    return codes[-1] if codes else None


def complain(ctx: SmsContext, rest: str) -> Reply:
    category = _category_code(ctx)
    if not rest.strip() or category is None:
        return Reply(ctx.say(texts.COMPLAIN_USAGE), "complain.usage")
    data = GrievanceData(
        category_code=category,
        text=rest,
        area_code=None,
        complainant_phone=ctx.phone,
        person_id=None,
        anonymous=False,
        consent_to_contact=True,
        language=ctx.language,
    )
    try:
        grievance = lodge_grievance(
            # The complainant's own phone (gateway-authenticated): linked wherever registered.
            ctx.session,
            data,
            origin=ctx.origin,
            scope=Scope.unrestricted(),
        )
    except InvalidInput as exc:
        return Reply(translate(ctx.language, exc.msgid, **exc.params), "complain.invalid")
    # The receipt with the tracking number is already in the outbox (lodge_grievance queues it).
    return Reply(None, f"complain.lodged:{grievance.number}")


def track(ctx: SmsContext, rest: str) -> Reply:
    number = normalize(rest.split()[0]) if rest.split() else ""
    if not number:
        return Reply(ctx.say(texts.TRACK_USAGE), "track.usage")
    view = track_grievance(ctx.session, number, ctx.language)
    if view is None:
        return Reply(ctx.say(texts.TRACK_NOT_FOUND, number=number[:12]), "track.unknown")
    parts = [ctx.say(texts.TRACK_RESULT, number=view.number, status=view.status_label)]
    if view.last_public_reply:
        parts.append(ctx.say(texts.TRACK_REPLY, reply=" ".join(view.last_public_reply.split())))
    return Reply(fit_parts(parts, ctx.language), "track.found")
