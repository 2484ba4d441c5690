"""Tables the outcomes dashboard counts that nothing else keeps: door-knock sessions and suggestions made.

Column conventions as in casework.cases.models (`info={"sealed": "body"}` on ciphertext). A
suggestion keeps who was told about which activity and when, never the words sent; its `sender_id`
column is the resident's pseudonym, so erasing a resident removes their suggestions too.
Functions outside this module hand out dataclasses, never these rows.
"""
from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, ForeignKey, Integer, String, Text

from casework.cases.models import SEALED_BODY
from casework.models import utcnow
from service.database import Base

__all__ = ["DoorKnock", "Suggestion"]


class DoorKnock(Base):
    """One door-knocking session a connector logged: where, when, and what came of it (counts only)."""

    __tablename__ = "door_knock"

    id = Column(Integer, primary_key=True)
    held_on = Column(Date, nullable=False, index=True)  # the local date of the session
    area = Column(String(8), nullable=False, index=True)  # postcode district, for the per-area figures
    streets = Column(String(300), nullable=False, default="")  # street names: places, not people
    doors_knocked = Column(Integer, nullable=False, default=0)
    doors_answered = Column(Integer, nullable=False, default=0)
    conversations = Column(Integer, nullable=False, default=0)
    people_signposted = Column(Integer, nullable=False, default=0)
    people_referred = Column(Integer, nullable=False, default=0)  # for one-to-one support
    volunteers_signed_up = Column(Integer, nullable=False, default=0)
    # Notes can name a door or a person ("no. 12 lives alone"): sealed like case notes.
    notes_encrypted = Column(Text, nullable=True, info=SEALED_BODY)
    connector_id = Column(Integer, ForeignKey("connector.id"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Suggestion(Base):
    """One activity the bot suggested to one resident (what the dashboard counts as a suggestion made)."""

    __tablename__ = "suggestion"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(64), nullable=False, index=True)
    activity_id = Column(String(36), nullable=False)  # directory_service.id; no foreign key: a re-import may retire it
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
