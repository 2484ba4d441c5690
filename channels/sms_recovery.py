"""Nothing lost: answer, exactly once and through the outbox, SMS messages a dead process left unanswered.

A message is `received` from the moment it is recorded until its answer is. If Rasa (or the action
server it waits on) dies mid-turn, the row stays `received` and the resident has heard nothing.
The `sms` channel runs a sweep when the server starts and then every `SWEEP_EVERY` seconds:

1. claim unanswered rows atomically (received -> recovering; `casework.inbound.claim_unanswered`),
   so two replicas never take the same message;
2. for each, look in the tracker store for the message id:
   - present: Rasa finished the turn (it saves the tracker only at the end of a turn) and only the
     reply was lost. Its replies are taken from the tracker and sent; the turn is *not* run again,
     so its actions (a search, a flag) do not run twice and the tracker holds the message once;
   - absent: the turn never finished, so it left nothing behind in Rasa. It is run again, with no
     deadline, through the channel's own steps (screen, opt-out words, bot);
   - no text kept (a row from before the text was kept): the resident is told the service had
     trouble and asked to try again, rather than hearing nothing;
3. mark it answered and queue the reply in one transaction (`answer_through_outbox`), conditional
   on the claim still being ours: a live webhook or another recoverer that answered first wins and
   nothing is queued here.

Which rows count as abandoned: at start, rows received before this process started and older than
the reply deadline plus `START_MARGIN` (on one machine nothing else could still be working on them);
afterwards, rows older than `LIVE_GRACE`, longer than Rasa's own 300 s limit on an action call,
so a slow turn that is still running in another replica is not taken from it. A claim whose
recoverer died is taken again after `CLAIM_LEASE`.

What cannot be made exact: a turn whose actions ran (the action server wrote something) but whose
tracker was never saved is run again, so such an action runs twice; the actions are written to be
idempotent for that reason (flags are states, searches read only).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from cryptography.fernet import InvalidToken
from rasa.core.channels.channel import UserMessage

from casework.inbound import Unanswered, answer_through_outbox, claim_unanswered
from casework.models import utcnow
from channels.turn import BotTurn, replies_in_tracker

if TYPE_CHECKING:
    from channels.sms import SmsInput

logger = logging.getLogger(__name__)

START_MARGIN = timedelta(seconds=5)
LIVE_GRACE = timedelta(seconds=330)
CLAIM_LEASE = timedelta(seconds=330)
SWEEP_EVERY = 60.0


class SmsRecovery:
    def __init__(
        self,
        channel: SmsInput,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        *,
        tracker_store: Callable[[], Any],
        started_at: datetime | None = None,
    ) -> None:
        self.channel = channel
        self.on_new_message = on_new_message
        self.tracker_store = tracker_store
        self.started_at = started_at or utcnow()
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self.run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def run(self) -> None:
        deadline = timedelta(seconds=self.channel.runtime.settings.sms_reply_deadline_seconds)
        received_before = min(self.started_at, utcnow() - deadline - START_MARGIN)
        while True:
            try:
                await self.sweep(received_before=received_before)
            except Exception:  # the sweep must outlive a database hiccup; it runs again later
                logger.exception("SMS recovery sweep failed; trying again in %.0f s", SWEEP_EVERY)
            await asyncio.sleep(SWEEP_EVERY)
            received_before = utcnow() - LIVE_GRACE

    async def sweep(self, *, received_before: datetime) -> int:
        """Claim and answer unanswered messages received before `received_before`; returns how many."""
        answered = 0
        while True:
            with self.channel.runtime.sessions.begin() as session:
                claims = claim_unanswered(session, received_before=received_before, stale_claims_before=utcnow() - CLAIM_LEASE)
            if not claims:
                return answered
            for claim in claims:
                answered += await self.recover(claim)

    async def recover(self, claim: Unanswered) -> int:
        reply, state, how = await self.reply_for(claim)
        with self.channel.runtime.sessions.begin() as session:
            queued = answer_through_outbox(
                session,
                claim.message_id,
                sender_id=claim.sender_id,
                reply_text=reply,
                settings=self.channel.runtime.settings,
                state=state,
                from_states=("recovering",),
                claimed_at=claim.claimed_at,
            )
        if queued:
            logger.warning("SMS %s left unanswered by a stopped process: %s (%s)", claim.message_id, how, state)
        else:
            logger.info("SMS %s was answered elsewhere during recovery", claim.message_id)
        return int(queued)

    async def reply_for(self, claim: Unanswered) -> tuple[str | None, str, str]:
        """(reply text, inbound state, what was done) for a claimed message."""
        channel = self.channel
        replies = await self.replies_from_tracker(claim)
        if replies is not None:
            text = channel.render(claim.sender_id, channel.bot_messages(BotTurn(messages=replies, failed=not replies)))
            return text or None, "deferred", "reply taken from the tracker"
        body = self.open_body(claim)
        if body is None:
            return channel.reply_text("utter_service_trouble"), "deferred", "text not kept; asked to try again"
        from channels.sms import Inbound

        inbound = Inbound(message_sid=claim.message_id, number="", sender_id=claim.sender_id, body=body, num_media=0)
        state, reply = await channel.respond(inbound, self.on_new_message, deadline=None)
        return reply, ("deferred" if reply else state), "turn run again"

    async def replies_from_tracker(self, claim: Unanswered) -> list[dict[str, Any]] | None:
        store = self.tracker_store()
        if store is None:
            return None
        tracker = await store.retrieve_full_tracker(claim.sender_id)
        return replies_in_tracker(list(tracker.events), claim.message_id) if tracker is not None else None

    def open_body(self, claim: Unanswered) -> str | None:
        if claim.body_encrypted is None:
            return None
        try:
            return self.channel.bodies.open(claim.body_encrypted)
        except InvalidToken:
            logger.error("SMS %s: kept text cannot be decrypted (key changed?)", claim.message_id)
            return None
