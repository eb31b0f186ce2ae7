"""When to try a message again after a temporary failure, and when to give up."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from registry.db import utcnow

BASE_DELAY_SECONDS = 30.0
MAX_DELAY_SECONDS = 3600.0
MAX_ATTEMPTS = 8  # about 1 h 30 min of trying in all


def retry_delay(attempts: int, *, jitter: float | None = None) -> timedelta:
    """Exponential backoff: 30 s, 60 s, 120 s... capped at one hour, with up to 20 % jitter.

    The jitter spreads the retries of a gateway outage so they do not all return at once.
    """
    base = min(BASE_DELAY_SECONDS * (2 ** max(attempts - 1, 0)), MAX_DELAY_SECONDS)
    spread = random.uniform(0.0, 0.2) if jitter is None else jitter
    return timedelta(seconds=base * (1 + spread))


def next_attempt_at(attempts: int, now: datetime | None = None) -> datetime | None:
    """When to try again after `attempts` failed tries; None when it is time to give up."""
    if attempts >= MAX_ATTEMPTS:
        return None
    return (now or utcnow()) + retry_delay(attempts)
