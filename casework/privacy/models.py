"""Data-protection tables: consent per purpose, and the record that an erasure happened.

Functions outside this module hand out dataclasses, never these rows.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text

from casework.models import utcnow
from service.database import Base

__all__ = ["Consent", "Erasure"]


class Consent(Base):
    """One decision of a resident about one purpose, kept as a history (the latest row is the current
    state), so the service can show when and how consent was given or withdrawn (UK GDPR Art. 7(1))."""

    __tablename__ = "consent"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(64), nullable=False, index=True)
    purpose = Column(String(16), nullable=False)  # suggestions | follow_up | sharing
    granted = Column(Boolean, nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    source = Column(String(32), nullable=False)  # first_contact | opt_out | opt_in | request | follow_up ...
    notice_version = Column(String(16), nullable=True)  # the privacy notice the resident had been shown


class Erasure(Base):
    """That someone's data was erased (at their request, or by the retention purge): when, by which
    request, and how much. Nothing here identifies the person: no sender id, no number, no text."""

    __tablename__ = "erasure"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)  # ER-7KQ2MX, told to the resident
    requested_at = Column(DateTime(timezone=True), nullable=False)
    erased_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    requested_by = Column(String(64), nullable=False)  # resident:sms | resident:webchat | cli:<staff name> | retention
    reason = Column(String(64), nullable=False)  # resident_request | retention | ...
    residents = Column(Integer, nullable=False, default=0)  # sender ids erased (a retention run erases many)
    cases_kept = Column(Integer, nullable=False, default=0)  # safeguarding cases kept, minimised
    counts = Column(Text, nullable=False, default="{}")  # JSON: rows per table and store, counts only
