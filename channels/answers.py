"""Record the answer to a message, the one way every path does it (settled at once, the bot's reply, a
reply that follows later, a replay by recovery): the privacy notice on a resident's first ordinary
reply, the compare-and-set that answers a message once, the outbox for an SMS answered later, and
what "1", "2" and MORE will mean."""
from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from casework.conversation.inbound import UNANSWERED, Unanswered, answer_through_outbox, mark_answered, wait_for_bot
from casework.conversation.state import remember_reply
from casework.privacy.consent import give_privacy_notice, privacy_notice_due
from channels.channel_styles import ChannelStyle, Rendered
from channels.incoming import Incoming, Messages, Outcome
from channels.responses import render_response
from service.database import DatabaseThreads
from service.settings import Settings

__all__ = ["Answers", "answered_before"]

logger = logging.getLogger(__name__)


def answered_before(state: str, reply_text: str | None) -> Outcome:
    """A redelivered message: the answer its first delivery got (or that it is still waiting)."""
    waiting = state in ("received", "waiting", "recovering")
    return Outcome(state, reply_text, [{"text": reply_text}] if reply_text else [], pending=waiting)


class Answers:
    def __init__(self, settings: Settings, sessions: sessionmaker, db: DatabaseThreads) -> None:
        self.settings = settings
        self.sessions = sessions
        self.db = db

    def settle(self, session: Session, message: Incoming, state: str, messages: Messages, style: ChannelStyle, *,
               notice: bool = True) -> Outcome:
        """Answer a message now, in the transaction that recorded it."""
        rendered = style.render(messages)
        recorded = self.record(session, message.message_id, message.sender_id, rendered, style, state=state, notice=notice)
        answered = recorded or rendered  # (the message was recorded in this same transaction: it is still waiting)
        return Outcome(state, answered.text, answered.messages)

    def record(self, session: Session, message_id: str, sender_id: str, rendered: Rendered, style: ChannelStyle, *,
               state: str = "answered", notice: bool = True, later: bool = False, claim: Unanswered | None = None,
               notice_given: bool = False) -> Rendered | None:
        """Record the answer to a message: the privacy notice on a resident's first ordinary reply (never
        on a crisis answer), the answer marked if the message is still waiting (compare-and-set: None
        when someone else answered it), an SMS answered `later` (its webhook already answered) queued
        through the outbox in the same transaction, and the numbered choices and MORE of an SMS
        remembered. What is sent, or None. `notice_given`: the caller read, earlier in the turn, that the
        notice had gone out (it never goes twice: casework.privacy.consent), so it is not looked up again."""
        noticed = notice and not notice_given and state in ("answered", "deferred") and privacy_notice_due(session, sender_id)
        if noticed:
            rendered = self.with_privacy_notice(rendered, style)
        from_states = ("recovering",) if claim is not None else UNANSWERED
        claimed_at = claim.claimed_at if claim is not None else None
        if later and style.keywords:
            done = answer_through_outbox(session, message_id, sender_id=sender_id, reply_text=rendered.text, settings=self.settings,
                                         state=state, from_states=from_states, claimed_at=claimed_at)
        else:
            done = mark_answered(session, message_id, state=state, reply_text=rendered.text, from_states=from_states, claimed_at=claimed_at)
        if not done:
            return None
        if noticed:
            give_privacy_notice(session, sender_id)
        if style.keywords and rendered.text:
            remember_reply(session, sender_id, choices=rendered.choices, more=rendered.more)
        return rendered

    def with_privacy_notice(self, rendered: Rendered, style: ChannelStyle) -> Rendered:
        """The first reply a resident gets carries the privacy notice (casework.privacy.consent), after the
        rendered reply rather than inside its segment budget, so "Reply MORE" never cuts it."""
        notice = render_response("utter_privacy_notice", channel=style.name, values={"privacy_url": self.settings.public_base_url + "/privacy"})
        text = f"{rendered.text}\n\n{notice}" if rendered.text else notice
        return Rendered(text, [*rendered.messages, {"text": notice}], rendered.choices, rendered.more)

    # --- in a transaction of their own (on the database threads) ---------------------------------
    def finish(self, message_id: str, sender_id: str, rendered: Rendered, style: ChannelStyle, *, notice_given: bool = False) -> Rendered | None:
        """Record the bot's answer; what to send (None: someone else answered it)."""
        with self.sessions.begin() as session:
            return self.record(session, message_id, sender_id, rendered, style, notice_given=notice_given)

    def deliver_later(self, message_id: str, sender_id: str, rendered: Rendered, style: ChannelStyle, claim: Unanswered | None, *,
                      notice_given: bool = False) -> bool:
        """Answer a message whose webhook has already been answered: SMS through the outbox, web chat
        by recording the reply for the page's poll. Compare-and-set: False when someone else answered."""
        with self.sessions.begin() as session:
            return self.record(session, message_id, sender_id, rendered, style, state="deferred", later=True, claim=claim,
                               notice_given=notice_given) is not None

    async def wait_or_leave(self, message_id: str) -> None:
        """Mark the message as waiting for the bot; when even that cannot be written (the database down,
        or SQLite's write lock held past its timeout under load), it stays as recorded, unanswered, and
        recovery answers it once after its lease: the webhook is never answered with a 500 for it."""
        try:
            await self.db.run(self._wait, message_id)
        except SQLAlchemyError:
            logger.exception("%s could not be marked as waiting; recovery will answer it", message_id)

    def _wait(self, message_id: str) -> None:
        with self.sessions.begin() as session:
            wait_for_bot(session, message_id)
