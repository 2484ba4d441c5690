"""Good neighbours in the console: /console/volunteers (by state and area) and a volunteer's page, with
its forms: their interests and when they are free, move to training, record checks, approve, training
done another way, pause, resume, mark left.

casework.good_neighbours decides and audits: who may see whom and who may manage (access), each change
(states). Opening a volunteer's page is audited, as `volunteers show` is. A volunteer someone may not
see reads as none (404), as a case does.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.models import VOLUNTEER_STATES
from casework.cases.opening import CaseworkError
from casework.console.access import ConsoleUser
from casework.good_neighbours.access import require_volunteer, visible_volunteers
from casework.good_neighbours.states import (
    WrongVolunteerState,
    approve,
    leave,
    note_details,
    pause,
    record_checks,
    record_training_done,
    resume,
    start_training,
)
from casework.good_neighbours.training import MODULES
from casework.good_neighbours.volunteers import UnknownVolunteer, VolunteerDetails, volunteer_details
from web.console.pages import read_day
from web.console.routes.base import Console, state_actors

__all__ = ["add_volunteers"]

PAGE = "/console/volunteers"
ACTIONS = ("details", "training", "checks", "approve", "trained", "pause", "resume", "left")
MANAGING = ("checks", "approve", "trained")  # a manager's (casework.good_neighbours.access)
CHECK_FIELDS = {"references": "references_seen", "dbs": "dbs_seen"}
DATE_PROBLEMS = {"not_a_date": "is not a date", "no_month": "needs a month", "no_year": "needs a year", "short_year": "needs all 4 numbers of the year",
                 "no_such_month": "has no such month", "no_such_day": "has no such day", "far_year": "is not a year we can record"}


@dataclass(frozen=True)
class _Shown:
    volunteer: VolunteerDetails
    history: list[audit.DescribedEntry]
    changed_by: str  # who last changed their state, as the audit page names them
    approved_by: str


class _Typed(CaseworkError):
    """A form field that cannot be read; the message says which and why."""


def _seen(form: Any) -> dict[str, Any]:
    seen = {}
    for kind, name in CHECK_FIELDS.items():
        typed = (form.get(name) or "").strip()[:40]
        if not typed:
            continue
        try:
            seen[kind] = read_day(typed)
        except ValueError as problem:
            what = "the date the references were seen" if kind == "references" else "the date the DBS check was seen"
            raise _Typed(f"{what} {DATE_PROBLEMS.get(str(problem.args[0]), 'is not a date')} (write it as day, month, year)") from None
    return seen


def add_volunteers(console: Console) -> None:
    settings = console.settings

    @console.get("/volunteers")
    async def volunteers_page(request: Request) -> HTTPResponse:
        state = request.args.get("state") or ""
        state = state if state in VOLUNTEER_STATES else ""
        area = (request.args.get("area") or "").strip().upper()[:8]
        user, found = await console.as_user(request, lambda session, user: visible_volunteers(
            session, connector_id=user.connector_id, state=state or None, area=area or None))
        return console.page("volunteers.html", user, request, nav="volunteers", volunteers=found.volunteers, by_state=found.by_state,
                            states=VOLUNTEER_STATES, state=state, area=area)

    async def show_volunteer(request: Request, reference: str, *, status: int = 200, problem: str | None = None,
                             problem_detail: str | None = None, values: dict[str, str] | None = None) -> HTTPResponse:
        def load(session: Session, user: ConsoleUser) -> _Shown | None:
            try:
                wanted = require_volunteer(session, reference=reference, connector_id=user.connector_id)
            except UnknownVolunteer:
                return None  # none, or not theirs to see: alike (the refusal is audited and commits)
            details = volunteer_details(session, reference=wanted, settings=settings, actor=user.actor)
            if details is None:
                return None
            changed_by, approved_by = state_actors(session, details.state_changed_by, details.approved_by)
            return _Shown(details, audit.described(session, details.history), changed_by, approved_by)

        user, shown = await console.as_user(request, load, back=f"{PAGE}/{quote(reference)}")
        if shown is None:
            return console.not_found(user, request)
        return console.page("volunteer.html", user, request, status=status, nav="volunteers", volunteer=shown.volunteer,
                            history=shown.history, changed_by=shown.changed_by, approved_by=shown.approved_by,
                            modules=[m.name for m in MODULES], progress={m.module: m for m in shown.volunteer.training},
                            seen={c.kind: c.seen_on for c in shown.volunteer.checks}, problem=problem, problem_detail=problem_detail,
                            values=values or {}, today=console.pages.today())

    @console.get("/volunteers/<reference:str>")
    async def volunteer_page(request: Request, reference: str) -> HTTPResponse:
        return await show_volunteer(request, reference)

    @console.post("/volunteers/<reference:str>/<action:str>", choices={"action": ACTIONS})
    async def volunteer_action(request: Request, reference: str, action: str) -> HTTPResponse:
        form = request.form
        typed = {name: (form.get(name) or "")[:200] for name in (*CHECK_FIELDS.values(), "interests", "availability")}

        def act(session: Session, user: ConsoleUser) -> str | None:
            try:
                wanted = require_volunteer(session, reference=reference, connector_id=user.connector_id, manage=action in MANAGING)
            except UnknownVolunteer:
                return None
            actor = user.actor
            if action == "details":
                note_details(session, reference=wanted, actor=actor, settings=settings, interests=typed["interests"],
                             availability=typed["availability"])
                return "volunteer_details_saved"
            if action == "training":
                started = start_training(session, reference=wanted, actor=actor, settings=settings)
                return "training_started" if started.texted else f"training_started_{started.why_not}"
            if action == "checks":
                state = record_checks(session, reference=wanted, actor=actor, seen=_seen(form), settings=settings)
                return "volunteer_ready" if state == "ready" else "checks_recorded"
            if action == "approve":
                return "volunteer_ready" if approve(session, reference=wanted, actor=actor) == "ready" else "volunteer_approved"
            if action == "trained":
                state = record_training_done(session, reference=wanted, actor=actor, settings=settings)
                return "volunteer_ready" if state == "ready" else "volunteer_trained"
            if action == "pause":
                pause(session, reference=wanted, actor=actor)
                return "volunteer_paused"
            if action == "resume":
                return f"volunteer_resumed_{resume(session, reference=wanted, actor=actor, settings=settings)}"
            # Leaving stops their training and takes them off every list of people to match: never by a stray tap.
            if form.get("confirm") != "yes":
                raise CaseworkError('tick "Yes, they have left" to record it. Nothing was changed')
            leave(session, reference=wanted, actor=actor)
            return "volunteer_left"

        back = f"{PAGE}/{quote(reference)}"
        return await console.act_on_page(
            request, act, back=back, wrong_state=WrongVolunteerState,
            again=lambda status, why: show_volunteer(request, reference, status=status, problem="invalid", problem_detail=why, values=typed))
