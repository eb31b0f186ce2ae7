"""REGISTER: the household registration form of `forms/`, walked one SMS at a time.

`REG` alone starts a conversation: each reply answers the current question. `REG a*b*c` gives
the answers in order at once; when some are missing or refused, the conversation continues from
the first question still open. Both end in the same registry service as USSD and the field app.
"""

from __future__ import annotations

import json
from typing import Any

from forms.catalog import get_form
from forms.engine import Form, FormContext, Step, answer, start
from forms.households import to_household_data
from registry.errors import InvalidInput
from registry.households.service import register_household
from registry.i18n import translate
from sms.context import Reply, SmsContext
from sms.fitting import fit_parts

FORM_NAME = "household_registration"
CONVERSATION_TTL = 30 * 60  # seconds a person may take between two answers
SEPARATOR = "*"


def conversation_key(phone: str) -> str:
    return f"sms:register:{phone}"


def _form_and_context(ctx: SmsContext) -> tuple[Form, FormContext]:
    form = get_form(FORM_NAME)
    return form, FormContext(ctx.session, ctx.language, "sms", ctx.settings.default_country)


def _render(step: Step, language: str) -> str:
    parts = [step.error] if step.error else []
    parts.append(step.prompt)
    if step.choices:
        parts.append(" ".join(f"{n} {label}" for n, (_value, label) in enumerate(step.choices, 1)))
    return fit_parts(parts, language)


def _finish(ctx: SmsContext, data: dict[str, Any]) -> Reply:
    household_data = to_household_data(data)
    head = next((m for m in household_data.members if m.relation == "head"), None)
    if head is not None:
        head.phone = head.phone or ctx.phone
    try:
        household = register_household(ctx.session, household_data, origin=ctx.origin)
    except InvalidInput as exc:
        return Reply(translate(ctx.language, exc.msgid, **exc.params), "register.refused")
    # The receipt with the household number is in the outbox (register_household queues it).
    return Reply(None, f"register.done:{household.number}")


def _walk(ctx: SmsContext, state: dict[str, Any], answers: list[str]) -> Reply:
    form, form_ctx = _form_and_context(ctx)
    step: Step | None = None
    for raw in answers:
        step = answer(form, form_ctx, state, raw)
        state = step.state
        if step.done or step.error:
            break
    return _after(ctx, step, state)


def _after(ctx: SmsContext, step: Step | None, state: dict[str, Any]) -> Reply:
    key = conversation_key(ctx.phone)
    if step is not None and step.done:
        ctx.kv.delete(key)
        return _finish(ctx, step.data or {})
    ctx.kv.set(key, json.dumps({"state": state, "language": ctx.language}), CONVERSATION_TTL)
    return Reply(_render(step, ctx.language) if step is not None else None, "register.asking")


def register(ctx: SmsContext, rest: str) -> Reply:
    form, form_ctx = _form_and_context(ctx)
    # The phone the SMS came from is the household's contact: not asked again.
    step = start(form, form_ctx, prefill={"head_has_phone": "yes", "head_phone": ctx.phone})
    answers = [a.strip() for a in rest.split(SEPARATOR)] if rest.strip() else []
    if not answers:
        return _after(ctx, step, step.state)
    return _walk(ctx, step.state, answers)


def pending_answer(ctx: SmsContext, text: str) -> Reply | None:
    """The next answer of a registration under way; None when there is none."""
    saved = ctx.kv.get(conversation_key(ctx.phone))
    if saved is None:
        return None
    conversation = json.loads(saved)
    ctx.language = conversation.get("language", ctx.language)
    return _walk(ctx, conversation["state"], [text.strip()])
