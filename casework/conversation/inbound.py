"""The inbound message log: record first, answer once, lose nothing.

Each message is recorded by its channel message id (Twilio's MessageSid) before anything else runs,
so a redelivery is recognised and gets the reply it got the first time instead of a second turn.

Nothing lost, nothing answered twice. A message stays `received` until its answer is recorded; the
text is kept (sealed with `BodyVault`) until then, so a turn lost when a process dies can be run
again. Every way out of `received` is a compare-and-set in one transaction with whatever sends the
answer, so exactly one of them wins:

    received --(webhook answered in TwiML)---------------------> answered | screened | opt_out
    received --(turn passed the deadline, reply queued)--------> deferred
    received --claim_unanswered--> recovering --finish---------> deferred (reply queued) | opt_out ...
    recovering (claim older than its lease: the recoverer died) --claim_unanswered--> recovering
    received --(the bot is unavailable, or earlier messages of the sender wait)--> waiting
    waiting --claim_unanswered (at once, when the bot is back)--> recovering
    recovering --release_claim (the bot went away again)--> waiting

If the live webhook and a recoverer race for one message, the first to commit answers it (TwiML or
outbox); the other sees `False` from `mark_answered` and sends nothing.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from casework.models import InboundMessage, utcnow
from casework.outbox.messages import OutboxError, enqueue_sms
from casework.sealing import Vault
from service.settings import Settings

__all__ = [
    "UNANSWERED",
    "BodyVault",
    "Recorded",
    "Unanswered",
    "record_inbound",
    "mark_answered",
    "answer_through_outbox",
    "claim_unanswered",
    "release_claim",
    "wait_for_bot",
    "has_queued",
    "answer_of",
]

log = logging.getLogger(__name__)

UNANSWERED = ("received", "recovering", "waiting")
# A sender with messages in these states has earlier messages still to be answered: later ones queue behind.
QUEUED = ("waiting", "recovering")


class BodyVault(Vault):
    """Seals message text while it waits for an answer (a resident's words are as private as their number)."""

    purpose = "body"


# Every turn runs these, so each is built once (SQLAlchemy caches its compiled form, and building a
# statement cost more than running it: bench/profile_web.py), on the table rather than the mapped
# class (no ORM state to keep in step: each is a write with nothing loaded to refresh, or a read of
# a column or two).
_INBOUND = InboundMessage.__table__
# INSERT ... ON CONFLICT DO NOTHING, in the dialect of each database the service runs on.
_RECORD = {
    "sqlite": sqlite.insert(_INBOUND).on_conflict_do_nothing(index_elements=["message_id"]),
    "postgresql": postgresql.insert(_INBOUND).on_conflict_do_nothing(index_elements=["message_id"]),
}
_RECORDED = select(_INBOUND.c.state, _INBOUND.c.reply_text).where(_INBOUND.c.message_id == bindparam("message_id"))
_ANSWER = (
    update(_INBOUND)
    .where(_INBOUND.c.message_id == bindparam("answered_id"), _INBOUND.c.state.in_(bindparam("from_states", expanding=True)))
    .values(state=bindparam("state"), reply_text=bindparam("reply_text"), answered_at=bindparam("answered_at"), body_encrypted=None,
            claimed_at=None)
)
_ANSWER_CLAIMED = _ANSWER.where(_INBOUND.c.claimed_at == bindparam("claim"))
_QUEUED = select(_INBOUND.c.id).where(_INBOUND.c.sender_id == bindparam("sender_id"), _INBOUND.c.state.in_(QUEUED)).limit(1)


@dataclass(frozen=True)
class Recorded:
    is_new: bool
    state: str
    reply_text: str | None


@dataclass(frozen=True)
class Unanswered:
    """A message claimed for recovery. `claimed_at` is the claim's token for `mark_answered`."""

    message_id: str
    sender_id: str
    body_encrypted: str | None
    received_at: datetime
    claimed_at: datetime
    channel: str = "sms"


def record_inbound(
    session: Session, *, channel: str, message_id: str, sender_id: str, body_encrypted: str | None = None
) -> Recorded:
    """Record a message; if it was seen before, say so and return what it was answered with."""
    values = {"channel": channel, "message_id": message_id, "sender_id": sender_id, "body_encrypted": body_encrypted}
    # One statement: a redelivery inserts nothing (and Twilio's retry while the first delivery is still
    # being recorded waits for it, then inserts nothing), and only then is the message read.
    if session.execute(_RECORD[session.get_bind().dialect.name], values).rowcount == 1:
        return Recorded(is_new=True, state="received", reply_text=None)
    state, reply_text = session.execute(_RECORDED, {"message_id": message_id}).one()
    return Recorded(is_new=False, state=state, reply_text=reply_text)


def mark_answered(
    session: Session,
    message_id: str,
    *,
    state: str,
    reply_text: str | None,
    from_states: Iterable[str] = UNANSWERED,
    claimed_at: datetime | None = None,
) -> bool:
    """Record the answer if the message is still waiting for one; False when someone else answered it.

    A recoverer passes `from_states=("recovering",)` and its claim's `claimed_at`, so a claim taken
    over by another recoverer (after its lease ran out) cannot answer as well.
    """
    params = {"answered_id": message_id, "from_states": list(from_states), "state": state, "reply_text": reply_text, "answered_at": utcnow()}
    if claimed_at is None:
        return session.execute(_ANSWER, params).rowcount == 1
    return session.execute(_ANSWER_CLAIMED, {**params, "claim": claimed_at}).rowcount == 1


def answer_through_outbox(
    session: Session,
    message_id: str,
    *,
    sender_id: str,
    reply_text: str | None,
    settings: Settings,
    state: str = "deferred",
    from_states: Iterable[str] = UNANSWERED,
    claimed_at: datetime | None = None,
) -> bool:
    """Mark the message answered and queue its reply in the same transaction: both or neither.

    Returns False (and queues nothing) when the message was already answered by someone else.
    The outbox honours opt-out, so a resident who texted STOP meanwhile gets nothing.
    """
    if not mark_answered(session, message_id, state=state, reply_text=reply_text, from_states=from_states, claimed_at=claimed_at):
        return False
    if reply_text:
        try:
            enqueue_sms(session, sender_id=sender_id, body=reply_text, purpose="reply", settings=settings)
        except OutboxError:
            # Nothing was added; keeping the answer recorded stops an endless retry of a reply that
            # can never be queued (no resident record, say), and the error is in the log.
            log.exception("reply to %s could not be queued", message_id)
    return True


def claim_unanswered(
    session: Session,
    *,
    received_before: datetime,
    stale_claims_before: datetime,
    channel: str = "sms",
    channels: tuple[str, ...] = (),
    limit: int = 50,
) -> list[Unanswered]:
    """Claim messages that never got an answer: `waiting` for the bot, `received` before
    `received_before`, or `recovering` under a claim older than `stale_claims_before` (the recoverer
    died). Oldest first.

    Each claim is a compare-and-set on (state, claimed_at), so two replicas sweeping at once never
    both take one message. Commit before working on the claims, so the other replicas see them.
    """
    candidates = session.execute(
        select(InboundMessage.id, InboundMessage.state, InboundMessage.claimed_at)
        .where(
            InboundMessage.channel.in_(channels) if channels else InboundMessage.channel == channel,
            or_(
                InboundMessage.state == "waiting",
                and_(InboundMessage.state == "received", InboundMessage.received_at <= received_before),
                and_(InboundMessage.state == "recovering", InboundMessage.claimed_at <= stale_claims_before),
            ),
        )
        .order_by(InboundMessage.received_at, InboundMessage.id)
        .limit(limit)
    ).all()
    claimed: list[Unanswered] = []
    for row_id, state, previous_claim in candidates:
        now = utcnow()
        same_claim = InboundMessage.claimed_at.is_(None) if previous_claim is None else InboundMessage.claimed_at == previous_claim
        taken = session.execute(
            update(InboundMessage)
            .where(InboundMessage.id == row_id, InboundMessage.state == state, same_claim)
            .values(state="recovering", claimed_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        if taken != 1:
            continue
        row = session.get(InboundMessage, row_id)
        if row is not None:
            claimed.append(Unanswered(row.message_id, row.sender_id, row.body_encrypted, row.received_at, now, row.channel))
    return claimed


def release_claim(session: Session, message_id: str, *, claimed_at: datetime) -> bool:
    """Give a claimed message back to the queue (the bot went away again); it keeps its place."""
    changed = session.execute(
        update(InboundMessage)
        .where(InboundMessage.message_id == message_id, InboundMessage.state == "recovering", InboundMessage.claimed_at == claimed_at)
        .values(state="waiting", claimed_at=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    return changed == 1


def wait_for_bot(session: Session, message_id: str) -> bool:
    """The bot cannot take this message now: it waits (text kept, sealed) and is answered when it can."""
    changed = session.execute(
        update(InboundMessage)
        .where(InboundMessage.message_id == message_id, InboundMessage.state == "received")
        .values(state="waiting")
        .execution_options(synchronize_session=False)
    ).rowcount
    return changed == 1


def has_queued(session: Session, sender_id: str) -> bool:
    """Earlier messages from this sender wait for the bot, so a new one must queue behind them."""
    return session.execute(_QUEUED, {"sender_id": sender_id}).first() is not None


def answer_of(session: Session, message_id: str, *, sender_id: str) -> Recorded | None:
    """A message's state and recorded reply, only to the sender who sent it."""
    row = session.execute(
        select(InboundMessage.state, InboundMessage.reply_text).where(InboundMessage.message_id == message_id, InboundMessage.sender_id == sender_id)
    ).first()
    return Recorded(is_new=False, state=row[0], reply_text=row[1]) if row is not None else None
