"""Befriending in the console: /console/befriending (residents' requests for company) and one request's
page, with what a connector noted when they rang (first name, interests, when free, a call or a visit),
the ready volunteers suggested for it and why, a "Propose" button for each, and its matches; a
match's page (/console/befriending/BM-12345), with its check-ins' answers (a problem plainly marked), "Give it a
number" and "End this match".

casework.befriending decides and audits: who may see which request (access), the suggestions
(suggestions), proposing, numbers and ending (matches). A request someone may not see reads as none (404).
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.befriending.access import require_request, visible_requests
from casework.befriending.check_ins import CheckInSummary, check_ins_of
from casework.befriending.matches import MatchSummary, end_match, give_number, matches_of, propose
from casework.befriending.requests import RequestDetails, UnknownRequest, note_request, request_details
from casework.befriending.suggestions import Suggestion, suggest_volunteers
from casework.befriending.tables import REQUEST_STATES, BefriendingMatch, BefriendingRequest
from casework.cases import audit
from casework.cases.opening import CaseworkError
from casework.console.access import ConsoleUser
from casework.models import utcnow
from web.console.routes.base import Console

__all__ = ["add_befriending"]

PAGE = "/console/befriending"
REQUEST_ACTIONS = ("details", "propose", "close")
MATCH_ACTIONS = ("number", "end")


@dataclass(frozen=True)
class _Request:
    request: RequestDetails
    suggestions: list[Suggestion]
    matches: list[MatchSummary]
    history: list[audit.DescribedEntry]


@dataclass(frozen=True)
class _Match:
    match: MatchSummary
    history: list[audit.DescribedEntry]
    check_ins: list[CheckInSummary]


def add_befriending(console: Console) -> None:
    settings = console.settings

    @console.get("/befriending")
    async def requests_page(request: Request) -> HTTPResponse:
        state = request.args.get("state") or ""
        state = state if state in REQUEST_STATES else ""
        user, found = await console.as_user(request, lambda session, user: visible_requests(session, connector_id=user.connector_id,
                                                                                             state=state or None))
        return console.page("befriending.html", user, request, nav="befriending", requests=found, states=REQUEST_STATES, state=state)

    async def show(request: Request, reference: str, *, status: int = 200, problem: str | None = None,
                   problem_detail: str | None = None) -> HTTPResponse:
        def load(session: Session, user: ConsoleUser) -> _Request | _Match | None:
            try:
                wanted = require_request(session, reference=reference, connector_id=user.connector_id)
            except UnknownRequest:
                return None
            if reference.strip().upper().startswith("BM-"):
                found = matches_of(session, reference=reference)
                if not found:
                    return None
                audit.record(session, actor=user.actor, action="befriending_match_read", case_reference=found[0].reference)
                session.flush()
                match_id = session.scalars(select(BefriendingMatch.id).where(BefriendingMatch.reference == found[0].reference)).one()
                return _Match(found[0], audit.described(session, audit.trail(session, found[0].reference)), check_ins_of(session, match_id))
            details = request_details(session, reference=wanted, settings=settings)
            if details is None:
                return None
            audit.record(session, actor=user.actor, action="befriending_request_read", case_reference=details.reference)
            session.flush()
            request_id = session.scalars(select(BefriendingRequest.id).where(BefriendingRequest.reference == details.reference)).one()
            suggestions = suggest_volunteers(session, request=details, settings=settings) if details.state == "open" else []
            return _Request(details, suggestions, matches_of(session, request_id=request_id),
                            audit.described(session, audit.trail(session, details.reference)))

        user, shown = await console.as_user(request, load, back=f"{PAGE}/{quote(reference)}")
        if shown is None:
            return console.not_found(user, request)
        if isinstance(shown, _Match):
            return console.page("befriending_match.html", user, request, status=status, nav="befriending", match=shown.match,
                                history=shown.history, check_ins=shown.check_ins, problem=problem, problem_detail=problem_detail)
        return console.page("befriending_request.html", user, request, status=status, nav="befriending", request_=shown.request,
                            suggestions=shown.suggestions, matches=shown.matches, history=shown.history, problem=problem,
                            problem_detail=problem_detail)

    @console.get("/befriending/<reference:str>")
    async def befriending_page(request: Request, reference: str) -> HTTPResponse:
        return await show(request, reference)

    @console.post("/befriending/<reference:str>/<action:str>", choices={"action": REQUEST_ACTIONS + MATCH_ACTIONS})
    async def befriending_action(request: Request, reference: str, action: str) -> HTTPResponse:
        form = request.form
        typed = {name: (form.get(name) or "")[:200] for name in ("first_name", "interests", "free_times", "wants", "volunteer", "shared")}
        is_match = reference.strip().upper().startswith("BM-")
        if is_match != (action in MATCH_ACTIONS):
            return console.not_found(None, request)

        def act(session: Session, user: ConsoleUser) -> str | None:
            try:
                wanted = require_request(session, reference=reference, connector_id=user.connector_id)
            except UnknownRequest:
                return None
            now = utcnow()
            if is_match:
                match = session.scalars(select(BefriendingMatch).where(BefriendingMatch.reference == reference.strip().upper())).one()
                if action == "number":
                    if match.state != "agreed":
                        raise CaseworkError("only a match both sides agreed to, still waiting for a number, can be given one")
                    return "match_live" if give_number(session, match, settings=settings, now=now, actor=user.actor) else "match_no_number"
                if form.get("confirm") != "yes":
                    raise CaseworkError('tick "Yes, end this match" to end it. Nothing was changed')
                end_match(session, match, by=user.actor, settings=settings, now=now, actor=user.actor)
                return "match_ended"
            if action == "details":
                note_request(session, reference=wanted, actor=user.actor, settings=settings, first_name=typed["first_name"],
                             interests=typed["interests"], free_times=typed["free_times"], wants=typed["wants"])
                return "befriending_details_saved"
            if action == "propose":
                propose(session, request_reference=wanted, volunteer_reference=typed["volunteer"], actor=user.actor, settings=settings,
                        connector_id=user.connector_id, shared_interests=typed["shared"])
                return "match_proposed"
            row = session.scalars(select(BefriendingRequest).where(BefriendingRequest.reference == wanted)).one()
            row.state, row.updated_at = "closed", now
            audit.record(session, actor=user.actor, action="befriending_request_closed", case_reference=wanted, at=now)
            return "befriending_closed"

        back = f"{PAGE}/{quote(reference.strip().upper())}"
        return await console.act_on_page(
            request, act, back=back,
            again=lambda status, why: show(request, reference, status=status, problem="invalid", problem_detail=why))
