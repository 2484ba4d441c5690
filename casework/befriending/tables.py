"""Befriending's tables: a resident's request for company, a match of that request with a ready volunteer,
each text relayed between the two, and each check-in of a live match ("how is it going?", to either side).

Column conventions as in casework.cases.models: ciphertext carries `info={"sealed": "body"}`; a sender id
column's name ends in `sender_id`, so the re-key command re-keys it and erasure deletes the rows (and
the texts pointing at them) of the person it names.

A relayed text's words are kept only in the outbox row that carries them (sealed, purpose "relay",
casework.outbox.messages), which the retention purge removes after RETENTION_INBOUND_DAYS; a
`BefriendingText` says only which match, which way, when, and what was done with it.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint

from casework.cases.models import SEALED_BODY
from casework.models import utcnow
from service.database import Base

__all__ = ["REQUEST_STATES", "MATCH_STATES", "SIDES", "CHECK_IN_STATES", "CHECK_IN_ANSWERS", "BefriendingRequest", "BefriendingMatch",
           "BefriendingText", "BefriendingCheckIn"]

# open (waiting for a match) -> matched (a match went live) ; open -> closed (a connector closed it)
REQUEST_STATES = ("open", "matched", "closed")
# proposed (both asked 1/2) -> live (both said yes, and a befriending number was free) | declined (one said no)
# proposed -> agreed (both said yes, no befriending number free yet) -> live ; live -> ended (END, or a connector)
MATCH_STATES = ("proposed", "agreed", "live", "declined", "ended")
SIDES = ("resident", "volunteer")
# due (waiting for its day and texting hours) -> asked (texted; their reply answers it) -> answered | unanswered (not
# answered in time: never asked again) ; due -> missed (could not go within a week) | closed (the match ended, no number)
CHECK_IN_STATES = ("due", "asked", "answered", "unanswered", "missed", "closed")
CHECK_IN_ANSWERS = ("well", "not_for_me", "problem")  # 1, 2, 3


class BefriendingRequest(Base):
    """A resident who would like company: a regular call or visit, in their own words."""

    __tablename__ = "befriending_request"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)  # BF-12345
    sender_id = Column(String(64), nullable=False, index=True)  # the resident's conversation (pseudonymous)
    case_id = Column(Integer, ForeignKey("case_record.id"), nullable=True)  # the request's case: where, who took it
    channel = Column(String(16), nullable=False)  # sms | webchat
    wants = Column(String(8), nullable=False)  # call | visit | either
    first_name_encrypted = Column(Text, nullable=True, info=SEALED_BODY)  # as a connector noted it: what the volunteer reads
    interests_encrypted = Column(Text, nullable=True, info=SEALED_BODY)  # what they named, or a connector noted
    free_times_encrypted = Column(Text, nullable=True, info=SEALED_BODY)  # when they said they are free
    message_id = Column(String(64), nullable=True)  # the text that asked
    state = Column(String(16), nullable=False, default="open")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class BefriendingMatch(Base):
    """A request and a ready volunteer, proposed by a connector, agreed by both (1/2), then live on a befriending number."""

    __tablename__ = "befriending_match"
    __table_args__ = (
        # The relay finds the match by (number, sender): one index look-up on either side.
        Index("ix_befriending_match_resident", "resident_sender_id", "number", "state"),
        Index("ix_befriending_match_volunteer", "volunteer_sender_id", "number", "state"),
    )

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)  # BM-12345
    request_id = Column(Integer, ForeignKey("befriending_request.id"), nullable=False)
    volunteer_id = Column(Integer, ForeignKey("volunteer.id"), nullable=False)
    resident_sender_id = Column(String(64), nullable=False)  # whom the resident's side is texted as
    volunteer_sender_id = Column(String(64), nullable=False)
    state = Column(String(16), nullable=False, default="proposed")
    resident_answer = Column(String(8), nullable=True)  # yes | no
    volunteer_answer = Column(String(8), nullable=True)
    asked_at = Column(DateTime(timezone=True), nullable=False)  # when the questions go (texting hours): a reply before is no answer
    number = Column(String(20), nullable=True)  # the service's befriending number (BEFRIENDING_NUMBERS), once live
    proposed_by = Column(String(64), nullable=False)  # an audit actor
    connector_id = Column(Integer, ForeignKey("connector.id"), nullable=True)  # who is told: agreement, END, worries
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    live_at = Column(DateTime(timezone=True), nullable=True)
    ended_at = Column(DateTime(timezone=True), nullable=True)
    ended_by = Column(String(64), nullable=True)  # resident | volunteer | an audit actor


class BefriendingText(Base):
    """One text to a match's number: which way, and what was done with it (never its words: see the module docstring)."""

    __tablename__ = "befriending_text"

    id = Column(Integer, primary_key=True)
    match_id = Column(Integer, ForeignKey("befriending_match.id"), nullable=False, index=True)
    from_side = Column(String(16), nullable=False)  # SIDES
    message_id = Column(String(64), nullable=False, unique=True)  # the inbound MessageSid
    outbox_id = Column(Integer, nullable=True)  # the relayed text (linked by id, as an alert's is: the outbox is purged on its own)
    outcome = Column(String(16), nullable=False)  # relayed | held (a crisis: answered as one, not passed on) | ended
    worry = Column(String(16), nullable=True)  # money | meeting | abuse: flagged to the connector
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class BefriendingMatchText(Base):
    """A text the service sent either side about their match that names the other person: the question
    ("would you like that?") and the first text from the match's number. Linked by outbox id, as a relayed
    text is, so erasing either person takes the texts that name them from the other side's outbox too."""

    __tablename__ = "befriending_match_text"

    id = Column(Integer, primary_key=True)
    match_id = Column(Integer, ForeignKey("befriending_match.id"), nullable=False, index=True)
    outbox_id = Column(Integer, nullable=False)
    kind = Column(String(16), nullable=False)  # asked | live
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class BefriendingCheckIn(Base):
    """One side's check-in of a live match: two weeks after it went live, then monthly (casework.befriending.check_ins).

    One row per side and due date (the unique key makes the worker's job idempotent by due date); the next row
    is made when this one goes or is missed. Only the answer is kept (1, 2 or 3 as a word), never their text.
    """

    __tablename__ = "befriending_check_in"
    __table_args__ = (
        UniqueConstraint("match_id", "side", "due_at"),
        Index("ix_befriending_check_in_due", "state", "due_at"),  # the worker's read, every pass in texting hours
        Index("ix_befriending_check_in_sender", "sender_id", "state"),  # casework.conversation.questions: is one waiting for this sender?
    )

    id = Column(Integer, primary_key=True)
    match_id = Column(Integer, ForeignKey("befriending_match.id"), nullable=False)
    side = Column(String(16), nullable=False)  # SIDES
    sender_id = Column(String(64), nullable=False)  # whom it is texted to: the match's side (erasure and re-key find it by its name)
    round = Column(Integer, nullable=False)  # 1: two weeks after it went live; 2, 3...: monthly after that
    state = Column(String(16), nullable=False, default="due")
    due_at = Column(DateTime(timezone=True), nullable=False)
    asked_at = Column(DateTime(timezone=True), nullable=True)  # when it was queued (texting hours): a reply before is no answer
    outbox_id = Column(Integer, nullable=True)  # the text asking (linked by id: the outbox is purged on its own)
    answer = Column(String(16), nullable=True)  # CHECK_IN_ANSWERS
    answered_at = Column(DateTime(timezone=True), nullable=True)
    connector_told = Column(String(8), nullable=True)  # yes | nobody: for "not for me" and "a problem"
