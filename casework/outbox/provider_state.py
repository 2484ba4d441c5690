"""Whether an outside provider refuses our credentials, shared by the worker(s) and /healthz.

When Twilio answers 401/403 to a send, nothing about that message is wrong: the account's
credentials are (a rotated or revoked auth token, a suspended account). Retrying each message on its
own backoff would be a storm of refused requests that ends with every queued message failing for
good. Instead the sender pauses the provider here (in the database, because the worker and the web
app are different processes and there may be several workers), keeps the queue, and one worker at a
time checks the credentials every SMS_PROVIDER_PROBE_SECONDS until they work again.

    running --(401/403 to a send)--> paused --(probe succeeds)--> running
                                      paused --(probe due: claimed by one worker)--> paused (next probe later)
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, String, Text, update
from sqlalchemy.orm import Session

from casework.models import as_utc, utcnow
from service.database import Base

__all__ = ["ProviderState", "ProviderStatus", "SMS_PROVIDER", "provider_status", "pause_provider", "claim_probe", "resume_provider"]

SMS_PROVIDER = "sms_provider"


class ProviderState(Base):
    __tablename__ = "provider_state"

    provider = Column(String(32), primary_key=True)
    paused = Column(Boolean, nullable=False, default=False)
    reason = Column(Text, nullable=True)  # the provider's answer, numbers scrubbed
    paused_since = Column(DateTime(timezone=True), nullable=True)
    next_probe_at = Column(DateTime(timezone=True), nullable=True)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


@dataclass(frozen=True)
class ProviderStatus:
    provider: str
    paused: bool
    reason: str | None = None
    paused_since: datetime | None = None
    next_probe_at: datetime | None = None


def provider_status(session: Session, provider: str = SMS_PROVIDER) -> ProviderStatus:
    row = session.get(ProviderState, provider)
    if row is None:
        return ProviderStatus(provider, paused=False)
    return ProviderStatus(provider, bool(row.paused), row.reason, as_utc(row.paused_since), as_utc(row.next_probe_at))


def pause_provider(session: Session, provider: str, *, reason: str, now: datetime, next_probe_at: datetime) -> bool:
    """Record that the provider refused our credentials; True when it was not paused already."""
    row = session.get(ProviderState, provider, with_for_update=True)
    if row is None:
        session.add(ProviderState(provider=provider, paused=True, reason=reason, paused_since=now,
                                  next_probe_at=next_probe_at, updated_at=now))
        session.flush()
        return True
    newly = not row.paused
    row.paused = True
    row.reason = reason
    row.updated_at = now
    if newly:
        row.paused_since = now
        row.next_probe_at = next_probe_at
    return newly


def claim_probe(session: Session, provider: str, *, now: datetime, next_probe_at: datetime) -> bool:
    """Take the due credentials check (compare-and-set, so of several workers exactly one probes)."""
    row = session.get(ProviderState, provider)
    due = as_utc(row.next_probe_at) if row is not None else None
    if row is None or not row.paused or due is None or due > now:
        return False
    taken = session.execute(
        update(ProviderState)
        .where(ProviderState.provider == provider, ProviderState.paused.is_(True),
               ProviderState.next_probe_at == row.next_probe_at)
        .values(next_probe_at=next_probe_at, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    return taken == 1


def resume_provider(session: Session, provider: str, *, now: datetime) -> datetime | None:
    """The credentials work again; returns since when it had been paused (None if it was not)."""
    row = session.get(ProviderState, provider, with_for_update=True)
    if row is None or not row.paused:
        return None
    since = as_utc(row.paused_since)
    row.paused = False
    row.reason = None
    row.paused_since = None
    row.next_probe_at = None
    row.updated_at = now
    return since
