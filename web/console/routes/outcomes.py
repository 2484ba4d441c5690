"""The outcomes dashboard (managers): /console/outcomes for a period's figures with charts,
/console/outcomes.csv for the same figures as a spreadsheet. casework.outcomes.dashboard checks the manager and
counts; dates are typed in UK order (web.console.pages.typed_days).
"""
from __future__ import annotations

from datetime import timedelta

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from casework.cases.caseload import require_manager
from casework.console.access import ConsoleUser
from casework.loneliness.scale import HIGHEST, LOWEST
from casework.outcomes import MAX_DAYS, Outcomes, PeriodError, period_from
from casework.outcomes.dashboard import manager_outcomes
from web.console import charts
from web.console.outcomes_csv import csv_filename, outcomes_csv
from web.console.pages import typed_days
from web.console.routes.base import Console
from web.guard import CONSOLE, secure_headers

__all__ = ["add_outcomes"]

QUICK_WEEKS = (4, 12, 52)
WEEK_CHARTS = ("residents", "suggestions", "cases_opened", "doors_knocked")
AREA_CHARTS = ("cases_opened", "reports", "doors_knocked")
# A loneliness score is 3-9, so a change is -6 to +6: every column drawn, so charts of two periods compare.
CHANGES = range(-(HIGHEST - LOWEST), HIGHEST - LOWEST + 1)


def _charts(found: Outcomes) -> tuple[dict[str, charts.Chart], dict[str, charts.Chart]]:
    """The dashboard's charts: some figures week by week, some area by area ("" for an area not known)."""
    weeks = {name: charts.columns([(f"{w.starts.day} {w.starts:%b}", getattr(w.figures, name) or 0) for w in found.weeks])
             for name in WEEK_CHARTS}
    areas = {name: charts.rows([(a.area or "", getattr(a.figures, name) or 0) for a in found.areas]) for name in AREA_CHARTS}
    return weeks, areas


def _change_chart(found: Outcomes) -> charts.Chart:
    """How many people had each change in loneliness score, from most improved (left) to most worsened."""
    people = dict(found.loneliness_change.people)
    return charts.columns([(f"{change:+d}" if change else "0", people.get(change, 0)) for change in CHANGES])


def change_words(change: int) -> str:
    """A change in score as the table beside the chart says it."""
    if change == 0:
        return "0, no change"
    return f"{change:+d}, {'less' if change < 0 else 'more'} lonely"


def add_outcomes(console: Console) -> None:
    pages = console.pages

    async def read_outcomes(request: Request, how: str) -> tuple[ConsoleUser, Outcomes | None, dict[str, str], dict[str, str]]:
        """(user, the outcomes or None, the dates as typed, problems per date field)."""
        typed = {"from": (request.args.get("from") or "").strip()[:20], "to": (request.args.get("to") or "").strip()[:20]}
        try:
            period = period_from(*typed_days(typed, "from", "to"), today=pages.today(), zone=pages.zone)
        except PeriodError as problem:
            def check(session: Session, user: ConsoleUser) -> None:
                require_manager(session, user.connector_id)
            user, _ = await console.as_user(request, check)
            return user, None, typed, getattr(problem, "problems", {problem.field: problem.code})
        user, found = await console.as_user(request, lambda session, user: manager_outcomes(
            session, connector_id=user.connector_id, period=period, how=how))
        return user, found, typed, {}

    def dashboard(request: Request, user: ConsoleUser, found: Outcomes | None, typed: dict[str, str],
                  errors: dict[str, str]) -> HTTPResponse:
        today = pages.today()
        monday = today - timedelta(days=today.weekday())
        quick = [(weeks, (monday - timedelta(weeks=weeks - 1)).isoformat(), today.isoformat()) for weeks in QUICK_WEEKS]
        if errors or found is None:
            return console.page("outcomes.html", user, request, status=400, nav="outcomes", found=None, values=typed, errors=errors,
                                quick=quick, max_days=MAX_DAYS)
        week_charts, area_charts = _charts(found)
        values = {"from": pages.input_day(found.period.start), "to": pages.input_day(found.period.end)}
        return console.page("outcomes.html", user, request, nav="outcomes", found=found, values=values, errors={}, quick=quick,
                            max_days=MAX_DAYS, week_charts=week_charts, area_charts=area_charts, change_chart=_change_chart(found),
                            change_labels=[change_words(change) for change in CHANGES])

    @console.get("/outcomes")
    async def outcomes_page(request: Request) -> HTTPResponse:
        return dashboard(request, *await read_outcomes(request, "dashboard"))

    @console.get("/outcomes.csv")
    async def outcomes_csv_file(request: Request) -> HTTPResponse:
        user, found, typed, errors = await read_outcomes(request, "csv")
        if errors or found is None:
            return dashboard(request, user, None, typed, errors)
        reply = response.text(outcomes_csv(found), content_type="text/csv; charset=utf-8",
                              headers={"Content-Disposition": f'attachment; filename="{csv_filename(found)}"'})
        return secure_headers(reply, CONSOLE)
