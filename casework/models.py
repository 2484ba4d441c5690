"""Casework tables owned by the spine: residents, inbound messages, component heartbeats; and the
clock every casework table is stamped by (`utcnow`, `as_utc` for what the database hands back)."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import Boolean, Column, DateTime, Integer, String, Text

from service.database import Base


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def as_utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything casework stores is in UTC."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


class Resident(Base):
    """Someone who has contacted the service. Keyed by a pseudonym, never by the raw number."""

    __tablename__ = "resident"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(64), nullable=False, unique=True)  # "sms:<hash>" or "web:<id>"
    channel = Column(String(16), nullable=False)
    phone_encrypted = Column(Text, nullable=True, info={"sealed": "phone"})  # PhoneVault token; SMS residents only
    opted_out = Column(Boolean, nullable=False, default=False)
    opted_out_at = Column(DateTime(timezone=True), nullable=True)
    first_contact_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_contact_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    # When the privacy notice went out with a reply (casework.privacy.consent); until then the next reply carries it.
    privacy_notice_at = Column(DateTime(timezone=True), nullable=True)


class InboundMessage(Base):
    """Every inbound message, recorded before anything else so nothing is lost or answered twice."""

    __tablename__ = "inbound_message"

    id = Column(Integer, primary_key=True)
    channel = Column(String(16), nullable=False)
    message_id = Column(String(64), nullable=False, unique=True)  # Twilio MessageSid or web message id
    sender_id = Column(String(64), nullable=False, index=True)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    # received -> answered | screened | opt_out | deferred (reply went through the outbox)
    # received -> recovering (claimed after a crash) -> deferred; see casework.conversation.inbound
    state = Column(String(16), nullable=False, default="received")
    reply_text = Column(Text, nullable=True)
    answered_at = Column(DateTime(timezone=True), nullable=True)
    # The text, sealed with casework.conversation.inbound.BodyVault, kept only until the message is answered so
    # a turn lost in a crash can be run again; cleared with every answer.
    body_encrypted = Column(Text, nullable=True, info={"sealed": "body"})
    claimed_at = Column(DateTime(timezone=True), nullable=True)  # when recovery claimed it
    # The SID Twilio gave the reply sent as TwiML (it reports it to the <Message action> URL), so its
    # copy at Twilio is deleted with this message's (casework.privacy.provider_copies).
    reply_sid = Column(String(64), nullable=True)


class Heartbeat(Base):
    """Last sign of life of a background process (the worker), read by /healthz."""

    __tablename__ = "heartbeat"

    component = Column(String(32), primary_key=True)
    beat_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Flag(Base):
    """Someone who needs more than a suggestion, raised for a community connector to follow up."""

    __tablename__ = "flag"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(64), nullable=False, index=True)
    reason = Column(String(32), nullable=False)  # a casework.safety.decisions category, or "opted_out"
    source = Column(String(32), nullable=False)  # "safety_screen", "opt_out", ...
    message_id = Column(String(64), nullable=True)
    raised_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    state = Column(String(16), nullable=False, default="open")


class SmsConversationState(Base):
    """What an SMS resident's next short reply refers to: numbered choices and the rest after MORE."""

    __tablename__ = "sms_conversation_state"

    sender_id = Column(String(64), primary_key=True)
    choices_json = Column(Text, nullable=True)  # {"1": "/payload", ...}
    more_json = Column(Text, nullable=True)  # ["next part", ...]
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
