"""Which of our questions a sender may be answering now: one read a message, not one a question.

Each question lives in its own room and keeps its own state there: where they are and how to reach
them, and the direct question about ending their life (casework.triage, as open flags); "Shall I
remember...?" (casework.memory, a flag); the offer of a check-in and the check-in itself
(casework.follow_ups, a follow-up row "offered" or "asked"). Each room's answer function still decides
whether this message answers its question (and drops a question gone stale); this module only says
which rooms to ask, in one indexed read over the flag and follow-up rows, so a message that answers
nothing (most of them) costs one statement here instead of five (bench/profile_web.py).

What it returns is a superset: an open flag older than its question's validity is still named, and its
room drops it when asked, exactly as before.
"""
from __future__ import annotations

from sqlalchemy import select, union_all
from sqlalchemy.orm import Session

from casework.follow_up_models import FollowUp
from casework.memory import REMEMBER_FLAG
from casework.models import Flag
from casework.triage import AREA_FLAG, CHECK_FLAG, CONTACT_FLAG

__all__ = ["AREA", "CONTACT", "DIRECT_QUESTION", "REMEMBER", "CHECK_IN_OFFER", "CHECK_IN", "open_questions"]

AREA = AREA_FLAG
CONTACT = CONTACT_FLAG
DIRECT_QUESTION = CHECK_FLAG
REMEMBER = REMEMBER_FLAG
CHECK_IN_OFFER = "check_in_offered"
CHECK_IN = "check_in_asked"

_ASKED_AS_FLAGS = (AREA, CONTACT, DIRECT_QUESTION, REMEMBER)
_FOLLOW_UP_STATES = {"offered": CHECK_IN_OFFER, "asked": CHECK_IN}


def open_questions(session: Session, sender_id: str) -> frozenset[str]:
    """The questions this sender has open (AREA, CONTACT, DIRECT_QUESTION, REMEMBER, CHECK_IN_OFFER, CHECK_IN)."""
    flags = select(Flag.reason.label("kind")).where(
        Flag.sender_id == sender_id, Flag.state == "open", Flag.reason.in_(_ASKED_AS_FLAGS))
    follow_ups = select(FollowUp.state.label("kind")).where(
        FollowUp.sender_id == sender_id, FollowUp.state.in_(tuple(_FOLLOW_UP_STATES)))
    kinds = set(session.scalars(union_all(flags, follow_ups)))
    return frozenset(_FOLLOW_UP_STATES.get(kind, kind) for kind in kinds)
