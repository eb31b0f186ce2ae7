"""A token bucket: keeps one worker under the gateway's messages-per-second limit."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.per_second = per_second
        self.capacity = max(per_second, 1.0)
        self.tokens = self.capacity
        self.clock = clock
        self.sleep = sleep
        self.updated = clock()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Waits until one more message may go out; returns at once when unlimited."""
        if self.per_second <= 0:
            return
        while True:
            with self._lock:
                now = self.clock()
                self.tokens = min(
                    self.capacity, self.tokens + (now - self.updated) * self.per_second
                )
                self.updated = now
                if self.tokens >= 1 - 1e-9:  # float rounding must not stall the loop
                    self.tokens -= 1
                    return
                wait = (1 - self.tokens) / self.per_second
            self.sleep(wait)
