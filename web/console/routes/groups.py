"""Groups people start themselves, in the console: /console/groups (proposals by state) and a proposal's
page, with its three decisions: approve (into the directory), ask for changes (the proposer is sent a
link), decline.

casework.proposed_groups decides and audits: who may see which (reading), each decision (decisions).
Opening a proposal's page is audited. A proposal someone may not see reads as none (404), as a case does.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.opening import CaseworkError
from casework.console.access import ConsoleUser
from casework.proposed_groups.decisions import NOTE_LENGTH, WrongProposalState, approve, ask_for_changes, decline
from casework.proposed_groups.models import PROPOSAL_STATES
from casework.proposed_groups.reading import ProposalDetails, UnknownProposal, proposal_details, require_proposal, visible_proposals
from web.console.routes.base import Console, state_actors

__all__ = ["add_groups"]

PAGE = "/console/groups"
ACTIONS = ("approve", "changes", "decline")


@dataclass(frozen=True)
class _Shown:
    proposal: ProposalDetails
    history: list[audit.DescribedEntry]
    changed_by: str
    approved_by: str


def add_groups(console: Console) -> None:
    settings = console.settings

    @console.get("/groups")
    async def groups_page(request: Request) -> HTTPResponse:
        state = request.args.get("state") or ""
        state = state if state in PROPOSAL_STATES else ""
        user, found = await console.as_user(request, lambda session, user: visible_proposals(
            session, connector_id=user.connector_id, settings=settings, state=state or None))
        return console.page("groups.html", user, request, nav="groups", proposals=found.proposals, by_state=found.by_state,
                            states=PROPOSAL_STATES, state=state)

    async def show(request: Request, reference: str, *, status: int = 200, problem: str | None = None,
                   problem_detail: str | None = None, note: str = "") -> HTTPResponse:
        def load(session: Session, user: ConsoleUser) -> _Shown | None:
            try:
                wanted = require_proposal(session, reference=reference, connector_id=user.connector_id)
            except UnknownProposal:
                return None  # none, or not theirs to see: alike (the refusal is audited and commits)
            details = proposal_details(session, reference=wanted, settings=settings, actor=user.actor)
            changed_by, approved_by = state_actors(session, details.state_changed_by, details.approved_by)
            return _Shown(details, audit.described(session, details.history), changed_by, approved_by)

        user, shown = await console.as_user(request, load, back=f"{PAGE}/{quote(reference)}")
        if shown is None:
            return console.not_found(user, request)
        return console.page("group.html", user, request, status=status, nav="groups", group=shown.proposal, history=shown.history,
                            changed_by=shown.changed_by, approved_by=shown.approved_by, problem=problem,
                            problem_detail=problem_detail, note=note, note_length=NOTE_LENGTH)

    @console.get("/groups/<reference:str>")
    async def group_page(request: Request, reference: str) -> HTTPResponse:
        return await show(request, reference)

    @console.post("/groups/<reference:str>/<action:str>", choices={"action": ACTIONS})
    async def group_action(request: Request, reference: str, action: str) -> HTTPResponse:
        form = request.form
        note = (form.get("note") or "")[:NOTE_LENGTH]

        def act(session: Session, user: ConsoleUser) -> str | None:
            try:
                wanted = require_proposal(session, reference=reference, connector_id=user.connector_id)
            except UnknownProposal:
                return None
            if action == "approve":
                approve(session, reference=wanted, actor=user.actor, settings=settings)
                return "group_approved"
            if action == "changes":
                told = ask_for_changes(session, reference=wanted, actor=user.actor, note=note, settings=settings)
                return f"group_changes_asked_{told.channel or 'not_sent'}"
            # Declining is final: never by a stray tap.
            if form.get("confirm") != "yes":
                raise CaseworkError('tick "Yes, decline this group" to decline it. Nothing was changed')
            decline(session, reference=wanted, actor=user.actor, note=note, settings=settings)
            return "group_declined"

        back = f"{PAGE}/{quote(reference)}"
        return await console.act_on_page(
            request, act, back=back, wrong_state=WrongProposalState,
            again=lambda status, why: show(request, reference, status=status, problem="invalid", problem_detail=why, note=note))
