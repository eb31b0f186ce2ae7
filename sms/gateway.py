"""What both gateways do with a verified inbound SMS: store it once, answer it, commit."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.orm import Session

from registry.kvstore import KeyValueStore, SqlKeyValueStore
from registry.messaging.encoding import fit_for_sms
from registry.messaging.inbound import mark_processed, store_inbound
from registry.messaging.optout import is_opted_out
from registry.outbox.service import OPT_OUT_CONFIRMATION, queue_text
from registry.phones import normalize_phone
from sms.dispatch import handle_text
from webapp.state import state

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handled:
    duplicate: bool
    reply: str | None  # the text to answer directly (Twilio), None when nothing to say


def request_kv(kv: KeyValueStore, session: Session) -> KeyValueStore:
    """The key-value store to use inside this request's transaction.

    With the SQL store (no Redis), its writes (rate-limit counters, the registration under way)
    go through the request's own connection, in savepoints: on SQLite a second connection
    would wait for the request's write lock until it timed out.
    """
    if not isinstance(kv, SqlKeyValueStore):
        return kv
    connection = session.connection()
    return SqlKeyValueStore(
        lambda: Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    )


def _reply_allowed(session, phone: str, outcome: str) -> bool:  # type: ignore[no-untyped-def]
    """No reply to a number that opted out, except the confirmation that it did."""
    return outcome == "opted_out" or not is_opted_out(session, phone)


def receive(
    provider: str,
    message_id: str,
    raw_from: str,
    to: str | None,
    body: str,
    *,
    reply_through_outbox: bool,
) -> Handled:
    kinga = state()
    phone = normalize_phone(raw_from, kinga.settings.default_country) or raw_from.strip()[:20]
    with kinga.sessionmaker() as session:
        inbound = store_inbound(
            session,
            provider=provider,
            provider_message_id=message_id,
            from_phone=phone,
            to=to,
            body=body,
        )
        if inbound is None:
            session.rollback()
            return Handled(duplicate=True, reply=None)
        inbound_id = inbound.id
        try:
            kv = request_kv(kinga.kv, session)
            reply = handle_text(session, kv, kinga.settings, phone, body)
        except Exception:
            # The message stays stored (and so is never processed twice); the error is logged.
            log.exception("SMS %s from %s could not be handled", inbound_id, provider)
            session.rollback()
            inbound = store_inbound(
                session,
                provider=provider,
                provider_message_id=message_id,
                from_phone=phone,
                to=to,
                body=body,
            )
            if inbound is not None:
                mark_processed(session, inbound, "error")
            session.commit()
            return Handled(duplicate=False, reply=None)
        text = reply.text if reply.text and _reply_allowed(session, phone, reply.outcome) else None
        if text:
            text = fit_for_sms(text, reply.language or kinga.settings.default_language)
        if text and reply_through_outbox:
            queue_text(
                session,
                to_phone=phone,
                language=reply.language or kinga.settings.default_language,
                body=text,
                template=OPT_OUT_CONFIRMATION if reply.outcome == "opted_out" else "sms.reply",
                related_type="inbound",
                related_id=inbound_id,
            )
            text = None
        mark_processed(session, inbound, reply.outcome)
        session.commit()
        return Handled(duplicate=False, reply=text)
