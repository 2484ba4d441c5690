"""Suggestions made: which activities the bot put to which resident, and when (never the words sent).

The outcomes dashboard counts these rows. Recording runs in the search's own transaction, so a
suggestion is counted exactly when the search that produced it committed.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from casework.models import as_utc, utcnow
from casework.outcomes.models import Suggestion

__all__ = ["record_suggestions"]


def record_suggestions(session: Session, *, sender_id: str, activity_ids: Iterable[str], at: datetime | None = None) -> int:
    """Record one suggestion per activity (an activity named twice in one answer counts once); returns how many."""
    when = as_utc(at) or utcnow()
    unique = [a for a in dict.fromkeys(activity_ids) if a]
    for activity_id in unique:
        session.add(Suggestion(sender_id=sender_id[:64], activity_id=activity_id[:36], at=when))
    return len(unique)
