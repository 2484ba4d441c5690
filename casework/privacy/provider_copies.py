"""Twilio's own copies of messages: deleted through its API when we erase or purge ours.

Twilio keeps every message's body and both numbers in its logs (for up to 400 days) until they are
deleted with `DELETE /Messages/{Sid}`. When a resident is erased (jobs.erasure) or a message passes
its retention period (jobs.retention), the message SIDs are queued here, in the same transaction
that deletes our rows, and the worker deletes Twilio's copies (jobs.provider_copies), retrying
while Twilio is unreachable or still sending. The queue holds SIDs only: opaque ids, no number and no
text, and nothing that says whose they were.

Three kinds of message have copies at Twilio: texts residents sent (the inbound message's SID), what
the worker sent through the API (the outbox row's provider SID) and replies sent as TwiML in answer to
the webhook. Twilio gives a TwiML reply its SID only after we have answered, so the reply carries an
`action` URL naming the text it answers, and Twilio reports the SID there (channels.sms_webhook);
`record_reply_sid` keeps it on the inbound message, where erasure and retention find it. A report that
arrives after the message was erased or purged queues the reply's copy for deletion at once.

Nothing is queued in dry-run mode (no Twilio account: no copies exist).
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, Integer, String, Text, select, update
from sqlalchemy.orm import Session

from casework.models import InboundMessage, utcnow
from service.database import Base
from service.settings import Settings

__all__ = ["ProviderCopy", "queue_deletions", "record_reply_sid", "due_deletions", "record_attempt", "is_twilio_message_sid",
           "GIVE_UP_AFTER"]

# Twilio's message SIDs: SM (SMS) or MM (MMS) and 32 hex digits.
_SID_PREFIXES = ("SM", "MM")
GIVE_UP_AFTER = 30  # attempts, about two weeks at the slowest pace below
_PACE = (timedelta(minutes=1), timedelta(minutes=10), timedelta(hours=1), timedelta(hours=12))


class ProviderCopy(Base):
    """A message Twilio still holds that we have deleted on our side."""

    __tablename__ = "provider_copy"

    id = Column(Integer, primary_key=True)
    provider = Column(String(16), nullable=False, default="twilio")
    message_sid = Column(String(64), nullable=False, unique=True)
    reason = Column(String(16), nullable=False)  # erasure | retention | extra_reply (see record_reply_sid)
    state = Column(String(16), nullable=False, default="pending", index=True)  # pending | deleted | gone | failed
    queued_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    next_attempt_at = Column(DateTime(timezone=True), nullable=True, index=True)
    attempts = Column(Integer, nullable=False, default=0)
    done_at = Column(DateTime(timezone=True), nullable=True)
    last_error = Column(Text, nullable=True)  # Twilio's error code and status, never a body or number


def is_twilio_message_sid(value: str | None) -> bool:
    return bool(value) and len(value or "") == 34 and (value or "")[:2] in _SID_PREFIXES


def queue_deletions(session: Session, sids: Iterable[str | None], *, reason: str, settings: Settings, now: datetime | None = None) -> int:
    """Queue Twilio's copies of these messages for deletion (in the caller's transaction); how many."""
    if settings.sms_dry_run:
        return 0
    wanted = sorted({sid for sid in sids if sid and is_twilio_message_sid(sid)})
    if not wanted:
        return 0
    known = set(session.scalars(select(ProviderCopy.message_sid).where(ProviderCopy.message_sid.in_(wanted))))
    now = now or utcnow()
    for sid in wanted:
        if sid not in known:
            session.add(ProviderCopy(message_sid=sid, reason=reason[:16], state="pending", queued_at=now, next_attempt_at=now))
    session.flush()
    return len(wanted) - len(known)


def record_reply_sid(session: Session, inbound_sid: str, reply_sid: str, *, settings: Settings, now: datetime | None = None) -> str:
    """Twilio reported the SID of the TwiML reply to `inbound_sid` (in the caller's transaction).

    `recorded` (kept on the inbound message, deleted at Twilio with it), `known` (Twilio reports each
    status change, with the same SID), `queued` (deletion of Twilio's copy queued now: the message was
    erased or purged before the report came, or it already has a reply SID, as when Twilio ran the
    webhook twice; only one is kept, so the other's copy goes at once rather than never) or `ignored`
    (not a message SID).
    """
    if not is_twilio_message_sid(reply_sid):
        return "ignored"
    # One conditional UPDATE, so two reports racing cannot both claim the empty column.
    claimed = session.execute(update(InboundMessage).where(InboundMessage.message_id == inbound_sid, InboundMessage.reply_sid.is_(None))
                              .values(reply_sid=reply_sid).execution_options(synchronize_session=False)).rowcount
    if claimed:
        return "recorded"
    held = session.execute(select(InboundMessage.reply_sid).where(InboundMessage.message_id == inbound_sid)).first()
    if held is not None and held.reply_sid == reply_sid:
        return "known"
    queue_deletions(session, [reply_sid], reason="erasure" if held is None else "extra_reply", settings=settings, now=now)
    return "queued"


def due_deletions(session: Session, *, now: datetime, limit: int = 50) -> list[tuple[int, str]]:
    rows = session.execute(select(ProviderCopy.id, ProviderCopy.message_sid).where(
        ProviderCopy.state == "pending", ProviderCopy.next_attempt_at <= now).order_by(ProviderCopy.next_attempt_at).limit(limit))
    return [(row.id, row.message_sid) for row in rows]


def record_attempt(session: Session, copy_id: int, *, outcome: str, error: str | None = None, now: datetime | None = None) -> None:
    """`deleted` (204), `gone` (404: Twilio holds no copy), or `retry` (unreachable, still sending...)."""
    now = now or utcnow()
    row = session.get(ProviderCopy, copy_id)
    if row is None:
        return
    row.attempts += 1
    row.last_error = error[:200] if error else None
    if outcome in ("deleted", "gone"):
        row.state, row.done_at, row.next_attempt_at = outcome, now, None
    elif row.attempts >= GIVE_UP_AFTER:
        row.state, row.done_at, row.next_attempt_at = "failed", now, None
    else:
        row.next_attempt_at = now + _PACE[min(row.attempts - 1, len(_PACE) - 1)]
