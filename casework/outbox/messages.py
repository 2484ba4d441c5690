"""The outbox's messages: every message the system sends on its own (alerts, delayed replies,
follow-ups), as rows of `outbox_message`, and the ways in.

Callers only *enqueue*; the worker sends (`casework.outbox.sender`). Writing the message in the same
transaction as the event that caused it means a crash can never lose it, and the sender can retry,
expire or refuse it without the caller waiting on Twilio or SMTP.

Opt-out policy (one of the service's hard rules: nothing is ever sent to an opted-out number):
- `enqueue_sms` to a resident who has opted out does not raise. It records the message as
  `blocked_opted_out` (without the number) and returns its id, so the refusal is visible to a
  connector, who can follow up by other means. Callers that care can read `state_of(...)`.
- `enqueue_sms` to a sender id with no resident, or a resident with no phone number (web chat),
  raises `UnknownRecipient`: that is a programming error, and there is no one to record it against.
- The sender checks opt-out again at send time (the resident may have texted STOP meanwhile).
- Connectors are recipients too (alerts): `enqueue_connector_sms` addresses them as
  `connector:<id>`, and `may_text` lets a message through only while that connector is active.
- Twilio saying a number is unsubscribed (21610, to a send or in a status callback) is the
  resident's own STOP: `mark_resident_opted_out`.

A text relayed between a befriending match (purpose RELAY, casework.befriending) carries one person's
words to another: its body is sealed (BodyVault's key) and opened only by the sender, and it goes
`from_number` the match's own befriending number instead of TWILIO_FROM_NUMBER, so that a reply
comes back to the relay and neither side sees the other's number.

Delivery receipts from Twilio's status callbacks are `casework.outbox.delivery_status`.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import Column, DateTime, Index, Integer, String, Text, select
from sqlalchemy.orm import Session

from casework.cases.models import Connector
from casework.models import Resident, as_utc, utcnow
from casework.privacy.consent import record_consent
from casework.sealing import Vault, vault_for
from service.database import Base
from service.settings import Settings

__all__ = [
    "OutboxMessage",
    "OutboxError",
    "UnknownRecipient",
    "STATES",
    "MAX_SMS_BODY",
    "enqueue_sms",
    "enqueue_email",
    "enqueue_connector_sms",
    "connector_recipient",
    "may_text",
    "has_due",
    "mark_resident_opted_out",
    "state_of",
    "RELAY",
    "opened_body",
]

log = logging.getLogger(__name__)

# Our own lifecycle of a row (provider_status holds Twilio's view separately):
#   queued -> sending (claimed by the worker) -> sent (accepted by Twilio / SMTP / dry-run)
#   sent -> delivered | undelivered | failed        (Twilio status callbacks)
#   queued -> expired | failed | blocked_opted_out  (never handed to the provider)
STATES = (
    "queued",
    "sending",
    "sent",
    "delivered",
    "undelivered",
    "failed",
    "expired",
    "blocked_opted_out",
)

# Twilio refuses bodies over 1,600 characters (error 21617); refusing here names the caller.
MAX_SMS_BODY = 1600
# The purpose of a text relayed between a befriending match: its body is sealed (see the module docstring).
RELAY = "relay"


class OutboxError(Exception):
    """A message cannot be put in the outbox."""


class UnknownRecipient(OutboxError):
    """No resident with that sender id, or one without a phone number (a web-chat resident)."""


class OutboxMessage(Base):
    """One outgoing SMS or email. The number is stored only as a PhoneVault (Fernet) token."""

    __tablename__ = "outbox_message"
    __table_args__ = (
        # The worker's "what is due" query: WHERE state = ? AND next_attempt_at <= ?
        Index("ix_outbox_message_due", "state", "next_attempt_at"),
    )

    id = Column(Integer, primary_key=True)
    channel = Column(String(8), nullable=False)  # "sms" | "email"
    # Pseudonym of the recipient ("sms:<hash>"); for email it may be empty (a connector's address).
    recipient_sender_id = Column(String(64), nullable=True, index=True)
    # SMS: PhoneVault token of the E.164 number. Email: the address. None when blocked.
    recipient_encrypted = Column(Text, nullable=True, info={"sealed": "phone", "sealed_when": {"channel": "sms"}})
    subject = Column(String(200), nullable=True)  # email only
    body = Column(Text, nullable=False, info={"sealed": "body", "sealed_when": {"purpose": RELAY}})  # sealed for RELAY only
    purpose = Column(String(32), nullable=False)  # "reply" | "alert" | "follow_up" | "relay" | ...
    # Our own number to send from, when not TWILIO_FROM_NUMBER: a befriending match's (never a person's).
    from_number = Column(String(20), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    not_before = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    # Time-critical messages (alerts) are worthless late: past this they are expired, never sent.
    expires_at = Column(DateTime(timezone=True), nullable=True)
    state = Column(String(24), nullable=False, default="queued")
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=True)
    last_error = Column(Text, nullable=True)
    sent_at = Column(DateTime(timezone=True), nullable=True)
    provider_sid = Column(String(64), nullable=True, unique=True)  # Twilio Message SID
    provider_status = Column(String(16), nullable=True)
    status_updated_at = Column(DateTime(timezone=True), nullable=True)


def _schedule(
    now: datetime, not_before: datetime | None, valid_for: timedelta | None
) -> tuple[datetime, datetime | None]:
    start = as_utc(not_before) or now
    # The validity period runs from when the message may first go, so a follow-up scheduled for
    # tomorrow with valid_for=1h is good for one hour tomorrow, not already dead.
    expires = start + valid_for if valid_for is not None else None
    return start, expires


def _check_body(body: str) -> None:
    if not body or not body.strip():
        raise OutboxError("refusing to enqueue an empty message")
    if len(body) > MAX_SMS_BODY:
        raise OutboxError(f"SMS body is {len(body)} characters; Twilio's limit is {MAX_SMS_BODY}")


def _queued(
    session: Session,
    *,
    channel: str,
    recipient_sender_id: str | None,
    recipient_encrypted: str | None,
    body: str,
    purpose: str,
    not_before: datetime | None,
    valid_for: timedelta | None,
    subject: str | None = None,
    from_number: str | None = None,
) -> OutboxMessage:
    """Add one message, queued to go at `not_before` (now by default) and expiring after `valid_for`."""
    now = utcnow()
    start, expires = _schedule(now, not_before, valid_for)
    message = OutboxMessage(
        channel=channel,
        recipient_sender_id=recipient_sender_id,
        recipient_encrypted=recipient_encrypted,
        subject=subject,
        body=body,
        purpose=purpose,
        from_number=from_number,
        created_at=now,
        not_before=start,
        expires_at=expires,
        state="queued",
        attempts=0,
        next_attempt_at=start,
    )
    session.add(message)
    session.flush()
    return message


def enqueue_sms(
    session: Session,
    *,
    sender_id: str,
    body: str,
    purpose: str,
    settings: Settings,
    not_before: datetime | None = None,
    valid_for: timedelta | None = None,
    from_number: str | None = None,
) -> int:
    """Put an SMS to the resident `sender_id` in the outbox; returns the outbox message id.

    Runs inside the caller's transaction (only flushes). An opted-out resident gets a row in state
    `blocked_opted_out` and nothing is ever sent; an unknown sender id raises `UnknownRecipient`.
    `valid_for` sets `expires_at` (counted from `not_before`); the sender also passes it to
    Twilio as ValidityPeriod so Twilio drops the message rather than deliver it late.
    `from_number`: one of our own numbers to send from instead of TWILIO_FROM_NUMBER (a befriending match's).
    A RELAY body is sealed here, so no caller stores one in the clear.
    """
    _check_body(body)
    if purpose == RELAY:
        body = vault_for("body", settings).seal(body)
    resident = session.scalars(select(Resident).where(Resident.sender_id == sender_id)).one_or_none()
    if resident is None:
        raise UnknownRecipient(f"no resident with sender id {sender_id}")
    if resident.opted_out:
        message = _queued(session, channel="sms", recipient_sender_id=sender_id, recipient_encrypted=None, body=body,
                          purpose=purpose, not_before=not_before, valid_for=valid_for, from_number=from_number)
        message.state, message.last_error, message.next_attempt_at = "blocked_opted_out", "resident has opted out", None
        session.flush()
        log.info("outbox %s blocked: %s has opted out (purpose=%s)", message.id, sender_id, purpose)
        return message.id
    if not resident.phone_encrypted:
        raise UnknownRecipient(f"resident {sender_id} has no phone number to text")
    message = _queued(session, channel="sms", recipient_sender_id=sender_id, recipient_encrypted=resident.phone_encrypted,
                      body=body, purpose=purpose, not_before=not_before, valid_for=valid_for, from_number=from_number)
    log.info("outbox %s queued: sms to %s (purpose=%s)", message.id, sender_id, purpose)
    return message.id


def connector_recipient(connector_id: int) -> str:
    """The outbox's recipient id for a connector (residents have "sms:<hash>" / "web:<id>")."""
    return f"connector:{connector_id}"


def enqueue_connector_sms(
    session: Session,
    *,
    connector_id: int,
    phone_encrypted: str,
    body: str,
    purpose: str,
    not_before: datetime | None = None,
    valid_for: timedelta | None = None,
) -> int:
    """Put an SMS to a connector's mobile (a PhoneVault token) in the outbox; returns its id."""
    _check_body(body)
    message = _queued(session, channel="sms", recipient_sender_id=connector_recipient(connector_id),
                      recipient_encrypted=phone_encrypted, body=body, purpose=purpose, not_before=not_before, valid_for=valid_for)
    log.info("outbox %s queued: sms to connector %s (purpose=%s)", message.id, connector_id, purpose)
    return message.id


def may_text(session: Session, recipient_sender_id: str | None) -> bool:
    """Whether an SMS may go to this recipient now: a resident who has not opted out, or an active connector."""
    if not recipient_sender_id:
        return False
    if recipient_sender_id.startswith("connector:"):
        connector_id = recipient_sender_id.partition(":")[2]
        if not connector_id.isdigit():
            return False
        active = session.scalars(select(Connector.active).where(Connector.id == int(connector_id))).one_or_none()
        return bool(active)
    resident = session.scalars(select(Resident).where(Resident.sender_id == recipient_sender_id)).one_or_none()
    return resident is not None and not resident.opted_out


def enqueue_email(
    session: Session,
    *,
    to_address: str,
    subject: str,
    body: str,
    purpose: str,
    recipient_sender_id: str | None = None,
    not_before: datetime | None = None,
    valid_for: timedelta | None = None,
) -> int:
    """Put an email (to a connector or manager, never to a resident's phone) in the outbox."""
    if not body or not body.strip():
        raise OutboxError("refusing to enqueue an empty message")
    if "@" not in to_address or any(c in to_address for c in "\r\n"):
        raise OutboxError("not an email address")
    if any(c in subject for c in "\r\n"):
        raise OutboxError("an email subject must be one line")
    message = _queued(session, channel="email", recipient_sender_id=recipient_sender_id, recipient_encrypted=to_address,
                      subject=subject, body=body, purpose=purpose, not_before=not_before, valid_for=valid_for)
    log.info("outbox %s queued: email (purpose=%s)", message.id, purpose)
    return message.id


def has_due(session: Session, now: datetime) -> bool:
    """Whether any message waits to be sent now (the worker's cheap check between passes; uses ix_outbox_message_due)."""
    return session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.state.in_(("queued", "sending")), OutboxMessage.next_attempt_at <= now)
        .limit(1)
    ).first() is not None


def opened_body(purpose: str, body: str, vault: Vault | None) -> str | None:
    """A message's text as sent: a RELAY body opened with the body vault (None when it cannot be: no vault, or
    a key no longer configured), any other as stored."""
    if purpose != RELAY:
        return body
    return vault.open_or_none(body) if vault is not None else None


def state_of(session: Session, message_id: int) -> str | None:
    message = session.get(OutboxMessage, message_id)
    return None if message is None else message.state


def mark_resident_opted_out(session: Session, sender_id: str | None, *, reason: str) -> bool:
    """Twilio told us the number is unsubscribed (21610): record it as the resident's own STOP.

    Also blocks every other message still waiting for that resident, so nothing queued before the
    opt-out slips out afterwards. Returns whether the resident's state changed.
    """
    if not sender_id:
        return False
    resident = session.scalars(select(Resident).where(Resident.sender_id == sender_id)).one_or_none()
    if resident is None:
        return False
    changed = not resident.opted_out
    if changed:
        resident.opted_out = True
        resident.opted_out_at = utcnow()
        for purpose in ("suggestions", "follow_up"):
            record_consent(session, sender_id=sender_id, purpose=purpose, granted=False, source="opt_out_provider",
                           at=resident.opted_out_at)
        log.warning("resident %s marked opted out: %s", sender_id, reason)
    waiting = session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.recipient_sender_id == sender_id,
            OutboxMessage.channel == "sms",
            OutboxMessage.state == "queued",
        )
    )
    for message in waiting:
        message.state = "blocked_opted_out"
        message.last_error = "resident has opted out"
        message.recipient_encrypted = None
        message.next_attempt_at = None
    return changed
