"""Cases in the console: my queue, a case and what can be done with it (acknowledge, assign, plan a
visit, record it, add a note, close), and the manager's lists of every case and of overdue alerts.

What is read and changed goes through casework (casework.cases.caseload, casework.cases.lifecycle,
casework.cases.acknowledgement), which writes the audit trail and decides who may see and change a case.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from casework.cases.acknowledgement import acknowledge_case
from casework.cases.caseload import Access, NotAllowed, all_cases, my_queue, open_case_file, overdue_alerts, require
from casework.cases.connectors import list_connectors
from casework.cases.lifecycle import OUTCOMES, WrongState, add_note, assign_case, close_case, plan_visit, record_visit
from casework.cases.models import CASE_STATES, OPEN_CASE_STATES, PRIORITIES
from casework.cases.opening import CaseworkError, UnknownCase
from casework.cases.reports import ANSWER_WORDS
from casework.console.access import ConsoleUser
from web.console.routes.base import Console

__all__ = ["add_cases"]

CASE_ACTIONS = ("acknowledge", "assign", "plan", "visit", "note", "close")
ACTING = ("assign", "plan", "visit", "close")  # need casework.cases.caseload.Access.may_act; the rest may_see
NOTE_LIMIT = 4000


def _visible_case(session: Session, *, reference: str, connector_id: int) -> Access | None:
    """What the connector may do with the case, or None both when there is no such case and when it is
    not theirs to see (casework.cases.caseload's rule, the one the SMS ACK follows).

    The console answers the two alike, the same page with the same status (404): a "not allowed" for a
    case that exists would tell anyone signed in which references are real, and so that someone in that
    area was in crisis. The refusal is still in the audit trail (`require` records it, and the
    transaction commits).
    """
    try:
        return require(session, reference=reference, connector_id=connector_id)
    except (UnknownCase, NotAllowed):
        return None


def add_cases(console: Console) -> None:
    settings, pages = console.settings, console.pages

    # --- a connector's own pages -------------------------------------------------------------
    @console.get("/queue")
    async def queue(request: Request) -> HTTPResponse:
        user, cases = await console.as_user(request, lambda session, user: my_queue(session, connector_id=user.connector_id))
        return console.page("queue.html", user, request, nav="queue", cases=cases)

    async def show_case(request: Request, reference: str, *, status: int = 200, problem: str | None = None,
                        problem_detail: str | None = None) -> HTTPResponse:
        def load(session: Session, user: ConsoleUser) -> tuple[Any, Any, list] | None:
            try:
                file, allowed = open_case_file(session, reference=reference, connector_id=user.connector_id, settings=settings)
            except (UnknownCase, NotAllowed):  # not theirs to see reads as no such case (see _visible_case)
                return None
            people = list_connectors(session, active_only=True)
            return file, allowed, people

        user, found = await console.as_user(request, load, back=f"/console/cases/{quote(reference)}")
        if found is None:
            return console.not_found(user, request)
        file, allowed, people = found
        names = {f"connector:{p.id}": p.name for p in people}
        return console.page("case.html", user, request, status=status, nav="case", file=file, case=file.detail, allowed=allowed,
                            people=people, names=names, outcomes=OUTCOMES, answers=ANSWER_WORDS, problem=problem,
                            problem_detail=problem_detail)

    @console.get("/cases/<reference:str>")
    async def case_page(request: Request, reference: str) -> HTTPResponse:
        return await show_case(request, reference)

    @console.post("/cases/<reference:str>/<action:str>", choices={"action": CASE_ACTIONS})
    async def case_action(request: Request, reference: str, action: str) -> HTTPResponse:
        form = request.form
        try:
            when = pages.local(form.get("at") or "") if action == "plan" else None
        except ValueError:
            return await show_case(request, reference, status=400, problem="bad_time")
        note = (form.get("text") or "").strip()[:NOTE_LIMIT]

        def act(session: Session, user: ConsoleUser) -> str | None:
            me = user.connector_id
            seen = _visible_case(session, reference=reference, connector_id=me)
            if seen is None:
                return None
            # They may see this case, so refusing them a change (403) tells them nothing they could not read.
            allowed = require(session, reference=reference, connector_id=me, act=True) if action in ACTING else seen
            ref = allowed.reference
            if action == "acknowledge":
                return {"acknowledged": "acknowledged", "already_yours": "already_yours", "already_taken": "already_taken",
                        "closed": "already_closed"}[acknowledge_case(session, reference=ref, connector_id=me, via="console").outcome]
            if action == "assign":
                try:
                    target = int(form.get("connector") or "")
                except ValueError:
                    raise CaseworkError("choose a connector") from None
                assign_case(session, reference=ref, connector_id=target, by=me)
                return "assigned"
            if action == "plan":
                assert when is not None
                plan_visit(session, reference=ref, at=when, by=me)
                return "visit_planned"
            if action == "visit":
                record_visit(session, reference=ref, by=me)
                if note:
                    add_note(session, reference=ref, text=note, by=me, settings=settings)
                return "visited"
            if action == "note":
                add_note(session, reference=ref, text=note, by=me, settings=settings)
                return "note_added"
            outcome = form.get("outcome") or ""
            if outcome not in OUTCOMES:
                raise CaseworkError("choose an outcome")
            # Closing takes the case off every queue and may text the reporter: never by a stray tap.
            if form.get("confirm") != "yes":
                raise CaseworkError("tick \"Yes, close this case\" to close it. Nothing was changed")
            if note:
                add_note(session, reference=ref, text=note, by=me, settings=settings)
            close_case(session, reference=ref, outcome=outcome, by=me, settings=settings)
            return "case_closed"

        return await console.act_on_page(
            request, act, back=f"/console/cases/{quote(reference)}", wrong_state=WrongState, missing=UnknownCase,
            again=lambda status, why: show_case(request, reference, status=status, problem="wrong_state" if status == 409 else "invalid",
                                                problem_detail=why))

    # --- the manager's lists -------------------------------------------------------------------
    @console.get("/cases")
    async def cases_page(request: Request) -> HTTPResponse:
        state = request.args.get("state") or "open"
        priority = request.args.get("priority") or ""
        area = (request.args.get("area") or "").strip().upper()[:8]
        states = list(OPEN_CASE_STATES) if state == "open" else [state] if state in CASE_STATES else None
        chosen_priority = priority if priority in PRIORITIES else None

        user, cases = await console.as_user(request, lambda session, user: all_cases(
            session, connector_id=user.connector_id, states=states, priority=chosen_priority, area=area or None))
        return console.page("cases.html", user, request, nav="cases", cases=cases, states=CASE_STATES, priorities=PRIORITIES,
                            state=state if states else "all", priority=chosen_priority or "", area=area)

    @console.get("/alerts")
    async def alerts_page(request: Request) -> HTTPResponse:
        user, alerts = await console.as_user(request, lambda session, user: overdue_alerts(session, connector_id=user.connector_id))
        return console.page("alerts.html", user, request, nav="alerts", alerts=alerts)
