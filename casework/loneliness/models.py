"""One row per resident whose loneliness is measured (casework.loneliness): where the asking stands, and
the two scores with their dates, the kind of support and the area.

States of a round (`round` is "first", then "follow_up"):
`due` (the worker may text the consent question from `due_at`) -> `consent_asked` -> `asking`
(question 1, 2, 3) -> the round is scored: a first round becomes the follow-up round, `due` about eight
weeks on; a follow-up round is `done`. Or: `declined` (they said no; never asked again), `lapsed`
(their reply was not an answer, or came too late), `expired` (it could not be texted within a week).

Column conventions as in casework.cases.models: `sender_id` is the resident's pseudonym (erasure and the
re-key command find this table by that column). No text they wrote is kept: the answers so far are
digits, cleared once they form a score.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String

from casework.models import utcnow
from service.database import Base

__all__ = ["LonelinessScore", "SUPPORT_KINDS", "STATES"]

SUPPORT_KINDS = ("suggestion", "befriending", "case")
STATES = ("due", "consent_asked", "asking", "done", "declined", "lapsed", "expired")


class LonelinessScore(Base):
    __tablename__ = "loneliness_score"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(64), nullable=False, index=True)
    support = Column(String(16), nullable=False)  # the first support that started the measure: SUPPORT_KINDS
    area = Column(String(8), nullable=True)  # postcode district, for the figures by area; None: not known
    supported_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    round = Column(String(16), nullable=False, default="first")  # first | follow_up
    state = Column(String(16), nullable=False, default="due")
    due_at = Column(DateTime(timezone=True), nullable=False)  # the earliest moment to text the round's consent question
    asked_at = Column(DateTime(timezone=True), nullable=True)  # when the question now waiting was put
    question = Column(Integer, nullable=True)  # 1-3 while `asking`
    answers = Column(String(3), nullable=True)  # the round's answers so far ("21"), cleared once scored
    first_score = Column(Integer, nullable=True)  # 3-9
    first_at = Column(DateTime(timezone=True), nullable=True, index=True)
    follow_up_score = Column(Integer, nullable=True)
    follow_up_at = Column(DateTime(timezone=True), nullable=True, index=True)

    # The worker looks every second for rounds whose time has come (as follow_up's ix_follow_up_state_ask_at).
    __table_args__ = (Index("ix_loneliness_score_state_due_at", "state", "due_at"),)
