from __future__ import annotations

import itertools

import click

from sms.providers.base import SendResult

_ids = itertools.count(1)


class ConsoleProvider:
    """Prints each message: the default, so a laptop install needs no gateway account."""

    name = "console"
    rate_per_second = 0.0

    def send(self, to: str, body: str) -> SendResult:
        click.echo(f"[sms to {to}] {body}")
        return SendResult(provider_message_id=f"console-{next(_ids)}")
