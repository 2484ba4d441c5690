"""Rate limits: token buckets per key (an SMS number's hash, a chat session, an address).

In memory, in the one web-app process that owns every public route; bounded, so a flood of new keys
cannot grow it without end (the least recently used keys are forgotten first, which only ever lets
a forgotten sender start again with a full bucket).
"""
from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Limit", "RateLimiter"]


@dataclass(frozen=True)
class Limit:
    """`burst` requests at once, refilled at `per_minute` a minute."""

    burst: int
    per_minute: float

    @classmethod
    def parse(cls, text: str) -> Limit:
        """ "10/min burst 5" style is overkill for an env var: "PER_MINUTE[,BURST]", e.g. "6,12"."""
        rate, _, burst = text.partition(",")
        per_minute = float(rate)
        return cls(burst=int(burst) if burst else max(1, math.ceil(per_minute)), per_minute=per_minute)


class RateLimiter:
    def __init__(self, limit: Limit, *, max_keys: int = 100_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.max_keys = max_keys
        self._clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # key -> (tokens, at)

    def check(self, key: str) -> float:
        """Take one token for `key`: 0.0 if allowed, else the seconds to wait (for Retry-After)."""
        now = self._clock()
        tokens, at = self._buckets.pop(key, (float(self.limit.burst), now))
        tokens = min(float(self.limit.burst), tokens + (now - at) * self.limit.per_minute / 60.0)
        if tokens >= 1.0:
            wait = 0.0
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) * 60.0 / self.limit.per_minute if self.limit.per_minute > 0 else 3600.0
        self._buckets[key] = (tokens, now)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
        return wait

    @staticmethod
    def retry_after(wait: float) -> str:
        return str(max(1, math.ceil(wait)))
