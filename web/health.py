"""GET /healthz: each component and whether it is ready; 200 only when all are.

Anyone may ask (a load balancer must), but only the status and `{"ready": ...}` are public: which
component is down, and whether Twilio refuses our credentials, are for this machine (a request from
loopback that no proxy forwarded) or a caller with HEALTH_TOKEN (`Authorization: Bearer ...`). The
checks behind it (Rasa, the action server, the database) run at most once every HEALTH_CACHE_SECONDS
(default 2): a flood of /healthz requests costs one check, not one each.

`sms_provider` is failing while Twilio refuses our credentials (the worker records it in the
database, casework.outbox.provider_state): texts are queued, not sent, until the credentials work again.

`safety_model` is "failing" when the safety screen's learned layer could not load or has failed: the
rules alone decide. It is reported, not counted against readiness, because taking the web app out
of a load balancer would stop the rules answering too.
"""
from __future__ import annotations

import asyncio
import hmac
import ipaddress
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from alembic.script import ScriptDirectory
from sanic.request import Request
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from casework.heartbeat import is_alive
from casework.outbox.provider_state import SMS_PROVIDER, ProviderStatus, provider_status
from casework.safety.screen import SafetyScreen
from channels.bot_client import BotClient
from service.database import DatabaseThreads
from service.migrate import alembic_config
from service.settings import Settings

CHECK_TIMEOUT = aiohttp.ClientTimeout(total=2)


async def _http_ready(session: aiohttp.ClientSession, url: str) -> dict[str, Any]:
    try:
        async with session.get(url) as reply:
            return {"ready": reply.status == 200, "status": reply.status}
    except (aiohttp.ClientError, asyncio.TimeoutError) as problem:
        return {"ready": False, "error": type(problem).__name__}


def _database(sessions: sessionmaker, heads: set[str]) -> tuple[dict[str, Any], dict[str, Any], ProviderStatus | None]:
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
            versions = set(session.execute(text("SELECT version_num FROM alembic_version")).scalars())
            worker = is_alive(session, "worker")
            sms = provider_status(session, SMS_PROVIDER) if versions == heads else None
    except Exception as problem:  # the database is down: say so, do not crash the check
        error = {"ready": False, "error": type(problem).__name__}
        return error, {"ready": False, "error": "database unavailable"}, None
    database = {"ready": versions == heads, "schema": "current" if versions == heads else "needs migration"}
    return database, {"ready": worker}, sms


def _sms_provider(settings: Settings, status: ProviderStatus | None) -> dict[str, Any]:
    if settings.sms_dry_run:
        return {"ready": True, "mode": "dry-run"}
    if status is None:
        return {"ready": False, "mode": "twilio", "error": "state unavailable"}
    if status.paused:
        return {
            "ready": False,
            "mode": "twilio",
            "error": "credentials refused; sending paused",
            "detail": status.reason,
            "since": status.paused_since.isoformat(timespec="seconds") if status.paused_since else None,
        }
    return {"ready": True, "mode": "twilio"}


def schema_heads(settings: Settings) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(settings.database_url)).get_heads())


def _safety_model(safety: SafetyScreen | None) -> dict[str, Any]:
    if safety is None:
        return {"ready": True, "status": "not in this process"}
    if safety.status == "ok":
        return {"ready": True, "status": "ok"}
    return {"ready": False, "status": "failing", "error": safety.problem}


async def health(
    settings: Settings, sessions: sessionmaker, heads: set[str], *, bot: BotClient | None = None, database: DatabaseThreads | None = None,
    safety: SafetyScreen | None = None,
) -> tuple[int, dict[str, Any]]:
    own_client = bot is None
    bot = bot or BotClient(settings.rasa_urls, token=settings.rasa_turns_token)
    try:
        async with aiohttp.ClientSession(timeout=CHECK_TIMEOUT) as client:
            workers, actions = await asyncio.gather(bot.readiness(), _http_ready(client, settings.actions_url + "/health"))
    finally:
        if own_client:
            await bot.close()
    rasa = {"ready": bot.serving([w["ready"] for w in workers]), "workers": len(workers), "workers_ready": sum(1 for w in workers if w["ready"])}
    database_check, worker, sms = await (database or DatabaseThreads(1)).run(_database, sessions, heads)
    components = {"rasa": rasa, "actions": actions, "database": database_check, "worker": worker, "sms_provider": _sms_provider(settings, sms)}
    ready = all(c["ready"] for c in components.values())
    model = _safety_model(safety)
    return (200 if ready else 503), {"ready": ready, "safety_model": model["status"], "components": {**components, "safety_model": model}}


FORWARDING_HEADERS = ("forwarded", "x-forwarded-for", "x-real-ip")


def may_see_details(request: Request, settings: Settings) -> bool:
    """This machine asking directly (not through a proxy, which would be someone outside), or the health token."""
    token = settings.value("HEALTH_TOKEN", "")
    scheme, _, given = (request.headers.get("authorization") or "").partition(" ")
    if token and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode()):
        return True
    if any(name in request.headers for name in FORWARDING_HEADERS):
        return False
    try:
        return ipaddress.ip_address(request.ip.strip("[]")).is_loopback
    except ValueError:
        return False


class CachedHealth:
    """The last answer of `check`, reused for `seconds`; concurrent callers share one run of it."""

    def __init__(self, check: Callable[[], Awaitable[tuple[int, dict[str, Any]]]], *, seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._check, self._seconds, self._clock = check, seconds, clock
        self._answer: tuple[int, dict[str, Any]] | None = None
        self._at = 0.0
        self._lock = asyncio.Lock()

    async def answer(self) -> tuple[int, dict[str, Any]]:
        async with self._lock:
            if self._answer is None or self._clock() - self._at >= self._seconds:
                self._answer, self._at = await self._check(), self._clock()
            return self._answer
