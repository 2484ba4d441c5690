"""What an SMS resident agreed the service may remember between conversations (casework.residents.memory).

Column conventions as in casework.cases.models: the interest and the place are the resident's own
words (a place may be a postcode), so both are sealed (`info={"sealed": "body"}`), never kept in the
clear. `sender_id` is the resident's pseudonym, so erasure and re-keying find this table on their own.
Functions outside this module hand out dataclasses, never these rows.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Integer, String, Text

from casework.cases.models import SEALED_BODY
from casework.models import utcnow
from service.database import Base

__all__ = ["ResidentMemory"]


class ResidentMemory(Base):
    """One resident's last search, kept to greet them with next time. Until `agreed_at` is set it is
    only what the question "Shall I remember...?" is about, and is deleted unless they say yes."""

    __tablename__ = "resident_memory"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(64), nullable=False, unique=True)
    interest_encrypted = Column(Text, nullable=False, info=SEALED_BODY)
    place_encrypted = Column(Text, nullable=False, info=SEALED_BODY)
    offered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    agreed_at = Column(DateTime(timezone=True), nullable=True)  # null until they said yes
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
