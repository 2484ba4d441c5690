"""A group proposed through the web form (or by text: casework.proposed_groups.by_text), and the proposer changing it
when a connector asked them to.

`propose_group` keeps everything typed sealed under a reference (GP-12345), in state `proposed`, and
tells the area's connector by email in working hours (reference and area only: the group and who
proposed it are on the console page, whose reading is audited). The same form sent twice (its form id)
is one proposal. A proposer who gave a phone number is held as its SMS pseudonym with a resident row
(casework.good_neighbours.texting.sender_for_number), which is what the outbox texts, what STOP marks,
and what erasure and subject access find by the number.

`ask_for_changes` (casework.proposed_groups.decisions) sends the proposer a private link; `proposal_for_change`
reads the proposal behind it and `change_proposal` takes their corrected form, back to `proposed`.
"""
from __future__ import annotations

import hashlib
import json
import logging
import secrets
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.alert_settings import alert_settings
from casework.cases.connectors import alert_order, postcode_district
from casework.cases.opening import CaseworkError
from casework.cases.reports import check_reporter_contact
from casework.conversation.inbound import BodyVault
from casework.good_neighbours.texting import phone_in, sender_for_number
from casework.models import as_utc, utcnow
from casework.outbox.messages import connector_recipient, enqueue_email
from casework.proposed_groups.models import PROPOSER_ROLES, ProposedGroup
from casework.texts import render
from directory.community_groups import GroupListing
from service.settings import Settings

__all__ = ["PREFIX", "Proposer", "GroupProposed", "ProposalForChange", "propose_group", "proposal_for_change", "change_proposal",
           "listing_json", "listing_from_json", "console_link", "change_link", "token_hash", "normalise_reference"]

log = logging.getLogger(__name__)

PREFIX = "GP"
TEXT_LENGTH = 200


@dataclass(frozen=True)
class Proposer:
    name: str
    role: str  # PROPOSER_ROLES
    contact: str  # a phone number or an email address, for a connector (never published)


@dataclass(frozen=True)
class GroupProposed:
    reference: str
    connector_told: bool


@dataclass(frozen=True)
class ProposalForChange:
    reference: str
    listing: GroupListing
    proposer: Proposer
    note: str  # what the connector asked them to change


def listing_json(listing: GroupListing) -> str:
    return json.dumps(asdict(listing), sort_keys=True)


def listing_from_json(text: str) -> GroupListing:
    values = json.loads(text)
    values["days"] = tuple(values.get("days") or ())
    return GroupListing(**values)


def console_link(settings: Settings, reference: str) -> str:
    return f"{settings.public_base_url}/console/groups/{reference}"


def change_link(settings: Settings, token: str) -> str:
    return f"{settings.public_base_url}/groups/change/{token}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_reference(reference: str) -> str:
    return " ".join(reference.split()).upper()[:16]


def _new_reference(session: Session) -> str:
    while True:
        reference = f"{PREFIX}-{secrets.randbelow(90000) + 10000}"
        if session.scalars(select(ProposedGroup.id).where(ProposedGroup.reference == reference)).first() is None:
            return reference


def _checked(proposer: Proposer) -> Proposer:
    name = " ".join(proposer.name.split())[:TEXT_LENGTH]
    if not name or proposer.role not in PROPOSER_ROLES:
        raise CaseworkError(f"a proposal needs the proposer's name and one of {', '.join(PROPOSER_ROLES)}")
    check_reporter_contact(proposer.contact)  # a phone number or an email address, as a reporter's
    return Proposer(name, proposer.role, proposer.contact.strip())


def _seal_proposer(session: Session, group: ProposedGroup, proposer: Proposer, settings: Settings) -> None:
    vault = BodyVault.for_settings(settings)
    group.proposer_name_encrypted = vault.seal(proposer.name)
    group.proposer_role = proposer.role
    group.proposer_contact_encrypted = vault.seal(proposer.contact)
    number = phone_in(proposer.contact)
    group.proposer_sender_id = sender_for_number(session, number, settings) if number else None


def _tell_connector(session: Session, group: ProposedGroup, settings: Settings, now: datetime, *, by_text: bool) -> bool:
    order = alert_order(session, area=group.area, at=now, ignore_rota=True)
    if not order:
        log.warning("proposed group %s: no connector to tell (add connectors: python -m casework connectors add)", group.reference)
        return False
    connector = order[0]
    values = {"reference": group.reference, "area": group.area or "not known", "console_url": console_link(settings, group.reference),
              "how": render("group_proposed_by_text" if by_text else "group_proposed_by_form")}
    enqueue_email(session, to_address=connector.email, subject=render("group_proposed_email_subject", **values),
                  body=render("group_proposed_email_body", **values), purpose="group_proposed",
                  recipient_sender_id=connector_recipient(connector.id), not_before=alert_settings(settings).sends_at("routine", now))
    group.connector_id = connector.id
    return True


def propose_group(session: Session, *, listing: GroupListing, proposer: Proposer, settings: Settings, form_id: str | None = None,
                  actor: str = "group_form", area: str | None = None, now: datetime | None = None) -> GroupProposed:
    """Keep the proposal and tell the area's connector, in the caller's transaction (see the module docstring).
    `area`: the district when the listing has no postcode yet (a group proposed by text names a town)."""
    now = as_utc(now) or utcnow()
    if form_id:
        known = session.scalars(select(ProposedGroup).where(ProposedGroup.form_id == form_id)).first()
        if known is not None:
            return GroupProposed(known.reference, known.connector_id is not None)
    proposer = _checked(proposer)
    group = ProposedGroup(reference=_new_reference(session), form_id=form_id, state="proposed", area=postcode_district(listing.postcode) or area,
                          listing_encrypted=BodyVault.for_settings(settings).seal(listing_json(listing)), created_at=now,
                          state_changed_at=now, state_changed_by=actor[:64])
    _seal_proposer(session, group, proposer, settings)
    session.add(group)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        # The same form, sent twice at once: the other copy's proposal is this one.
        known = session.scalars(select(ProposedGroup).where(ProposedGroup.form_id == form_id)).first() if form_id else None
        if known is None:
            raise
        return GroupProposed(known.reference, known.connector_id is not None)
    told = _tell_connector(session, group, settings, now, by_text=actor == "group_text")
    audit.record(session, actor=actor, action="group_proposed", case_reference=group.reference, at=now,
                 detail=f"in {group.area or 'an unknown area'}; by its {proposer.role}" + ("" if told else "; nobody to tell"))
    return GroupProposed(group.reference, told)


def _waiting_for_change(session: Session, token: str) -> ProposedGroup | None:
    if not token or len(token) > 64:
        return None
    return session.scalars(select(ProposedGroup).where(ProposedGroup.change_token_hash == token_hash(token),
                                                       ProposedGroup.state == "changes_asked")).first()


def proposal_for_change(session: Session, *, token: str, settings: Settings) -> ProposalForChange | None:
    """The proposal behind a change link, while a connector's request for changes waits; None otherwise."""
    group = _waiting_for_change(session, token)
    if group is None:
        return None
    vault = BodyVault.for_settings(settings)
    proposer = Proposer(vault.open(group.proposer_name_encrypted), group.proposer_role, vault.open(group.proposer_contact_encrypted))
    return ProposalForChange(group.reference, listing_from_json(vault.open(group.listing_encrypted)), proposer,
                             vault.open_or_none(group.change_note_encrypted) or "")


def change_proposal(session: Session, *, token: str, listing: GroupListing, proposer: Proposer, settings: Settings,
                    now: datetime | None = None) -> str | None:
    """The proposer's corrected proposal, back to `proposed` for a connector; its reference, or None when the
    link no longer works (changed already, or decided meanwhile)."""
    now = as_utc(now) or utcnow()
    group = _waiting_for_change(session, token)
    if group is None:
        return None
    proposer = _checked(proposer)
    group.listing_encrypted = BodyVault.for_settings(settings).seal(listing_json(listing))
    group.area = postcode_district(listing.postcode)
    _seal_proposer(session, group, proposer, settings)
    group.state, group.state_changed_at, group.state_changed_by = "proposed", now, "group_form"
    group.change_token_hash = None
    group.change_note_encrypted = None
    session.flush()
    audit.record(session, actor="group_form", action="group_changed", case_reference=group.reference, at=now,
                 detail=f"changed by the proposer; in {group.area or 'an unknown area'}")
    return str(group.reference)
