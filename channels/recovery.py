"""Nothing lost: answer, exactly once, every message that is still waiting for the bot.

A message waits when Rasa could not take it (stopped, restarting, loading its model), when earlier
messages of the same resident wait, or when a process died mid-turn and left it `received`. The web
app runs this loop beside the intake:

1. while Rasa is not ready, do nothing (the messages keep their place);
2. claim unanswered rows atomically (`casework.conversation.inbound.claim_unanswered`): `waiting` ones at once,
   `received` ones once they are older than `LIVE_GRACE` (longer than Rasa's own 300 s limit on an
   action call, so a slow turn still running is not taken from it), `recovering` ones whose claim
   outlived `CLAIM_LEASE` (their recoverer died); at start, `received` rows from before this process
   started are abandoned and claimed at once;
3. answer each in order (`Recovery.replay`, with the intake's screen, bot and answers): Rasa returns the replies from its tracker when the turn
   had finished before a crash, and runs it otherwise; the answer is recorded and queued (SMS, via
   the outbox) or kept for the page's poll (web chat) in one compare-and-set transaction, so a live
   webhook or another replica that answered first wins and nothing is sent twice.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from cryptography.fernet import InvalidToken

from casework.conversation.inbound import Unanswered, claim_unanswered, release_claim
from casework.models import utcnow
from channels.bot_client import BotUnavailable
from channels.channel_styles import say
from channels.intake import Intake, bot_messages

__all__ = ["Recovery"]

logger = logging.getLogger(__name__)

START_MARGIN = timedelta(seconds=5)
LIVE_GRACE = timedelta(seconds=330)
CLAIM_LEASE = timedelta(seconds=330)
SWEEP_EVERY = 2.0
CHANNELS = ("sms", "webchat")


class Recovery:
    def __init__(self, intake: Intake, *, started_at: datetime | None = None, every: float = SWEEP_EVERY) -> None:
        self.intake = intake
        self.started_at = started_at or utcnow()
        self.every = every
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        self._task = asyncio.ensure_future(self.run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task

    async def run(self) -> None:
        deadline = timedelta(seconds=self.intake.settings.sms_reply_deadline_seconds)
        received_before = min(self.started_at, utcnow() - deadline - START_MARGIN)
        first = True
        while True:
            try:
                if await self.intake.bot.ready():
                    await self.sweep(received_before=received_before if first else utcnow() - LIVE_GRACE)
                    first = False
            except BotUnavailable:
                logger.info("the bot went away during recovery; waiting messages keep their place")
            except Exception:  # the loop must outlive a database hiccup; it runs again shortly
                logger.exception("recovery sweep failed; trying again in %.0f s", self.every)
            await asyncio.sleep(self.every)

    async def sweep(self, *, received_before: datetime) -> int:
        """Claim and answer unanswered messages; returns how many were answered here."""
        answered = 0
        while True:
            claims = await self.intake.db.run(self._claim, received_before)
            if not claims:
                return answered
            for position, claim in enumerate(claims):
                try:
                    answered += int(await self.replay(claim))
                except BotUnavailable:
                    # Give back the rest too, so they keep their place behind this one.
                    for rest in claims[position + 1 :]:
                        await self.intake.db.run(self.release, rest)
                    raise

    def _claim(self, received_before: datetime) -> list[Unanswered]:
        with self.intake.sessions.begin() as session:
            return claim_unanswered(session, received_before=received_before, stale_claims_before=utcnow() - CLAIM_LEASE, channels=CHANNELS)

    async def replay(self, claim: Unanswered) -> bool:
        """Answer a claimed message exactly once. Raises BotUnavailable, after giving the claim back,
        when the bot went away again."""
        intake = self.intake
        style = intake.styles.get(claim.channel) or intake.styles["sms"]
        text = self.open_body(claim)
        screening = await intake.screen(text or "")
        flagged_prefix = screening.flagged and (not screening.interrupts or screening.tier == "report")
        prefix = say(screening.response or "", style) if flagged_prefix else []
        # Without its text (answered once, then put back) a message can only be replayed from the tracker.
        expanded = await intake.db.run(intake.admission.bot_text_now, claim.sender_id, text, screening, style) if text is not None else None
        try:
            reply = await intake.bot.ask(sender_id=claim.sender_id, text=expanded, message_id=claim.message_id, channel=style.name, replay=True)
        except BotUnavailable:
            await intake.db.run(self.release, claim)
            raise
        # Not in the tracker and no text to run it with: ask the resident to try again, never stay silent.
        rendered = style.render(prefix + bot_messages(reply, style))
        delivered = await intake.db.run(intake.answers.deliver_later, claim.message_id, claim.sender_id, rendered, style, claim)
        if delivered:
            how = "reply taken from the tracker" if reply.replayed else "turn run"
            logger.warning("%s %s answered after waiting: %s", claim.channel, claim.message_id, how)
        return delivered

    def release(self, claim: Unanswered) -> None:
        with self.intake.sessions.begin() as session:
            release_claim(session, claim.message_id, claimed_at=claim.claimed_at)

    def open_body(self, claim: Unanswered) -> str | None:
        if claim.body_encrypted is None:
            return None
        try:
            return self.intake.bodies.open(claim.body_encrypted)
        except InvalidToken:
            logger.error("%s: kept text cannot be decrypted (key changed?)", claim.message_id)
            return None
