"""The "did you go?" check-in: one row per activity a resident agreed to be asked about.

States, in order: `offered` (the bot asked "shall I text you after Tuesday?") -> `agreed` or
`declined` (or `lapsed`: their next message was about something else) -> `asked` (the worker texted
the check-in) -> `answered` (went or not, and why), or `no_reply` (their next message was not an
answer) / `expired` (never asked: consent withdrawn, or too late to ask) .

Column conventions as in casework.cases.models: `sender_id` is the resident's pseudonym (erasing or
re-keying a resident finds this table by that column), and what they wrote is sealed
(`info={"sealed": "body"}`). The activity's name is the directory's public name, never a person's.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, String, Text

from casework.cases.models import SEALED_BODY
from casework.models import utcnow
from service.database import Base

__all__ = ["FollowUp", "FOLLOW_UP_STATES"]

FOLLOW_UP_STATES = ("offered", "agreed", "declined", "lapsed", "asked", "answered", "no_reply", "expired")


class FollowUp(Base):
    __tablename__ = "follow_up"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(64), nullable=False, index=True)
    activity_id = Column(String(36), nullable=False)  # directory_service.id; no foreign key: a re-import may retire it
    activity_name = Column(String(200), nullable=False)
    # The search it came from, so "another idea" can search again: the directory's interest word.
    interest = Column(String(100), nullable=True)
    place_encrypted = Column(Text, nullable=True, info=SEALED_BODY)  # may be a postcode: sealed
    meets_at = Column(DateTime(timezone=True), nullable=False)  # the session they were going to
    state = Column(String(16), nullable=False, default="offered")
    offered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    decided_at = Column(DateTime(timezone=True), nullable=True)
    ask_at = Column(DateTime(timezone=True), nullable=True)  # the earliest moment to text the check-in
    asked_at = Column(DateTime(timezone=True), nullable=True)
    outbox_id = Column(Integer, nullable=True)
    answered_at = Column(DateTime(timezone=True), nullable=True, index=True)
    went = Column(Boolean, nullable=True)  # None until answered
    # Why not, in a word the outcomes can count: transport | health | nerves | time | cancelled | other.
    reason = Column(String(16), nullable=True)
    answer_encrypted = Column(Text, nullable=True, info=SEALED_BODY)  # their words, for a connector

    # The worker asks every second for agreed check-ins whose time has come (bench/check_ins.py).
    __table_args__ = (Index("ix_follow_up_state_ask_at", "state", "ask_at"),)
