"""The `proposed_group` table: a group someone runs, proposed through the web form or by text, and what a connector
decided; and `proposed_group_draft`: one being proposed by text, question by question.

Column conventions as in casework.cases.models: sealed columns carry `info={"sealed": "body"}`; the
proposer's number is held as its SMS pseudonym (`proposer_sender_id`, a keyed hash, its resident row
holding the number sealed), so erasure and the re-key command reach it with every other sender id.
"""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String, Text

from casework.cases.models import SEALED_BODY
from casework.models import utcnow
from service.database import Base

__all__ = ["PROPOSAL_STATES", "PROPOSER_ROLES", "DRAFT_VALID_FOR", "ProposedGroup", "GroupDraft"]

PROPOSAL_STATES = ("proposed", "changes_asked", "approved", "declined")
# Who is proposing it (the form's "How do you know the group?").
PROPOSER_ROLES = ("organiser", "helper", "volunteer", "member")
# A group being proposed by text waits this long for the next answer (a reply the next evening still
# continues it); then it lapses, and the retention purge deletes a draft nobody came back to.
DRAFT_VALID_FOR = timedelta(days=1)


class ProposedGroup(Base):
    __tablename__ = "proposed_group"

    id = Column(Integer, primary_key=True)
    reference = Column(String(16), nullable=False, unique=True)
    # The form's own id: the same form sent twice (a double click, a reload) is one proposal.
    form_id = Column(String(32), nullable=True, unique=True)
    state = Column(String(16), nullable=False, default="proposed")
    area = Column(String(8), nullable=True)  # postcode district, for the connectors' patches
    # The group as typed (directory.community_groups.GroupListing as JSON): sealed until approved,
    # when the directory holds what is published.
    listing_encrypted = Column(Text, nullable=False, info=SEALED_BODY)
    proposer_name_encrypted = Column(Text, nullable=False, info=SEALED_BODY)
    proposer_role = Column(String(16), nullable=False)
    proposer_contact_encrypted = Column(Text, nullable=False, info=SEALED_BODY)  # a phone number or an email address
    proposer_sender_id = Column(String(64), nullable=True, index=True)  # when the contact is a phone number
    # "Ask for changes": what the connector asked (for the proposer's page) and the SHA-256 of the
    # private link's token; both cleared once the proposer has changed it or a connector decided.
    change_note_encrypted = Column(Text, nullable=True, info=SEALED_BODY)
    change_token_hash = Column(String(64), nullable=True, unique=True)
    connector_id = Column(Integer, ForeignKey("connector.id"), nullable=True)  # the connector told
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    state_changed_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    state_changed_by = Column(String(64), nullable=False)  # an audit actor: group_form, connector:3
    approved_at = Column(DateTime(timezone=True), nullable=True)
    approved_by = Column(String(64), nullable=True)
    service_id = Column(String(36), nullable=True)  # the directory's service, once approved


class GroupDraft(Base):
    """A group being proposed by text, one question at a time (casework.proposed_groups.by_text): the answers so
    far, sealed, and the question waiting. Gone when it is sent (a `proposed_group` row), left or lapsed."""

    __tablename__ = "proposed_group_draft"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(64), nullable=False, unique=True)  # one draft a sender
    step = Column(String(16), nullable=False)  # the question waiting: by_text.STEPS
    answers_encrypted = Column(Text, nullable=False, info=SEALED_BODY)  # JSON of the answers so far
    tries = Column(Integer, nullable=False, default=0)  # this question asked again, when the answer could not be read
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    asked_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
