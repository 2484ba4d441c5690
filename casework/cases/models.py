"""Casework tables for people who need a person: connectors, their rota, cases, alerts, reports, audit.

Column conventions the key-rotation command relies on (keep them on every new column):
- a column holding ciphertext carries `info={"sealed": "<purpose>"}`, the purpose naming the vault
  that sealed it: "phone" (casework.residents.identity.PhoneVault) or "body" (casework.conversation.inbound.BodyVault);
- a column holding a keyed hash of a phone number carries `info={"keyed_hash": "phone"}`
  (casework.residents.identity.phone_hash with PHONE_HASH_KEY).

Functions outside this module hand out dataclasses, never these rows.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func

from casework.models import utcnow
from service.database import Base

__all__ = [
    "SEALED_PHONE",
    "SEALED_BODY",
    "KEYED_PHONE_HASH",
    "ROLES",
    "PRIORITIES",
    "CASE_STATES",
    "OPEN_CASE_STATES",
    "ALERT_STATES",
    "PENDING_ALERT_STATES",
    "Connector",
    "RotaShift",
    "Case",
    "CaseReason",
    "CaseNote",
    "Alert",
    "Report",
    "ApiToken",
    "AuditEvent",
    "VOLUNTEER_ROLES",
    "VOLUNTEER_STATES",
    "VOLUNTEER_CHECKS",
    "TRAINING_STATES",
    "Volunteer",
    "VolunteerCheck",
    "VolunteerTraining",
]

SEALED_PHONE = {"sealed": "phone"}
SEALED_BODY = {"sealed": "body"}
KEYED_PHONE_HASH = {"keyed_hash": "phone"}

ROLES = ("connector", "manager")
# Most urgent first: the index is the rank used to decide whether a new reason raises a case.
PRIORITIES = ("urgent", "high", "routine")
CASE_STATES = ("new", "acknowledged", "visit_planned", "visited", "closed")
OPEN_CASE_STATES = CASE_STATES[:-1]
# queued -> sent (the outbox handed it over) | failed (the outbox gave up: failed, expired, blocked)
# queued | sent | failed -> acknowledged (this connector took it)
#                         -> superseded  (someone else took it, or an urgent raise alerted afresh)
#                         -> escalated   (not acknowledged in time, or undeliverable: next person)
ALERT_STATES = ("queued", "sent", "failed", "acknowledged", "superseded", "escalated")
PENDING_ALERT_STATES = ("queued", "sent", "failed")


class Connector(Base):
    """A community connector or manager: who alerts go to and who may acknowledge them."""

    __tablename__ = "connector"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    mobile_encrypted = Column(Text, nullable=False, info=SEALED_PHONE)
    # Recognises an inbound SMS as a connector's without decrypting every number.
    phone_hash = Column(String(32), nullable=False, unique=True, info=KEYED_PHONE_HASH)
    email = Column(String(254), nullable=False)
    patch = Column(String(200), nullable=False, default="")  # postcode districts: "CH41 CH42"
    role = Column(String(16), nullable=False, default="connector")  # connector | manager
    active = Column(Boolean, nullable=False, default=True)
    # Alerts go to the connectors of a patch in the order they were added.
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    password_hash = Column(String(200), nullable=True)  # for the console


class RotaShift(Base):
    """One connector on duty from `starts_at` to `ends_at`. With no shifts at all, everyone is on duty."""

    __tablename__ = "rota_shift"
    __table_args__ = (Index("ix_rota_shift_time", "starts_at", "ends_at"),)

    id = Column(Integer, primary_key=True)
    connector_id = Column(Integer, ForeignKey("connector.id"), nullable=False, index=True)
    starts_at = Column(DateTime(timezone=True), nullable=False)
    ends_at = Column(DateTime(timezone=True), nullable=False)


class Case(Base):
    """Someone who needs a person: a resident in the conversation, or a third party a reporter describes.

    state: new -> acknowledged -> visit_planned -> visited -> closed (with an outcome).
    """

    __tablename__ = "case_record"  # "case" is an SQL keyword

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)  # WC-48213
    subject_kind = Column(String(16), nullable=False)  # resident | third_party
    sender_id = Column(String(64), nullable=True, index=True)  # the resident's pseudonym
    subject_encrypted = Column(Text, nullable=True, info=SEALED_BODY)  # a third party's description
    # How to reach the person when there is no SMS number (a web-chat resident's number or a time to ring).
    contact_encrypted = Column(Text, nullable=True, info=SEALED_BODY)
    area = Column(String(8), nullable=True, index=True)  # postcode district
    priority = Column(String(8), nullable=False)
    state = Column(String(16), nullable=False, default="new")
    outcome = Column(String(32), nullable=True)
    source = Column(String(32), nullable=False)  # safety_screen | request | report | spool | ...
    lawful_basis = Column(String(32), nullable=False)  # vital_interests | consent | public_task ...
    owner_id = Column(Integer, ForeignKey("connector.id"), nullable=True, index=True)
    acknowledged_by_id = Column(Integer, ForeignKey("connector.id"), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    acknowledged_at = Column(DateTime(timezone=True), nullable=True)
    visit_planned_for = Column(DateTime(timezone=True), nullable=True)
    visited_at = Column(DateTime(timezone=True), nullable=True)
    closed_at = Column(DateTime(timezone=True), nullable=True)
    # Bumped by every change to who is being alerted (alerts issued, acknowledged, escalated), so
    # two workers escalating at once, or an escalation racing an ACK, settle by compare-and-set.
    alert_version = Column(Integer, nullable=False, default=0)


class CaseReason(Base):
    """One reason the case exists: the rule that fired, its category, and the message that raised it."""

    __tablename__ = "case_reason"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case_record.id"), nullable=False, index=True)
    rule = Column(String(64), nullable=False)
    category = Column(String(32), nullable=False)
    priority = Column(String(8), nullable=False)  # what this reason asked for; the alert names the first at the case's
    # Which layer of the safety screen raised it ("rules" or "model") and, for the model, its probability.
    layer = Column(String(8), nullable=False, default="rules", server_default="rules")
    score = Column(Float, nullable=True)
    # A crisis spooled while the database was down is turned into a case once: by this id.
    message_id = Column(String(64), nullable=True, index=True)
    excerpt_encrypted = Column(Text, nullable=True, info=SEALED_BODY)
    raised_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class CaseNote(Base):
    __tablename__ = "case_note"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case_record.id"), nullable=False, index=True)
    author_id = Column(Integer, ForeignKey("connector.id"), nullable=True)
    text_encrypted = Column(Text, nullable=False, info=SEALED_BODY)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Alert(Base):
    """One attempt to reach one connector about one case on one channel (an SMS and an email are two)."""

    __tablename__ = "alert"
    __table_args__ = (Index("ix_alert_pending", "state", "due_at"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case_record.id"), nullable=False, index=True)
    connector_id = Column(Integer, ForeignKey("connector.id"), nullable=False, index=True)
    channel = Column(String(8), nullable=False)  # sms | email
    # Not a foreign key: the retention purge may delete sent outbox rows long before the case goes.
    outbox_message_id = Column(Integer, nullable=True)
    state = Column(String(16), nullable=False, default="queued")
    step = Column(Integer, nullable=False, default=0)  # 0 = first alert, 1 = first escalation, ...
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    due_at = Column(DateTime(timezone=True), nullable=False)  # acknowledge by then, or it escalates
    acknowledged_at = Column(DateTime(timezone=True), nullable=True)
    escalated_at = Column(DateTime(timezone=True), nullable=True)
    escalated_to_id = Column(Integer, ForeignKey("connector.id"), nullable=True)


class Report(Base):
    """A neighbour's, shop worker's or volunteer's report about someone they are worried about."""

    __tablename__ = "report"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case_record.id"), nullable=False, index=True)
    channel = Column(String(16), nullable=False)  # web_form | sms | webchat
    reporter_relationship = Column(String(32), nullable=False)  # neighbour | shop_worker | volunteer | ...
    reporter_contact_encrypted = Column(Text, nullable=True, info=SEALED_BODY)  # phone or email
    who_encrypted = Column(Text, nullable=False, info=SEALED_BODY)
    street_encrypted = Column(Text, nullable=True, info=SEALED_BODY)  # the street or address, as the reporter wrote it
    # The full postcode ("CH41 8AB"), so the connector knocks on the right door; `area` keeps only its district.
    postcode_encrypted = Column(Text, nullable=True, info=SEALED_BODY)
    area = Column(String(8), nullable=True)  # postcode district
    worry_encrypted = Column(Text, nullable=False, info=SEALED_BODY)
    urgency = Column(String(16), nullable=False)  # now | today | soon
    person_knows = Column(Boolean, nullable=True)
    # The reporter's own answer (yes | no | not_sure); None when they were not asked. person_knows alone
    # cannot tell "not sure" from "not said".
    person_knows_answer = Column(String(16), nullable=True)
    notify_on_close = Column(Boolean, nullable=False, default=False)
    reporter_notified_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


# What a good neighbour can offer, and where they stand (casework.good_neighbours.states):
#   applied -> in_training -> ready; any of those -> paused -> (back where they were); any -> left.
# "ready" only when trained and approved, with the checks their offer needs recorded.
VOLUNTEER_ROLES = ("befriending_calls", "visits", "group_helper", "driving")
VOLUNTEER_STATES = ("applied", "in_training", "ready", "paused", "left")
# The checks a manager records as seen: references always; a DBS check where the volunteer would be
# alone with someone (visits, driving). Only the date it was seen: never the certificate or its number.
VOLUNTEER_CHECKS = ("references", "dbs")
# A training module for a volunteer: asked (texted, or queued for texting hours: a number in reply is
# its answer) -> done; held (their number had texted STOP: it goes when they text START) -> asked;
# waiting (paused: no reminders) -> asked on resuming; stopped (left, or trained another way).
TRAINING_STATES = ("asked", "held", "waiting", "done", "stopped")


class Volunteer(Base):
    """A good neighbour: what they offer, where and when, which connector was told, and where they stand."""

    __tablename__ = "volunteer"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    sender_id = Column(String(64), nullable=True, index=True)  # the conversation it came from (pseudonymous)
    # The number training texts go to, as its SMS pseudonym: an SMS sign-up's own sender id, or the
    # web-chat sign-up's number (a resident row holds it sealed, for the outbox and STOP). Named
    # *_sender_id so the re-key command and erasure reach it with every other sender id.
    sms_sender_id = Column(String(64), nullable=True, index=True)
    channel = Column(String(16), nullable=False)  # sms | webchat
    name_encrypted = Column(Text, nullable=False, info=SEALED_BODY)
    area = Column(String(8), nullable=True)  # postcode district, for the connector's patch
    area_label = Column(String(64), nullable=False)  # the town or district, never a full postcode
    availability_encrypted = Column(Text, nullable=False, info=SEALED_BODY)  # their own words
    interests_encrypted = Column(Text, nullable=True, info=SEALED_BODY)  # what they enjoy, as a connector noted it
    roles = Column(String(100), nullable=False)  # VOLUNTEER_ROLES, comma-separated
    contact_encrypted = Column(Text, nullable=True, info=SEALED_BODY)  # web chat only: a phone or email
    state = Column(String(16), nullable=False, default="applied")
    # Server defaults too, so a row written without them (a raw insert, a seed) still says something true enough.
    state_changed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, server_default=func.now())
    state_changed_by = Column(String(64), nullable=False, default="bot", server_default="bot")  # an audit actor: connector:3, cli:jo
    approved_at = Column(DateTime(timezone=True), nullable=True)
    approved_by = Column(String(64), nullable=True)
    training_completed_at = Column(DateTime(timezone=True), nullable=True)
    ready_at = Column(DateTime(timezone=True), nullable=True)  # when they first became ready (trained and approved): the outcomes count it
    connector_id = Column(Integer, ForeignKey("connector.id"), nullable=True)
    told_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class VolunteerCheck(Base):
    """A check a manager saw for a volunteer (VOLUNTEER_CHECKS), and the date they saw it; one of each kind."""

    __tablename__ = "volunteer_check"
    __table_args__ = (UniqueConstraint("volunteer_id", "kind"),)

    id = Column(Integer, primary_key=True)
    volunteer_id = Column(Integer, ForeignKey("volunteer.id"), nullable=False)
    kind = Column(String(16), nullable=False)
    seen_on = Column(Date, nullable=False)
    recorded_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    recorded_by = Column(String(64), nullable=False)  # an audit actor


class VolunteerTraining(Base):
    """One training module texted to one volunteer (casework.good_neighbours.training): TRAINING_STATES."""

    __tablename__ = "volunteer_training"
    __table_args__ = (
        UniqueConstraint("volunteer_id", "module"),
        # Every inbound text asks "is a training question waiting for this sender?": one index look-up.
        Index("ix_volunteer_training_waiting", "sender_id", "state"),
        # The worker's reminder pass: WHERE state IN (...) AND remind_at <= now.
        Index("ix_volunteer_training_remind", "state", "remind_at"),
    )

    id = Column(Integer, primary_key=True)
    volunteer_id = Column(Integer, ForeignKey("volunteer.id"), nullable=False)
    sender_id = Column(String(64), nullable=False)  # whom it was texted to: their reply answers it
    module = Column(String(32), nullable=False)
    state = Column(String(16), nullable=False, default="asked")
    # When the question was last texted (or will be, when it waits for texting hours): a reply before
    # then is not an answer to it, and reminders count from it.
    texted_at = Column(DateTime(timezone=True), nullable=False)
    remind_at = Column(DateTime(timezone=True), nullable=True)  # None: no reminder left to send
    reminders = Column(Integer, nullable=False, default=0)
    wrong_answers = Column(Integer, nullable=False, default=0)
    done_at = Column(DateTime(timezone=True), nullable=True)


class ApiToken(Base):
    """A bearer token for the JSON API; only its SHA-256 is kept."""

    __tablename__ = "api_token"

    id = Column(Integer, primary_key=True)
    name = Column(String(100), nullable=False)
    token_sha256 = Column(String(64), nullable=False, unique=True)
    # What it may read, comma-separated (casework.console.tokens.SCOPES); a route refuses a token without its scope.
    scopes = Column(String(100), nullable=False, default="", server_default="")
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    revoked_at = Column(DateTime(timezone=True), nullable=True)


class AuditEvent(Base):
    """Who read or changed what, when. `detail` never holds personal data about the person helped."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_case", "case_reference", "at"),)

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    actor = Column(String(64), nullable=False)  # connector:3 | worker | api:<token name> | cli | intake
    action = Column(String(32), nullable=False)
    case_reference = Column(String(16), nullable=True)
    detail = Column(String(300), nullable=False, default="")
