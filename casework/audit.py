"""The audit trail: who read or changed which case, when. Details never carry the person's own data."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.case_models import AuditEvent
from casework.models import utcnow
from casework.outbox import as_utc

__all__ = ["AuditEntry", "record", "trail", "connector_actor"]


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    case_reference: str | None
    detail: str


def connector_actor(connector_id: int) -> str:
    return f"connector:{connector_id}"


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    case_reference: str | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Add an event to the caller's transaction, so the trail and the change commit together or not at all."""
    session.add(AuditEvent(at=at or utcnow(), actor=actor[:64], action=action[:32], case_reference=case_reference,
                           detail=detail[:300]))


def trail(session: Session, case_reference: str) -> list[AuditEntry]:
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.case_reference == case_reference).order_by(AuditEvent.at, AuditEvent.id)
    )
    return [AuditEntry(as_utc(e.at) or e.at, e.actor, e.action, e.case_reference, e.detail) for e in events]


def recent(session: Session, *, limit: int = 200, case_reference: str | None = None, actor: str | None = None) -> list[AuditEntry]:
    """The newest events first, for a manager's view of who read or changed what."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if case_reference:
        query = query.where(AuditEvent.case_reference == case_reference)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    return [AuditEntry(e.at, e.actor, e.action, e.case_reference, e.detail) for e in session.scalars(query)]
