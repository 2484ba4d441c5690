"""Which of the service's befriending numbers (BEFRIENDING_NUMBERS) a match texts through.

The relay finds a match by (the number texted, who texted it), so a number is free for a new match when
neither person already has a live match on it, on either side: one number serves many matches, and
each person has at most one match per number. Among the free ones, a number neither has ever had a
match on comes first: END is also one of Twilio's own opt-out words, so Twilio itself stops that
number texting whoever sent it, until they text START to it.
"""
from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.befriending.tables import BefriendingMatch
from service.settings import Settings

__all__ = ["is_befriending_number", "free_number"]


def is_befriending_number(number: str | None, settings: Settings) -> bool:
    return bool(number) and number in settings.befriending_numbers


def free_number(session: Session, *, resident_sender_id: str, volunteer_sender_id: str, settings: Settings) -> str | None:
    """A befriending number this pair may use, or None when every one is taken by one of them (or none is configured)."""
    pool = settings.befriending_numbers
    if not pool:
        return None
    people = (resident_sender_id, volunteer_sender_id)
    used = session.execute(select(BefriendingMatch.number, BefriendingMatch.state).where(
        BefriendingMatch.number.in_(pool),
        or_(BefriendingMatch.resident_sender_id.in_(people), BefriendingMatch.volunteer_sender_id.in_(people)))).all()
    taken = {number for number, state in used if state == "live"}
    before = {number for number, _ in used}
    free = [number for number in pool if number not in taken]
    return next((n for n in free if n not in before), None) or next(iter(free), None)
