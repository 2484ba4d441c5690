"""Flags: residents who need a person, not just a suggestion."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.models import Flag


def raise_flag(session: Session, *, sender_id: str, reason: str, source: str, message_id: str | None = None) -> Flag:
    """Open a flag for a connector; an open flag for the same reason is reused, not duplicated."""
    existing = session.scalars(
        select(Flag).where(Flag.sender_id == sender_id, Flag.reason == reason, Flag.state == "open")
    ).first()
    if existing is not None:
        return existing
    flag = Flag(sender_id=sender_id, reason=reason, source=source, message_id=message_id, state="open")
    session.add(flag)
    session.flush()
    return flag
