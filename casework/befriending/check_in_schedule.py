"""When a live match's check-ins fall due: each side two weeks after it went live, then every 30 days while
it stays live (casework.befriending.check_ins texts them and reads the answers).

A check-in is a row per side and due date (tables.BefriendingCheckIn, unique on the three), so scheduling
the same one twice adds nothing. The first two are made when the match goes live
(casework.befriending.matches.give_number); the next one when a check-in is texted or missed, never
before: a month is counted from the date the last one was due, so the rhythm holds whatever hour the
texts went, and a date already long past (the worker was stopped for weeks) is moved on by whole months.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.befriending.tables import BefriendingCheckIn, BefriendingMatch

__all__ = ["FIRST_AFTER", "EVERY", "TOO_LATE_AFTER", "ANSWER_VALID_FOR", "schedule_first", "schedule_next"]

FIRST_AFTER = timedelta(days=14)
EVERY = timedelta(days=30)
TOO_LATE_AFTER = timedelta(days=7)  # a check-in that could not go within a week of its day is missed, not sent late
ANSWER_VALID_FOR = timedelta(days=3)  # as a "did you go?" check-in's: a "2" days later is about something else


def _add(session: Session, *, match_id: int, side: str, sender_id: str, round_: int, due_at: datetime) -> None:
    exists = session.scalars(select(BefriendingCheckIn.id).where(BefriendingCheckIn.match_id == match_id, BefriendingCheckIn.side == side,
                                                                 BefriendingCheckIn.due_at == due_at)).first()
    if exists is None:
        session.add(BefriendingCheckIn(match_id=match_id, side=side, sender_id=sender_id, round=round_, state="due", due_at=due_at))


def schedule_first(session: Session, match: BefriendingMatch, *, live_at: datetime) -> None:
    """The match went live: both sides' first check-ins, due FIRST_AFTER later."""
    for side, sender_id in (("resident", match.resident_sender_id), ("volunteer", match.volunteer_sender_id)):
        _add(session, match_id=match.id, side=side, sender_id=sender_id, round_=1, due_at=live_at + FIRST_AFTER)


def schedule_next(session: Session, row: BefriendingCheckIn, *, due_at: datetime, now: datetime) -> None:
    """This side's next check-in after `row` (due at `due_at`, its own due date as stored), a month on; moved on
    by whole months past any date that would already be too late."""
    following = due_at + EVERY
    while following < now - TOO_LATE_AFTER:
        following += EVERY
    _add(session, match_id=row.match_id, side=row.side, sender_id=row.sender_id, round_=row.round + 1, due_at=following)
