"""Heartbeats of background processes, so /healthz can tell a stopped worker from a quiet one."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy.orm import Session

from casework.models import Heartbeat, utcnow


def beat(session: Session, component: str) -> None:
    row = session.get(Heartbeat, component)
    if row is None:
        session.add(Heartbeat(component=component, beat_at=utcnow()))
    else:
        row.beat_at = utcnow()


def is_alive(session: Session, component: str, *, within: timedelta = timedelta(seconds=30)) -> bool:
    row = session.get(Heartbeat, component)
    if row is None:
        return False
    beat_at = row.beat_at if row.beat_at.tzinfo else row.beat_at.replace(tzinfo=timezone.utc)
    return datetime.now(timezone.utc) - beat_at <= within
