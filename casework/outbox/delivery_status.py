"""Delivery receipts: Twilio's status callbacks (POST /webhooks/sms/status) recorded on the outbox.

`record_status` is deduplicated and monotonic: a callback may arrive late or twice, and a status
never moves backwards ("delivered" never becomes "sent" again). A callback can arrive before the
worker has stored the message's SID (Twilio answers the create call and fires "sent"/"delivered"
callbacks within milliseconds of each other). Such a callback is kept in `early_status_callback` and
applied by `apply_early_statuses` when the worker records the SID; every later callback also sweeps
up early ones whose SID has appeared meanwhile (this closes the race where both transactions run at
once). Early callbacks whose SID never appears (a message sent by another system on the same Twilio
account) are dropped after `EARLY_STATUS_KEPT`. An error code saying the number is unsubscribed
(21610) opts the resident out (`casework.outbox.messages.mark_resident_opted_out`).
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, Integer, String, delete, select
from sqlalchemy.orm import Session

from casework.models import as_utc, utcnow
from casework.outbox.messages import OutboxMessage, mark_resident_opted_out
from service.database import Base

__all__ = ["EarlyStatusCallback", "EARLY_STATUS_KEPT", "record_status", "apply_early_statuses"]

log = logging.getLogger(__name__)


class EarlyStatusCallback(Base):
    """A Twilio status callback for a SID no outbox message holds yet (see the module docstring)."""

    __tablename__ = "early_status_callback"

    id = Column(Integer, primary_key=True)
    provider_sid = Column(String(64), nullable=False, index=True)
    status = Column(String(16), nullable=False)
    error_code = Column(String(16), nullable=True)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


# Long enough for any worker retry to have stored its SID; short enough that a shared Twilio
# account's other traffic does not pile up.
EARLY_STATUS_KEPT = timedelta(days=2)


# Twilio's message status order. A callback may arrive late or twice; a status with a rank not
# above the stored one is ignored, so "delivered" never becomes "sent" again.
_STATUS_RANK = {
    "accepted": 0,
    "scheduled": 0,
    "queued": 1,
    "sending": 2,
    "sent": 3,
    "delivered": 4,
    "undelivered": 4,
    "failed": 4,
    "canceled": 4,
    "read": 5,  # WhatsApp only; follows delivered
}
# Once Twilio says a message did not get through, nothing later can make it delivered.
_FINAL_FAILURES = {"undelivered", "failed", "canceled"}
# What our own `state` becomes when Twilio reports a status.
_STATE_FOR_STATUS = {
    "delivered": "delivered",
    "read": "delivered",
    "undelivered": "undelivered",
    "failed": "failed",
    "canceled": "failed",
}
# Twilio error codes in a status callback that mean the number is unsubscribed (texted STOP).
_UNSUBSCRIBED_CODES = {"21610"}


def record_status(
    session: Session,
    provider_sid: str,
    status: str,
    *,
    error_code: str | None = None,
    at: datetime | None = None,
) -> bool:
    """Record a Twilio status callback (MessageSid, MessageStatus, ErrorCode).

    Deduplicated and monotonic: returns True only when the stored status moved forward. A callback
    for a SID not stored yet is kept and applied when it is (`apply_early_statuses`); unknown
    statuses are ignored.
    """
    status = (status or "").strip().lower()
    _apply_waiting(session)
    if status not in _STATUS_RANK:
        log.warning("status callback for %s with unknown status %r ignored", provider_sid, status)
        return False
    message = session.scalars(
        select(OutboxMessage).where(OutboxMessage.provider_sid == provider_sid)
    ).one_or_none()
    if message is None:
        session.add(EarlyStatusCallback(provider_sid=provider_sid, status=status,
                                        error_code=str(error_code)[:16] if error_code else None,
                                        received_at=as_utc(at) or utcnow()))
        session.flush()
        log.info("status %s for %s arrived before its SID was stored; kept for later", status, provider_sid)
        return False
    return _apply_status(session, message, status, error_code=error_code, at=at)


def apply_early_statuses(session: Session, message: OutboxMessage) -> int:
    """Apply callbacks that arrived before `message.provider_sid` was stored; returns how many moved it."""
    if not message.provider_sid:
        return 0
    early = list(session.scalars(
        select(EarlyStatusCallback)
        .where(EarlyStatusCallback.provider_sid == message.provider_sid)
        .order_by(EarlyStatusCallback.received_at, EarlyStatusCallback.id)
    ))
    moved = 0
    for callback in early:
        moved += _apply_status(session, message, callback.status, error_code=callback.error_code,
                               at=callback.received_at)
        session.delete(callback)
    session.flush()
    return moved


def _apply_waiting(session: Session) -> None:
    """Early callbacks whose SID has been stored since (closes the race with the worker), and old ones."""
    waiting = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.provider_sid.in_(select(EarlyStatusCallback.provider_sid).scalar_subquery())
        )
    ).all()
    for message in waiting:
        apply_early_statuses(session, message)
    session.execute(
        delete(EarlyStatusCallback)
        .where(EarlyStatusCallback.received_at < utcnow() - EARLY_STATUS_KEPT)
        .execution_options(synchronize_session=False)
    )


def _apply_status(
    session: Session,
    message: OutboxMessage,
    status: str,
    *,
    error_code: str | None,
    at: datetime | None,
) -> bool:
    rank = _STATUS_RANK[status]
    current = message.provider_status
    if current in _FINAL_FAILURES:
        return False
    if current is not None and rank <= _STATUS_RANK.get(current, -1):
        return False
    message.provider_status = status
    message.status_updated_at = as_utc(at) or utcnow()
    if status in _STATE_FOR_STATUS:
        message.state = _STATE_FOR_STATUS[status]
    if error_code:
        message.last_error = f"twilio error {error_code} ({status})"
        if str(error_code) in _UNSUBSCRIBED_CODES:
            mark_resident_opted_out(session, message.recipient_sender_id, reason=f"twilio {error_code}")
    log.info("outbox %s status %s -> %s", message.id, current, status)
    return True
