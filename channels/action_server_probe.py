"""Is the action server answering? Asked by Rasa's turns channel before it runs a turn.

When the action server is down (killed, restarting under supervisord, not started yet), Rasa still
runs the turn: every custom action fails, Rasa logs it and carries on with no reply, and the intake
could only answer "Sorry, I'm having trouble". Asked first, the channel answers 503 instead, so the
intake treats the turn as it treats Rasa being down: the message waits, sealed, and recovery answers
it exactly once when the action server is back (channels/intake.py, channels/recovery.py).

Asked on every turn, over one kept-alive connection on the loopback (about a millisecond): a healthy
answer believed for even two seconds let a turn through to an action server killed a moment before.

Only an action server that cannot be reached (refused, or no connection within half a second) or
answers badly is down. One that took the connection but is slow to answer is busy, not gone: with both
cores full it took more than a second, every turn then waited for recovery, which answers one message
at a time, and the service fell behind for good (bench/soak.py). A busy one gets the turn.
"""
from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit, urlunsplit

import aiohttp

__all__ = ["ActionServerProbe", "health_url"]

logger = logging.getLogger(__name__)

TIMEOUT = aiohttp.ClientTimeout(total=1.0, sock_connect=0.5)


def health_url(webhook_url: str) -> str:
    """rasa-sdk's /health beside its /webhook ("http://127.0.0.1:5055/webhook" -> ".../health")."""
    parts = urlsplit(webhook_url)
    return urlunsplit((parts.scheme, parts.netloc, "/health", "", ""))


class ActionServerProbe:
    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._told = False

    async def answering(self, webhook_url: str | None) -> bool:
        """True when no action server is configured, or it answered /health; False when it did not."""
        if not webhook_url:
            return True
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=TIMEOUT)
        try:
            async with self._session.get(health_url(webhook_url)) as reply:
                ok = reply.status == 200
        except (aiohttp.ClientError, OSError):  # refused, reset, or no connection within sock_connect
            ok = False
        except asyncio.TimeoutError:  # (3.10: not the built-in TimeoutError) connected, but slow to answer: busy
            return True
        if ok:
            if self._told:
                logger.warning("the action server answers again")
            self._told = False
        elif not self._told:
            self._told = True
            logger.error("the action server does not answer at %s: turns wait until it does", health_url(webhook_url))
        return ok
