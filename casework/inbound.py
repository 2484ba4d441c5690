"""The inbound message log: record first, answer once.

Each message is recorded by its channel message id (Twilio's MessageSid) before anything else runs,
so a redelivery is recognised and gets the reply it got the first time instead of a second turn.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.models import InboundMessage, utcnow


@dataclass(frozen=True)
class Recorded:
    is_new: bool
    state: str
    reply_text: str | None


def record_inbound(session: Session, *, channel: str, message_id: str, sender_id: str) -> Recorded:
    """Record a message; if it was seen before, say so and return what it was answered with."""
    existing = session.scalars(select(InboundMessage).where(InboundMessage.message_id == message_id)).first()
    if existing is not None:
        return Recorded(is_new=False, state=existing.state, reply_text=existing.reply_text)
    try:
        with session.begin_nested():
            session.add(InboundMessage(channel=channel, message_id=message_id, sender_id=sender_id))
    except IntegrityError:
        # Twilio retried while the first delivery was still being recorded.
        existing = session.scalars(select(InboundMessage).where(InboundMessage.message_id == message_id)).one()
        return Recorded(is_new=False, state=existing.state, reply_text=existing.reply_text)
    return Recorded(is_new=True, state="received", reply_text=None)


def mark_answered(session: Session, message_id: str, *, state: str, reply_text: str | None) -> None:
    row = session.scalars(select(InboundMessage).where(InboundMessage.message_id == message_id)).one()
    row.state = state
    row.reply_text = reply_text
    row.answered_at = utcnow()
