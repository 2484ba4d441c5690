"""What groups people propose hold about the proposer, for erasure and subject access (jobs.erasure,
casework.privacy.subject_access).

A proposer is found by their number, held as its SMS pseudonym (`proposer_sender_id`), or by the email
address they gave, which is kept only sealed (`proposer_contact_encrypted`) and so is opened and compared, as a
web-chat volunteer's contact is (casework.good_neighbours.volunteers.volunteers_reached). The emails the
service sent them (approved, a change asked for) are outbox rows addressed to that email, with no sender id.
A group being proposed by text is a draft under their sender id (casework.proposed_groups.by_text).
"""
from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from cryptography.fernet import InvalidToken
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from casework.conversation.inbound import BodyVault
from casework.models import as_utc
from casework.outbox.messages import OutboxMessage
from casework.proposed_groups.models import GroupDraft, ProposedGroup
from service.settings import Settings

# Their answers as they texted them (what the draft also keeps, read from them, is the same again).
_THEIR_ANSWERS = ("name", "about", "where_words", "when_words", "cost", "contact", "proposer")

__all__ = ["GroupDraftRecord", "plain_emails", "proposals_reached", "emailed_to", "group_drafts"]


@dataclass(frozen=True)
class GroupDraftRecord:
    """A group they are proposing by text: the answers so far and the question waiting."""

    started_at: datetime
    asked_at: datetime
    waiting_for: str  # casework.proposed_groups.by_text.STEPS
    answers: dict[str, Any]


def plain_emails(emails: Collection[str]) -> set[str]:
    """Addresses compared as people type them: case and spaces aside."""
    return {email.strip().lower() for email in emails if email and "@" in email}


def proposals_reached(session: Session, *, sender_ids: Collection[str], emails: Collection[str], settings: Settings) -> list[int]:
    """Ids of the proposals made with one of these numbers (by pseudonym) or email addresses."""
    found = set(session.scalars(select(ProposedGroup.id).where(ProposedGroup.proposer_sender_id.in_(list(sender_ids)))))
    wanted = plain_emails(emails)
    if wanted:
        vault = BodyVault.for_settings(settings)
        by_email = select(ProposedGroup.id, ProposedGroup.proposer_contact_encrypted).where(ProposedGroup.proposer_sender_id.is_(None))
        for proposal_id, sealed in session.execute(by_email):
            try:
                if vault.open(sealed).strip().lower() in wanted:
                    found.add(proposal_id)
            except InvalidToken:
                continue
    return sorted(found)


def emailed_to(session: Session, emails: Collection[str]) -> list[int]:
    """Ids of the outbox emails the service sent to these addresses as a person (not as a connector, who is
    addressed by their own recipient id)."""
    wanted = plain_emails(emails)
    if not wanted:
        return []
    return list(session.scalars(select(OutboxMessage.id).where(
        OutboxMessage.channel == "email", func.lower(func.trim(OutboxMessage.recipient_encrypted)).in_(sorted(wanted)),
        or_(OutboxMessage.recipient_sender_id.is_(None), OutboxMessage.recipient_sender_id.notlike("connector:%")))))


def group_drafts(session: Session, sender_ids: Collection[str], bodies: BodyVault) -> list[GroupDraftRecord]:
    records = []
    for draft in session.scalars(select(GroupDraft).where(GroupDraft.sender_id.in_(list(sender_ids))).order_by(GroupDraft.id)):
        try:
            answers = json.loads(bodies.open(draft.answers_encrypted))
        except (InvalidToken, ValueError):
            answers = {"answers": "[sealed under a key no longer configured]"}
        shown = {name: answers[name] for name in _THEIR_ANSWERS if name in answers} if "answers" not in answers else answers
        records.append(GroupDraftRecord(as_utc(draft.started_at) or draft.started_at, as_utc(draft.asked_at) or draft.asked_at,
                                        draft.step, shown))
    return records
