"""What an SMS resident's next short reply refers to: the numbered choices and the parts after MORE.

Plain values in and out; the rows never leave this module, and are read and written by statements
alone (never as loaded rows, so nothing loaded can go stale). Every SMS turn reads the row and most
write nothing: each statement is built once, on the table, since building one cost more than running
it (bench/profile_web.py).
"""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from casework.models import SmsConversationState, as_utc, utcnow

__all__ = ["remember_reply", "take_more", "choices_for", "choices_offered_at"]

_STATE = SmsConversationState.__table__
_SENDER = _STATE.c.sender_id == bindparam("sender")
_OFFERED = select(_STATE.c.choices_json, _STATE.c.more_json).where(_SENDER)
_CHOICES = select(_STATE.c.choices_json, _STATE.c.updated_at).where(_SENDER)
_MORE = select(_STATE.c.more_json).where(_SENDER)
_ADD = insert(_STATE)
_REPLACE = update(_STATE).where(_SENDER).values(choices_json=bindparam("choices"), more_json=bindparam("more"), updated_at=bindparam("at"))
_TAKE_MORE = update(_STATE).where(_SENDER).values(more_json=bindparam("more"))


def remember_reply(session: Session, sender_id: str, *, choices: dict[str, str], more: list[str]) -> None:
    """Keep what the reply just sent offers: "1", "2"... and the rest of a long reply.

    Written only when that changed: most replies offer what the last one did (often nothing), and a
    row not written since the retention cutoff only ever holds choices too old to honour anyway."""
    choices_json = json.dumps(choices) if choices else None
    more_json = json.dumps(more) if more else None
    offered = session.execute(_OFFERED, {"sender": sender_id}).first()
    if offered is None:
        if choices_json is None and more_json is None:
            return
        session.execute(_ADD, {"sender_id": sender_id, "choices_json": choices_json, "more_json": more_json, "updated_at": utcnow()})
    elif tuple(offered) != (choices_json, more_json):
        session.execute(_REPLACE, {"sender": sender_id, "choices": choices_json, "more": more_json, "at": utcnow()})


def take_more(session: Session, sender_id: str) -> str | None:
    """The next part of the last long reply, or None when nothing is waiting."""
    more_json = session.execute(_MORE, {"sender": sender_id}).scalar()
    if not more_json:
        return None
    parts = json.loads(more_json)
    session.execute(_TAKE_MORE, {"sender": sender_id, "more": json.dumps(parts[1:]) if len(parts) > 1 else None})
    return str(parts[0])


def choices_for(session: Session, sender_id: str) -> dict[str, str]:
    row = session.execute(_CHOICES, {"sender": sender_id}).first()
    return json.loads(row.choices_json) if row is not None and row.choices_json else {}


def choices_offered_at(session: Session, sender_id: str) -> datetime | None:
    """When the numbered choices now offered to this sender were offered (None: none are)."""
    row = session.execute(_CHOICES, {"sender": sender_id}).first()
    return as_utc(row.updated_at) if row is not None and row.choices_json else None
