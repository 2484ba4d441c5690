"""The JSON API: GET /api/cases, GET /api/cases/<reference> and GET /api/outcomes, with `Authorization: Bearer TOKEN`.

Tokens come from `python -m casework tokens create --scope cases|outcomes`; each route checks its
scope (`cases` for /api/cases, `outcomes` for /api/outcomes): a token without it gets 403, audited. Answers carry what a case management system
needs to track a case (state, priority, area, who has it, the alerts), never what the person wrote
or who they are: that stays in the console. Every read is in the case's audit trail under
`api:<token name>`. Database work runs in a thread, never on the event loop.
/api/outcomes gives the commissioners' figures for a period (casework.outcomes), counts only.
"""
from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session, sessionmaker

from casework.cases import audit
from casework.cases.alert_settings import alert_settings
from casework.cases.models import CASE_STATES, PRIORITIES
from casework.cases.opening import UnknownCase
from casework.cases.reading import CaseDetail, CaseSummary, case_detail, list_cases
from casework.console.tokens import verify_token
from casework.outcomes import LonelinessChange, Outcomes, PeriodError, period_from
from casework.outcomes.dashboard import api_outcomes
from service.settings import Settings

__all__ = ["api_blueprint", "detail_json", "summary_json", "outcomes_json"]

T = TypeVar("T")
MAX_LIMIT = 500


def _time(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def summary_json(case: CaseSummary) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "state": case.state,
        "priority": case.priority,
        "area": case.area,
        "subject_kind": case.subject_kind,
        "owner": case.owner,
        "acknowledged_by": case.acknowledged_by,
        "created_at": _time(case.created_at),
        "awaiting_acknowledgement": case.awaiting_acknowledgement,
        "overdue": case.overdue,
    }


def detail_json(case: CaseDetail) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "state": case.state,
        "priority": case.priority,
        "area": case.area,
        "subject_kind": case.subject_kind,
        "source": case.source,
        "lawful_basis": case.lawful_basis,
        "outcome": case.outcome,
        "owner": case.owner,
        "acknowledged_by": case.acknowledged_by,
        "created_at": _time(case.created_at),
        "acknowledged_at": _time(case.acknowledged_at),
        "visit_planned_for": _time(case.visit_planned_for),
        "visited_at": _time(case.visited_at),
        "closed_at": _time(case.closed_at),
        "reasons": [{"category": r.category, "rule": r.rule, "priority": r.priority, "raised_at": _time(r.raised_at)}
                    for r in case.reasons],
        "alerts": [{
            "to": a.to,
            "channel": a.channel,
            "state": a.state,
            "step": a.step,
            "created_at": _time(a.created_at),
            "due_at": _time(a.due_at),
            "acknowledged_at": _time(a.acknowledged_at),
            "escalated_at": _time(a.escalated_at),
            "escalated_to": a.escalated_to,
        } for a in case.alerts],
        "history": [{"at": _time(e.at), "actor": e.actor, "action": e.action, "detail": e.detail} for e in case.history],
    }


def outcomes_json(found: Outcomes) -> dict[str, Any]:
    """The figures for the period at the top level (names fixed: other systems read them), then per
    week and per area; null where a figure has no value (no case acknowledged, not known per area)."""
    return {
        "from": found.period.start.isoformat(),
        "to": found.period.end.isoformat(),
        "time_zone": str(found.period.zone),
        **dataclasses.asdict(found.totals),
        "weeks": [{"week_starting": w.starts.isoformat(), **dataclasses.asdict(w.figures)} for w in found.weeks],
        "areas": [{"area": a.area, **dataclasses.asdict(a.figures)} for a in found.areas],
        "sources": {"follow_up_table": found.follow_up_table, "volunteer_table": found.volunteer_table},
        "loneliness_change": {
            "everyone": _change_json(found.loneliness_change),
            "areas": [{"area": c.label, **_change_json(c)} for c in found.loneliness_by_area],
            "supports": [{"support": c.label, **_change_json(c)} for c in found.loneliness_by_support],
        },
    }


def _change_json(change: LonelinessChange) -> dict[str, Any]:
    """The distribution of change in loneliness score (follow-up less first) for one breakdown."""
    return {"followed_up": change.followed_up, "less_lonely": change.less_lonely, "no_change": change.no_change,
            "more_lonely": change.more_lonely, "mean_change": change.mean_change,
            "people_by_change": {f"{moved:+d}" if moved else "0": count for moved, count in change.people}}


class Refused(Exception):
    """The request has no live token (401), or its token lacks the route's scope (403)."""

    def __init__(self, status: int, scope: str) -> None:
        super().__init__(status, scope)
        self.status, self.scope = status, scope


def _error(status: int, message: str) -> HTTPResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="cases"'} if status == 401 else None
    return response.json({"error": message}, status=status, headers=headers)


def _refusal(refused: Refused) -> HTTPResponse:
    if refused.status == 401:
        return _error(401, "a valid API token is required: Authorization: Bearer <token>")
    # RFC 6750 section 3.1: the token is good but may not do this.
    reply = _error(403, f"this token may not do this: it needs the scope {refused.scope!r} "
                        f"(python -m casework tokens create --name NAME --scope {refused.scope})")
    reply.headers["WWW-Authenticate"] = f'Bearer realm="cases", error="insufficient_scope", scope="{refused.scope}"'
    return reply


def api_blueprint(sessions: sessionmaker, settings: Settings) -> Blueprint:
    bp = Blueprint("api", url_prefix="/api")
    zone = alert_settings(settings).working_hours.zone

    async def in_thread(work: Callable[[Session], T]) -> T:
        def run() -> T:
            with sessions.begin() as session:
                try:
                    return work(session)
                except Refused as refused:
                    denied = refused  # leave the block normally, so the refusal's audit line is committed
            raise denied
        return await asyncio.get_running_loop().run_in_executor(None, run)

    def caller(session: Session, request: Request, scope: str) -> str:
        """The audit name of the request's token; Refused when there is none or it lacks `scope`
        (the refusal is audited: a token probing beyond its scope is worth seeing)."""
        scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
        found = verify_token(session, token) if scheme.lower() == "bearer" else None
        if found is None:
            raise Refused(401, scope)
        if not found.may(scope):
            audit.record(session, actor=f"api:{found.name}", action="refused", detail=f"{request.path}: needs scope {scope}")
            raise Refused(403, scope)
        return f"api:{found.name}"

    @bp.get("/cases")
    async def cases(request: Request) -> HTTPResponse:
        states = request.args.getlist("state") or None
        priority = request.args.get("priority")
        if states and any(s not in CASE_STATES for s in states) or priority and priority not in PRIORITIES:
            return _error(400, f"state is one of {', '.join(CASE_STATES)}; priority one of {', '.join(PRIORITIES)}")
        try:
            limit = max(1, min(MAX_LIMIT, int(request.args.get("limit", "200"))))
        except ValueError:
            return _error(400, "limit must be a number")

        def work(session: Session) -> list[dict[str, Any]]:
            actor = caller(session, request, "cases")
            found = list_cases(session, states=states, priority=priority, area=request.args.get("area"), limit=limit)
            audit.record(session, actor=actor, action="listed", detail=f"{len(found)} cases")
            return [summary_json(c) for c in found]

        try:
            listed = await in_thread(work)
        except Refused as refused:
            return _refusal(refused)
        return response.json({"cases": listed, "count": len(listed)})

    @bp.get("/cases/<reference>")
    async def case(request: Request, reference: str) -> HTTPResponse:
        def work(session: Session) -> dict[str, Any] | None:
            actor = caller(session, request, "cases")
            try:
                return detail_json(case_detail(session, reference, viewed_by=actor))
            except UnknownCase:
                return None

        try:
            body = await in_thread(work)
        except Refused as refused:
            return _refusal(refused)
        if body is None:
            return _error(404, f"no case {reference}")
        return response.json(body)

    @bp.get("/outcomes")
    async def outcomes(request: Request) -> HTTPResponse:
        try:
            period = period_from(request.args.get("from"), request.args.get("to"), today=datetime.now(zone).date(), zone=zone)
        except PeriodError as problem:
            return _error(400, str(problem))

        def work(session: Session) -> dict[str, Any]:
            return outcomes_json(api_outcomes(session, actor=caller(session, request, "outcomes"), period=period))

        try:
            found = await in_thread(work)
        except Refused as refused:
            return _refusal(refused)
        return response.json(found)

    return bp
