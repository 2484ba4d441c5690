"""What a connector decides about a proposed group: approve it, ask the proposer for changes, or decline it.

- `approve`: the group goes into the directory in the same transaction (directory.community_groups), with
  the day it was approved and who approved it (their email as ORUK's `assurer_email`, or the team's
  address in GROUPS_ASSURER_EMAIL); the proposer is told it is listed.
- `ask_for_changes`: the connector writes what should change; the proposer is sent a private link (by
  text in texting hours, CHECK_IN_HOURS, or by email) to a page showing that note above their form,
  filled in as they sent it. Sending it puts the proposal back to `proposed`.
- `decline`: the group is never published; the connector's note (why) stays on the proposal's page. The
  proposer is not sent anything by the service: the connector tells them, in their own words.

Each records who and when on the proposal and in the audit trail under its reference. A text never goes
to a number that texted STOP (the outbox holds it). WrongProposalState says why a decision cannot be made now.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.models import Connector
from casework.cases.opening import CaseworkError
from casework.conversation.inbound import BodyVault
from casework.follow_ups.check_ins import check_in_hours
from casework.models import as_utc, utcnow
from casework.outbox.messages import enqueue_email, enqueue_sms
from casework.proposed_groups.models import ProposedGroup
from casework.proposed_groups.proposals import change_link, listing_from_json, normalise_reference, token_hash
from casework.proposed_groups.reading import UnknownProposal
from casework.residents.identity import normalise_uk_number
from casework.residents.records import is_opted_out
from casework.texts import render
from directory.community_groups import ListingRejected, publish_group
from service.settings import Settings

__all__ = ["WrongProposalState", "Told", "approve", "ask_for_changes", "decline", "NOTE_LENGTH"]

NOTE_LENGTH = 1000
OPEN_STATES = ("proposed", "changes_asked")


class WrongProposalState(CaseworkError):
    """That decision cannot be made where the proposal stands now; the message says why."""


@dataclass(frozen=True)
class Told:
    channel: str | None  # sms | email | None (nothing could be sent: a number that texted STOP)


def _open(session: Session, reference: str) -> ProposedGroup:
    group = session.scalars(select(ProposedGroup).where(ProposedGroup.reference == normalise_reference(reference))).first()
    if group is None:
        raise UnknownProposal(reference)
    if group.state not in OPEN_STATES:
        raise WrongProposalState(f"it is already {'approved' if group.state == 'approved' else 'declined'}")
    return group


def _tell_proposer(session: Session, group: ProposedGroup, *, text: str, settings: Settings, now: datetime, **values: str) -> Told:
    contact = BodyVault.for_settings(settings).open(group.proposer_contact_encrypted)
    values = {"reference": group.reference, **values}
    if "@" in contact:
        enqueue_email(session, to_address=contact, subject=render(f"{text}_email_subject", **values),
                      body=render(f"{text}_email_body", **values), purpose=text)
        return Told("email")
    if group.proposer_sender_id is None or is_opted_out(session, group.proposer_sender_id):
        return Told(None)
    normalise_uk_number(contact)  # checked when proposed; a number, never anything else
    texting = check_in_hours(settings).texting
    sends_at = texting.next_open(now)
    until = texting.open_until(sends_at) or sends_at
    enqueue_sms(session, sender_id=group.proposer_sender_id, body=render(f"{text}_sms", **values), purpose=text, settings=settings,
                not_before=sends_at, valid_for=until - sends_at)
    return Told("sms")


def _assurer_email(session: Session, actor: str, settings: Settings) -> str | None:
    team = settings.value("GROUPS_ASSURER_EMAIL", "").strip()
    if team:
        return team
    connector_id = audit.connector_id_of(actor)
    return session.scalars(select(Connector.email).where(Connector.id == connector_id)).first() if connector_id is not None else None


def approve(session: Session, *, reference: str, actor: str, settings: Settings, now: datetime | None = None) -> str:
    """Publish the group and mark the proposal approved; the directory's service id. WrongProposalState when
    the directory would not keep it as it stands (ask for changes instead)."""
    now = as_utc(now) or utcnow()
    group = _open(session, reference)
    listing = listing_from_json(BodyVault.for_settings(settings).open(group.listing_encrypted))
    try:
        service_id = publish_group(session, listing, reference=group.reference, approved_at=now,
                                   assurer_email=_assurer_email(session, actor, settings))
    except ListingRejected as rejected:
        raise WrongProposalState(f"the directory cannot list it as it stands ({rejected}): ask for changes") from None
    group.state, group.state_changed_at, group.state_changed_by = "approved", now, actor[:64]
    group.approved_at, group.approved_by, group.service_id = now, actor[:64], service_id
    group.change_token_hash = group.change_note_encrypted = None
    told = _tell_proposer(session, group, text="group_approved", settings=settings, now=now)
    audit.record(session, actor=actor, action="group_approved", case_reference=group.reference, at=now,
                 detail=f"in the directory; proposer told by {told.channel or 'nobody (their number texted STOP)'}")
    return service_id


def ask_for_changes(session: Session, *, reference: str, actor: str, note: str, settings: Settings, now: datetime | None = None) -> Told:
    """Send the proposer a private link to change their proposal, with the connector's note on its page."""
    now = as_utc(now) or utcnow()
    note = note.strip()[:NOTE_LENGTH]
    if not note:
        raise CaseworkError("say what should change: the proposer sees it above their form")
    group = _open(session, reference)
    token = secrets.token_urlsafe(24)
    group.state, group.state_changed_at, group.state_changed_by = "changes_asked", now, actor[:64]
    group.change_token_hash = token_hash(token)
    group.change_note_encrypted = BodyVault.for_settings(settings).seal(note)
    told = _tell_proposer(session, group, text="group_changes", settings=settings, now=now, link=change_link(settings, token))
    audit.record(session, actor=actor, action="group_changes_asked", case_reference=group.reference, at=now,
                 detail=f"proposer sent a link by {told.channel or 'nobody (their number texted STOP)'}")
    return told


def decline(session: Session, *, reference: str, actor: str, note: str, settings: Settings, now: datetime | None = None) -> None:
    """Never published; the note says why (for the team, on the proposal's page)."""
    now = as_utc(now) or utcnow()
    note = note.strip()[:NOTE_LENGTH]
    group = _open(session, reference)
    group.state, group.state_changed_at, group.state_changed_by = "declined", now, actor[:64]
    group.change_token_hash = None
    group.change_note_encrypted = BodyVault.for_settings(settings).seal(note) if note else None
    audit.record(session, actor=actor, action="group_declined", case_reference=group.reference, at=now)
