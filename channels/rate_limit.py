"""Rate limits: token buckets per key (an SMS number's hash, a chat session, an address), and the
"tell the team once" guard for an auto-responder.

On a laptop, in the web app's memory; bounded, so a flood of new keys cannot grow it without end
(the least recently used keys are forgotten first, which only ever lets a forgotten sender start
again with a full bucket). With several web replicas behind a load balancer each would give a
sender the whole limit: with REDIS_URL set they share one bucket per key in Redis (one atomic script
per request, on Redis's own clock, over redis.asyncio so the event loop never waits on a socket).
Keys are hashed before they reach Redis. If Redis does not answer, the request is counted in this
process instead (logged once): a resident is never refused because Redis is down.
"""
from __future__ import annotations

import hashlib
import logging
import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from service.settings import Settings

__all__ = ["Limit", "RateLimiter", "SharedRateLimiter", "limiter", "limiter_for", "shared_redis"]

logger = logging.getLogger(__name__)


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

    async def take(self, key: str) -> float:
        """Take one token for `key`: 0.0 if allowed, else the seconds to wait (for Retry-After)."""
        return self.check(key)

    async def once(self, key: str) -> bool:
        """True the first time `key` is asked about (remembered as long as its bucket)."""
        fresh = f"once:{key}" not in self._buckets
        self._buckets[f"once:{key}"] = (0.0, self._clock())
        return fresh

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


# One token bucket in a Redis hash, on Redis's clock (replicas' clocks may differ): returns the wait.
_TAKE = """
local burst = tonumber(ARGV[1])
local per_second = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local saved = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(saved[1]) or burst
local at = tonumber(saved[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - at) * per_second)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
elseif per_second > 0 then
  wait = (1 - tokens) / per_second
else
  wait = 3600
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], math.ceil(burst / math.max(per_second, 0.000001)) + 60)
return tostring(wait)
"""
# How long "told once" is remembered in Redis.
ONCE_SECONDS = 24 * 3600
# After Redis fails to answer, requests are counted here for this long before Redis is asked again:
# a Redis that is down costs one request a connection timeout every few seconds, not every request.
RETRY_REDIS_SECONDS = 5.0


class SharedRateLimiter:
    """The same limit shared by every web replica through Redis; this process's own buckets when
    Redis does not answer."""

    def __init__(self, limit: Limit, redis: Any, *, name: str) -> None:
        self.limit = limit
        self.name = name
        self._redis = redis
        self._script = redis.register_script(_TAKE)
        self._local = RateLimiter(limit)
        self._warned = False
        self._retry_at = 0.0  # after a failure, Redis is asked again from then (RETRY_REDIS_SECONDS)

    def _key(self, kind: str, key: str) -> str:
        return f"connector:{kind}:{self.name}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"

    def _shared(self) -> bool:
        return time.monotonic() >= self._retry_at

    def _unshared(self, problem: Exception) -> None:
        self._retry_at = time.monotonic() + RETRY_REDIS_SECONDS
        if not self._warned:
            self._warned = True
            logger.error("rate limit %s: Redis does not answer (%s); counting in this process until it does", self.name,
                         type(problem).__name__)

    async def take(self, key: str) -> float:
        from redis.exceptions import RedisError

        if not self._shared():
            return self._local.check(key)
        try:
            wait = float(await self._script(keys=[self._key("bucket", key)], args=[self.limit.burst, self.limit.per_minute / 60.0]))
        except (RedisError, OSError) as problem:
            self._unshared(problem)
            return self._local.check(key)
        self._warned = False
        return wait

    async def once(self, key: str) -> bool:
        from redis.exceptions import RedisError

        if not self._shared():
            return await self._local.once(key)
        try:
            return bool(await self._redis.set(self._key("once", key), "1", nx=True, ex=ONCE_SECONDS))
        except (RedisError, OSError) as problem:
            self._unshared(problem)
            return await self._local.once(key)

    retry_after = staticmethod(RateLimiter.retry_after)


@lru_cache(maxsize=4)
def shared_redis(url: str) -> Any:
    """A redis.asyncio client for the shared limits: short timeouts, so a Redis that is down costs a
    request a fraction of a second before it is counted locally."""
    from redis.asyncio import Redis

    return Redis.from_url(url, socket_timeout=0.25, socket_connect_timeout=0.25, decode_responses=True)


def limiter(text: str, *, name: str, redis: Any = None) -> RateLimiter | SharedRateLimiter:
    """The limit "PER_MINUTE[,BURST]" for one door (`name`): shared through `redis` when given."""
    limit = Limit.parse(text)
    return SharedRateLimiter(limit, redis, name=name) if redis is not None else RateLimiter(limit)


def limiter_for(settings: Settings, text: str, *, name: str) -> RateLimiter | SharedRateLimiter:
    """A door's limit, shared through REDIS_URL when it is set (one client per process), else in memory."""
    url = settings.value("REDIS_URL", "")
    return limiter(text, name=name, redis=shared_redis(url) if url else None)
