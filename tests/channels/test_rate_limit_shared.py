"""Rate limits shared by web replicas through Redis (REDIS_URL, channels/rate_limit.py): the real
Redis on 127.0.0.1:6379 (skipped with a message where it is absent), and two real web-app processes
over one database answering one sender."""
from __future__ import annotations

import asyncio
import logging
import socket
import sqlite3
import uuid
from pathlib import Path

import pytest

from channels.rate_limit import Limit, RateLimiter, SharedRateLimiter
from service.database import make_engine
from service.migrate import upgrade_engine
from tests.service_stack import web_alone
from tests.twilio_signing import sms_form
from tests.web.test_web_intake import PUBLIC, Web, post_sms

REDIS_URL = "redis://127.0.0.1:6379/14"


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}: {error}")


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_two_replicas_share_one_bucket_and_tell_the_team_once() -> None:
    _redis_or_skip()
    from redis.asyncio import Redis

    async def scenario() -> tuple[list[float], list[bool]]:
        name = f"test-{uuid.uuid4().hex[:8]}"
        first_client, second_client = Redis.from_url(REDIS_URL), Redis.from_url(REDIS_URL)
        first = SharedRateLimiter(Limit(burst=3, per_minute=0.01), first_client, name=name)
        second = SharedRateLimiter(Limit(burst=3, per_minute=0.01), second_client, name=name)
        waits = [await first.take("sms:abc"), await second.take("sms:abc"), await first.take("sms:abc"), await second.take("sms:abc"),
                 await first.take("sms:other")]
        told = [await first.once("sms:abc"), await second.once("sms:abc"), await second.once("sms:other")]
        stored = [key async for key in first_client.scan_iter(match=f"connector:*:{name}:*")]
        assert stored and not any(b"abc" in key for key in stored), "keys reach Redis hashed"
        await first_client.close()
        await second_client.close()
        return waits, told

    waits, told = asyncio.run(scenario())
    assert waits[:3] == [0.0, 0.0, 0.0] and waits[3] > 0, "the fourth request, on the other replica, is over the shared burst"
    assert waits[4] == 0.0, "another key has its own bucket"
    assert told == [True, False, True]


def test_without_redis_each_process_counts_for_itself_and_says_so_once(caplog: pytest.LogCaptureFixture) -> None:
    from redis.asyncio import Redis

    async def scenario() -> list[float]:
        client = Redis.from_url(f"redis://127.0.0.1:{_closed_port()}/0", socket_connect_timeout=0.2, socket_timeout=0.2)
        limiter = SharedRateLimiter(Limit(burst=2, per_minute=0.01), client, name="down")
        waits = [await limiter.take("k") for _ in range(3)]
        assert await limiter.once("k") and not await limiter.once("k")
        await client.close()
        return waits

    with caplog.at_level(logging.ERROR, logger="channels.rate_limit"):
        waits = asyncio.run(scenario())
    assert waits[:2] == [0.0, 0.0] and waits[2] > 0, "the local bucket still limits"
    assert sum("Redis does not answer" in r.getMessage() for r in caplog.records) == 1


def test_the_memory_limiter_answers_the_same_questions() -> None:
    limiter = RateLimiter(Limit(burst=1, per_minute=0.01))
    assert asyncio.run(limiter.take("a")) == 0.0 and asyncio.run(limiter.take("a")) > 0
    assert asyncio.run(limiter.once("a")) and not asyncio.run(limiter.once("a"))


def test_a_sender_gets_the_limit_once_across_two_web_replicas(tmp_path: Path) -> None:
    _redis_or_skip()
    database = tmp_path / "app.db"
    engine = make_engine(f"sqlite:///{database}")
    upgrade_engine(engine)
    engine.dispose()
    shared = {"DATABASE_URL": f"sqlite:///{database}", "SMS_RATE_LIMIT": "0.5,4", "REDIS_URL": REDIS_URL}
    number = f"+4477009{uuid.uuid4().int % 100000:05d}"
    with web_alone(tmp_path / "a", shared) as first, web_alone(tmp_path / "b", shared) as second:
        assert first.env["PUBLIC_BASE_URL"] == second.env["PUBLIC_BASE_URL"] == PUBLIC
        replicas = [Web(first.web_url, database), Web(second.web_url, database)]
        statuses = [post_sms(replicas[n % 2], sms_form(f"Auto-reply: out of office ({n})", sender=number))[0] for n in range(8)]
    assert statuses[:4] == [200] * 4 and statuses[4:] == [429] * 4, statuses
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT count(*) FROM flag WHERE reason = 'rate_limited'").fetchone() == (1,), "the team is told once"
