"""Proposed groups as the console reads them: the list by state, one proposal in full, and who may see which.

Who may see a proposal is who may see a volunteer (casework.good_neighbours.access.may_see): managers
every one; a connector those of their patch, those they were told about and those with no district.
One they may not see reads as none (the refusal is audited), so a reference is not confirmed to exist.
The list shows the group's name, area and state (what a connector needs to choose one); the proposer's
name and contact only on the proposal's page, whose every reading is audited.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.caseload import NotAllowed
from casework.cases.models import Connector
from casework.cases.opening import CaseworkError
from casework.conversation.inbound import BodyVault
from casework.good_neighbours.access import may_see
from casework.proposed_groups.models import ProposedGroup
from casework.proposed_groups.proposals import Proposer, listing_from_json, normalise_reference
from directory.community_groups import GroupListing
from service.settings import Settings

__all__ = ["UnknownProposal", "ProposalSummary", "VisibleProposals", "ProposalDetails", "visible_proposals", "require_proposal",
           "proposal_details"]


class UnknownProposal(CaseworkError):
    """No proposal has that reference (or none this connector may see)."""


@dataclass(frozen=True)
class ProposalSummary:
    reference: str
    state: str
    area: str | None
    group_name: str
    created_at: datetime
    state_changed_at: datetime


@dataclass(frozen=True)
class VisibleProposals:
    proposals: list[ProposalSummary]  # those shown (the state asked for), newest first
    by_state: dict[str, int]  # every proposal they may see, counted by state


@dataclass(frozen=True)
class ProposalDetails:
    reference: str
    state: str
    area: str | None
    listing: GroupListing
    proposer: Proposer
    change_note: str | None  # what a connector asked to change, while it waits
    created_at: datetime
    state_changed_at: datetime
    state_changed_by: str
    approved_at: datetime | None
    approved_by: str | None
    service_id: str | None
    history: list[audit.AuditEntry]


def _active(session: Session, connector_id: int) -> Connector:
    connector = session.get(Connector, connector_id)
    if connector is None or not connector.active:
        raise NotAllowed("only an active connector may use the console")
    return connector


def visible_proposals(session: Session, *, connector_id: int, settings: Settings, state: str | None = None) -> VisibleProposals:
    """The proposals this connector may see (in one state when asked), newest first; audited (counts only)."""
    connector = _active(session, connector_id)
    vault = BodyVault.for_settings(settings)
    rows = session.execute(select(ProposedGroup.reference, ProposedGroup.state, ProposedGroup.area, ProposedGroup.connector_id,
                                  ProposedGroup.listing_encrypted, ProposedGroup.created_at, ProposedGroup.state_changed_at)
                           .order_by(ProposedGroup.created_at.desc(), ProposedGroup.id.desc())).all()
    every = [row for row in rows if may_see(connector, district=row.area, told_to=row.connector_id)]
    shown = [ProposalSummary(row.reference, row.state, row.area, listing_from_json(vault.open(row.listing_encrypted)).name,
                             row.created_at, row.state_changed_at)
             for row in every if not state or row.state == state]
    audit.record(session, actor=audit.connector_actor(connector_id), action="listed",
                 detail=f"proposed groups: {len(shown)} of {len(every)}" + (f"; state {state}" if state else ""))
    return VisibleProposals(shown, dict(Counter(row.state for row in every)))


def require_proposal(session: Session, *, reference: str, connector_id: int) -> str:
    """The proposal's reference when this connector may see it; UnknownProposal otherwise (refusal audited)."""
    connector = _active(session, connector_id)
    wanted = normalise_reference(reference)
    found = session.execute(select(ProposedGroup.reference, ProposedGroup.area, ProposedGroup.connector_id)
                            .where(ProposedGroup.reference == wanted)).first()
    if found is None or not may_see(connector, district=found.area, told_to=found.connector_id):
        if found is not None:
            audit.record(session, actor=audit.connector_actor(connector_id), action="group_refused", case_reference=found.reference,
                         detail="not in their patch")
        raise UnknownProposal(wanted)
    return str(found.reference)


def proposal_details(session: Session, *, reference: str, settings: Settings, actor: str) -> ProposalDetails:
    """One proposal in full, the proposer's name and contact opened; the reading is audited."""
    group = session.scalars(select(ProposedGroup).where(ProposedGroup.reference == normalise_reference(reference))).first()
    if group is None:
        raise UnknownProposal(reference)
    vault = BodyVault.for_settings(settings)
    audit.record(session, actor=actor, action="group_viewed", case_reference=group.reference)
    return ProposalDetails(
        reference=group.reference, state=group.state, area=group.area, listing=listing_from_json(vault.open(group.listing_encrypted)),
        proposer=Proposer(vault.open(group.proposer_name_encrypted), group.proposer_role, vault.open(group.proposer_contact_encrypted)),
        change_note=vault.open_or_none(group.change_note_encrypted), created_at=group.created_at, state_changed_at=group.state_changed_at,
        state_changed_by=group.state_changed_by, approved_at=group.approved_at, approved_by=group.approved_by, service_id=group.service_id,
        history=audit.trail(session, group.reference),
    )
