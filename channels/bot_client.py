"""The intake's client for Rasa: one HTTP call per turn, each resident pinned to one Rasa worker.

Pinning a sender to a worker (by a hash of the sender id) keeps one resident's turns in order on both
cores without a lock store: one `rasa run` handles its turns one after another, and the same resident
always reaches the same one. No Rasa import here: the web app stays light.

With several hosts, a worker can be lost. When the workers share their tracker store and a Redis
lock store orders each conversation's turns (TRACKER_DATABASE_URL and LOCK_STORE_URL both set), a
turn whose worker cannot be reached, or answers that it is not ready, goes to the next live worker
in the resident's own order (rendezvous hashing: each resident's order is fixed, and residents of a
lost worker spread over the others instead of all landing on one). Only a worker that could not be
reached or refused the turn is passed over: a turn that reached its worker is never sent twice. Without
a shared store each worker keeps its own conversations, so a resident waits for their own worker.

A worker passed over, or not ready when last asked (recovery and /healthz ask every few seconds), is
tried last until it answers again: a host that is gone refuses nothing, so each turn of its residents
would otherwise first wait for the connection to time out (2 s), and recovery replays their waiting
messages one after another (tests/topology/ unplugs a host under load).
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

import aiohttp

__all__ = ["BotClient", "BotReply", "BotUnavailable"]

logger = logging.getLogger(__name__)

# A turn that waits on a frozen action server ends by Rasa's own 300 s limit on an action call.
TURN_TIMEOUT = aiohttp.ClientTimeout(total=330, sock_connect=2)
READY_TIMEOUT = aiohttp.ClientTimeout(total=2)
TURN_PATH = "/webhooks/turns/webhook"
READY_PATH = "/webhooks/turns/"


class BotUnavailable(Exception):
    """Rasa could not take the turn (stopped, restarting, loading its model, or died mid-turn)."""


class _PassedOver(Exception):
    """This worker could not take the turn and nothing of it ran there: another may."""


@dataclass(frozen=True)
class BotReply:
    messages: list[dict[str, Any]] = field(default_factory=list)
    failed: bool = False
    replayed: bool = False
    found: bool = True


class BotClient:
    def __init__(self, urls: tuple[str, ...], *, token: str, failover: bool = False) -> None:
        if not urls:
            raise ValueError("at least one Rasa URL is needed")
        self.urls = urls
        self.failover = failover
        self._headers = {"Authorization": "Bearer " + token}
        self._session: aiohttp.ClientSession | None = None
        self._unreachable: set[str] = set()  # workers passed over, or not ready when last asked

    def url_for(self, sender_id: str) -> str:
        """The Rasa worker a resident is pinned to: stable for as long as the list of workers is."""
        digest = hashlib.sha256(sender_id.encode()).digest()
        return self.urls[int.from_bytes(digest[:8], "big") % len(self.urls)]

    def workers_for(self, sender_id: str) -> list[str]:
        """The workers to try for a resident, in order: their pinned one, then (with failover) the rest
        by rendezvous hashing."""
        pinned = self.url_for(sender_id)
        if not self.failover:
            return [pinned]
        others = sorted((u for u in self.urls if u != pinned), key=lambda u: hashlib.sha256(f"{sender_id}|{u}".encode()).digest(),
                        reverse=True)
        return sorted([pinned, *others], key=lambda u: u in self._unreachable)  # stable: the order kept otherwise

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            # One pool per process, not one per message; no limit per host beyond aiohttp's 100.
            self._session = aiohttp.ClientSession(timeout=TURN_TIMEOUT)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def ask(self, *, sender_id: str, text: str | None, message_id: str, channel: str, replay: bool = False) -> BotReply:
        """Run a turn. With `replay`, a turn Rasa already finished is answered from its tracker; with
        `text=None` (the text is gone) only that: `found` is False when there is nothing to replay."""
        payload = {
            "sender_id": sender_id, "text": text or "", "message_id": message_id, "channel": channel,
            "replay": replay or text is None, "replay_only": text is None,
        }
        body: Any = None
        workers = self.workers_for(sender_id)
        for number, worker in enumerate(workers):
            try:
                body = await self._turn(worker, payload, message_id)
            except _PassedOver as problem:
                self._unreachable.add(worker)
                if number + 1 < len(workers):
                    logger.warning("turn %s: worker %s passed over (%s); trying the next", message_id, worker, problem)
                    continue
                raise BotUnavailable(str(problem)) from None
            self._unreachable.discard(worker)
            break
        if body is None:
            return BotReply(failed=True)
        messages = [m for m in body.get("messages") or [] if isinstance(m, dict)]
        return BotReply(messages=messages, failed=bool(body.get("failed")), replayed=bool(body.get("replayed")), found=body.get("found", True) is not False)

    async def _turn(self, worker: str, payload: dict[str, Any], message_id: str) -> Any:
        """One worker's answer (its JSON body, or None when it refused the turn for good). Raises
        _PassedOver when the worker could not take it: not reachable, not ready; BotUnavailable when
        the turn reached it and then failed (never sent to another worker: it may have run)."""
        try:
            async with self._client().post(worker + TURN_PATH, json=payload, headers=self._headers) as reply:
                if reply.status in (502, 503, 504):
                    raise _PassedOver(f"Rasa answered {reply.status}")
                if reply.status != 200:
                    logger.error("Rasa refused turn %s with %d", message_id, reply.status)
                    return None
                try:
                    return await reply.json(content_type=None)
                except ValueError:
                    logger.error("Rasa answered turn %s with something that is not JSON", message_id)
                    return None
        except aiohttp.ClientConnectorError as problem:  # nothing reached the worker
            raise _PassedOver(type(problem).__name__) from None
        except aiohttp.ServerTimeoutError as problem:
            # A host that is gone (powered off, unplugged) refuses nothing: the connection times out
            # (sock_connect). TURN_TIMEOUT sets no read timeout, so this error can only come from
            # connecting: nothing reached the worker.
            raise _PassedOver(type(problem).__name__) from None
        except (aiohttp.ClientConnectionError, asyncio.TimeoutError) as problem:
            raise BotUnavailable(type(problem).__name__) from None

    async def ready(self) -> bool:
        """Turns can be taken now (see `serving`)."""
        return self.serving(await asyncio.gather(*(self._ready(url) for url in self.urls)))

    def serving(self, ready: list[bool]) -> bool:
        """Whether workers in this state serve every resident: pinned, each resident needs their own worker,
        so all must be ready; with failover any live one takes anyone's turn, so one is enough (a web
        replica whose own host's Rasa is gone still serves, and stays in the load balancer)."""
        return any(ready) if self.failover else all(ready)

    async def readiness(self) -> list[dict[str, Any]]:
        return [{"url": url, "ready": await self._ready(url)} for url in self.urls]

    async def _ready(self, url: str) -> bool:
        try:
            async with self._client().get(url + READY_PATH, timeout=READY_TIMEOUT) as reply:
                ready = reply.status == 200
        except (aiohttp.ClientError, asyncio.TimeoutError):
            ready = False
        (self._unreachable.discard if ready else self._unreachable.add)(url)
        return ready
