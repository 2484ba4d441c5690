"""The connectors' console under /console/: sign-in, my queue, a case and its actions, door-knocks, and the manager's
pages (the outcomes dashboard among them).

Server-rendered HTML and plain forms (no JavaScript). Every page and action is one trip to a
database thread (service.database.DatabaseThreads), never database work on the event loop: the
session check and the casework call run in one transaction there. What is read and changed goes
through casework (casework.caseload, casework.lifecycle, casework.acknowledgement, casework.team),
which writes the audit trail. A successful action redirects (303) back to its page with a notice;
a refused one shows the page again with the reason.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.acknowledgement import acknowledge_case
from casework.alert_settings import alert_settings
from casework.case_models import CASE_STATES, OPEN_CASE_STATES, PRIORITIES, ROLES
from casework.caseload import (
    Access,
    NotAllowed,
    all_cases,
    my_queue,
    open_case_file,
    overdue_alerts,
    require,
    require_manager,
)
from casework.cases import CaseworkError, UnknownCase
from casework.connectors import ConnectorError, list_connectors
from casework.console_access import ConsoleUser, current_user, sign_in, sign_out
from casework.console_settings import console_settings
from casework.dashboard import manager_outcomes
from casework.doorknocks import COUNTS, MAX_COUNT, DoorKnockInvalid, home_district, log_door_knock, read_door_knock, recent_door_knocks
from casework.identity import InvalidPhoneNumber, normalise_uk_number, sms_sender_ids
from casework.lifecycle import OUTCOMES, WrongState, add_note, assign_case, close_case, plan_visit, record_visit
from casework.outcomes import MAX_DAYS, Outcomes, PeriodError, period_from
from casework.reports import ANSWER_WORDS
from casework.subject_access import subject_access
from casework.team import add_member, add_rota_shift, remove_rota_shift, rota, set_member_active, team
from channels.client import client_address
from service.database import DatabaseThreads
from service.erasure import ErasureReport, erase_senders, tracker_urls_for
from service.settings import Settings
from service.subject_access import conversation, render_html, to_json
from service.subject_access import export as subject_export
from web.console import charts
from web.console.guard import (
    LOGIN_COOKIE,
    SESSION_COOKIE,
    clear_cookie,
    new_login_token,
    same_origin,
    secure_headers,
    set_cookie,
    token_matches,
)
from web.console.outcomes_csv import csv_filename, outcomes_csv
from web.console.pages import STATIC, Pages, typed_days

__all__ = ["console_blueprint"]

T = TypeVar("T")
CASE_ACTIONS = ("acknowledge", "assign", "plan", "visit", "note", "close")
ACTING = ("assign", "plan", "visit", "close")  # need casework.caseload.Access.may_act; the rest may_see
NOTE_LIMIT = 4000
DOOR_KNOCK_FIELDS = ("held_on", "area", "streets", *COUNTS, "notes")
AUDIT_SHOWN = 200
QUICK_WEEKS = (4, 12, 52)
WEEK_CHARTS = ("residents", "suggestions", "cases_opened", "doors_knocked")
AREA_CHARTS = ("cases_opened", "reports", "doors_knocked")


@dataclass(frozen=True)
class _Refused:
    reason: str


def _safe_next(target: str | None) -> str:
    """Where to go after signing in: only somewhere inside the console (never another site)."""
    if target and target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console/queue"


def _visible_case(session: Session, *, reference: str, connector_id: int) -> Access | None:
    """What the connector may do with the case, or None both when there is no such case and when it is
    not theirs to see (casework.caseload's rule, the one the SMS ACK follows).

    The console answers the two alike, the same page with the same status (404): a "not allowed" for a
    case that exists would tell anyone signed in which references are real, and so that someone in that
    area was in crisis. The refusal is still in the audit trail (`require` records it, and the
    transaction commits).
    """
    try:
        return require(session, reference=reference, connector_id=connector_id)
    except (UnknownCase, NotAllowed):
        return None


def _see_other(location: str) -> HTTPResponse:
    return secure_headers(response.redirect(location, status=303))


def _charts(found: Outcomes) -> tuple[dict[str, charts.Chart], dict[str, charts.Chart]]:
    """The dashboard's charts: some figures week by week, some area by area ("" for an area not known)."""
    weeks = {name: charts.columns([(f"{w.starts.day} {w.starts:%b}", getattr(w.figures, name) or 0) for w in found.weeks])
             for name in WEEK_CHARTS}
    areas = {name: charts.rows([(a.area or "", getattr(a.figures, name) or 0) for a in found.areas]) for name in AREA_CHARTS}
    return weeks, areas


def console_blueprint(settings: Settings, sessions: sessionmaker, database: DatabaseThreads) -> Blueprint:
    bp = Blueprint("console", url_prefix="/console")
    bp.static("/static", str(STATIC), name="console_static")
    pages = Pages(alert_settings(settings).working_hours.zone)
    # Sign-ins run scrypt (0.4 s of a core and 128 MiB each) on threads of their own: a burst of them
    # must not take the shared database threads the intake answers residents with.
    sign_ins = DatabaseThreads(workers=2)
    session_seconds = int(console_settings(settings).session_lifetime.total_seconds())

    async def in_db(work: Callable[[Session], T]) -> T:
        def run() -> T:
            with sessions.begin() as session:
                return work(session)
        return await database.run(run)

    async def as_user(request: Request, work: Callable[[Session, ConsoleUser], T], *, posted: bool = False
                      ) -> tuple[ConsoleUser | None, T | _Refused | None]:
        """Run `work` for the signed-in connector, in one transaction with the session check.

        (None, None): nobody is signed in. (user, _Refused): a POST without the session's CSRF token,
        or casework said this connector may not do it.
        """
        token = request.cookies.get(SESSION_COOKIE)
        given = request.form.get("csrf") if posted else None

        def run(session: Session) -> tuple[ConsoleUser | None, T | _Refused | None]:
            user = current_user(session, token=token, settings=settings)
            if user is None:
                return None, None
            if posted and not token_matches(user.csrf_token, given):
                return user, _Refused("csrf")
            try:
                return user, work(session, user)
            except NotAllowed as refused:  # committed: the refusal is in the audit trail
                return user, _Refused(str(refused))
        return await in_db(run)

    def to_login(request: Request, back_to: str | None = None) -> HTTPResponse:
        """To the sign-in page, and back afterwards: to this page, or for a form posted, to the page it was on."""
        target = back_to or request.path + (f"?{request.query_string}" if request.query_string else "")
        return _see_other("/console/login?" + urlencode({"next": target}))

    def page(template: str, user: ConsoleUser | None, request: Request, *, status: int = 200, **values: Any) -> HTTPResponse:
        values.setdefault("nav", "")
        values.setdefault("done", request.args.get("done"))
        values.setdefault("problem", None)
        values.setdefault("problem_detail", None)
        return pages.render(template, status=status, user=user, **values)

    def after_post(request: Request, user: ConsoleUser | None, done: object, back: str, done_word: str) -> HTTPResponse:
        """What a console form's POST answers: sign in first, not allowed, or back to the page saying what was done."""
        if user is None:
            return to_login(request, back)
        if isinstance(done, _Refused):
            return refused(user, request, done.reason)
        return _see_other(f"{back}?done={done_word}")

    def refused(user: ConsoleUser | None, request: Request, reason: str) -> HTTPResponse:
        if reason == "csrf":
            return page("refused.html", user, request, status=403, why="csrf")
        return page("refused.html", user, request, status=403, why="not_allowed")

    def not_found(user: ConsoleUser | None, request: Request) -> HTTPResponse:
        return page("not_found.html", user, request, status=404)

    # --- signing in and out ------------------------------------------------------------------
    def login_page(request: Request, *, status: int = 200, problem: str | None = None, phone: str = "",
                   locked_until: Any = None) -> HTTPResponse:
        login_token = new_login_token()
        reply = page("login.html", None, request, status=status, login_token=login_token, problem=problem, phone=phone,
                     locked_until=locked_until, next=_safe_next(request.args.get("next") or request.form.get("next")))
        set_cookie(reply, request, settings, LOGIN_COOKIE, login_token, max_age=3600)
        return reply

    @bp.get("/")
    async def home(request: Request) -> HTTPResponse:
        return _see_other("/console/queue")

    @bp.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        token = request.cookies.get(SESSION_COOKIE)
        if token and await in_db(lambda session: current_user(session, token=token, settings=settings)) is not None:
            return _see_other(_safe_next(request.args.get("next")))
        return login_page(request)

    @bp.post("/login")
    async def login(request: Request) -> HTTPResponse:
        if not same_origin(request, settings) or not token_matches(request.cookies.get(LOGIN_COOKIE), request.form.get("csrf")):
            return login_page(request, status=403, problem="form_expired")
        phone, password = (request.form.get("phone") or "").strip(), request.form.get("password") or ""
        if not phone or not password:
            return login_page(request, status=400, problem="missing", phone=phone)
        result = await sign_ins.run(sign_in, sessions, phone=phone, password=password, address=client_address(request, settings),
                                    settings=settings)
        if result.outcome == "locked":
            return login_page(request, status=429, problem="locked", phone=phone, locked_until=result.locked_until)
        if result.outcome != "signed_in" or result.token is None:
            return login_page(request, status=401, problem="locked" if result.locked_until else "refused", phone=phone,
                              locked_until=result.locked_until)
        reply = _see_other(_safe_next(request.form.get("next")))
        set_cookie(reply, request, settings, SESSION_COOKIE, result.token, max_age=session_seconds)
        clear_cookie(reply, request, settings, LOGIN_COOKIE)
        return reply

    @bp.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        if not same_origin(request, settings):
            return refused(None, request, "csrf")
        user, outcome = await as_user(request, lambda session, _user: sign_out(session, token=request.cookies.get(SESSION_COOKIE)),
                                      posted=True)
        if isinstance(outcome, _Refused):
            return refused(user, request, outcome.reason)
        reply = _see_other("/console/login?done=signed_out")
        clear_cookie(reply, request, settings, SESSION_COOKIE)
        return reply

    # --- a connector's own pages -------------------------------------------------------------
    @bp.get("/queue")
    async def queue(request: Request) -> HTTPResponse:
        user, cases = await as_user(request, lambda session, user: my_queue(session, connector_id=user.connector_id))
        if user is None:
            return to_login(request)
        if isinstance(cases, _Refused):
            return refused(user, request, cases.reason)
        return page("queue.html", user, request, nav="queue", cases=cases)

    async def show_case(request: Request, reference: str, *, status: int = 200, problem: str | None = None,
                        problem_detail: str | None = None) -> HTTPResponse:
        def load(session: Session, user: ConsoleUser) -> tuple[Any, Any, list] | None:
            try:
                file, allowed = open_case_file(session, reference=reference, connector_id=user.connector_id, settings=settings)
            except (UnknownCase, NotAllowed):  # not theirs to see reads as no such case (see _visible_case)
                return None
            people = list_connectors(session, active_only=True)
            return file, allowed, people

        user, found = await as_user(request, load)
        if user is None:
            return to_login(request, f"/console/cases/{quote(reference)}")
        if isinstance(found, _Refused):
            return refused(user, request, found.reason)
        if found is None:
            return not_found(user, request)
        file, allowed, people = found
        names = {f"connector:{p.id}": p.name for p in people}
        return page("case.html", user, request, status=status, nav="case", file=file, case=file.detail, allowed=allowed,
                    people=people, names=names, outcomes=OUTCOMES, answers=ANSWER_WORDS, problem=problem,
                    problem_detail=problem_detail)

    @bp.get("/cases/<reference:str>")
    async def case_page(request: Request, reference: str) -> HTTPResponse:
        return await show_case(request, reference)

    @bp.post("/cases/<reference:str>/<action:str>")
    async def case_action(request: Request, reference: str, action: str) -> HTTPResponse:
        if action not in CASE_ACTIONS:
            return not_found(None, request)
        if not same_origin(request, settings):
            return refused(None, request, "csrf")
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

        try:
            user, done = await as_user(request, act, posted=True)
        except UnknownCase:
            return not_found(None, request)
        except WrongState as wrong:
            return await show_case(request, reference, status=409, problem="wrong_state", problem_detail=str(wrong))
        except CaseworkError as problem:
            return await show_case(request, reference, status=400, problem="invalid", problem_detail=str(problem))
        if user is not None and done is None:
            return not_found(user, request)
        return after_post(request, user, done, f"/console/cases/{quote(reference)}", str(done))

    # --- the manager's pages -----------------------------------------------------------------
    @bp.get("/cases")
    async def cases_page(request: Request) -> HTTPResponse:
        state = request.args.get("state") or "open"
        priority = request.args.get("priority") or ""
        area = (request.args.get("area") or "").strip().upper()[:8]
        states = list(OPEN_CASE_STATES) if state == "open" else [state] if state in CASE_STATES else None
        chosen_priority = priority if priority in PRIORITIES else None

        user, cases = await as_user(request, lambda session, user: all_cases(
            session, connector_id=user.connector_id, states=states, priority=chosen_priority, area=area or None))
        if user is None:
            return to_login(request)
        if isinstance(cases, _Refused):
            return refused(user, request, cases.reason)
        return page("cases.html", user, request, nav="cases", cases=cases, states=CASE_STATES, priorities=PRIORITIES,
                    state=state if states else "all", priority=chosen_priority or "", area=area)

    @bp.get("/alerts")
    async def alerts_page(request: Request) -> HTTPResponse:
        user, alerts = await as_user(request, lambda session, user: overdue_alerts(session, connector_id=user.connector_id))
        if user is None:
            return to_login(request)
        if isinstance(alerts, _Refused):
            return refused(user, request, alerts.reason)
        return page("alerts.html", user, request, nav="alerts", alerts=alerts)

    async def show_rota(request: Request, *, status: int = 200, problem_detail: str | None = None,
                        values: dict[str, str] | None = None) -> HTTPResponse:
        user, found = await as_user(request, lambda session, user: (rota(session, by=user.connector_id),
                                                                    team(session, by=user.connector_id)))
        if user is None:
            return to_login(request)
        if isinstance(found, _Refused):
            return refused(user, request, found.reason)
        assert found is not None
        shifts, people = found
        return page("rota.html", user, request, status=status, nav="rota", shifts=shifts,
                    people=[p for p in people if p.active], problem="invalid" if problem_detail else None,
                    problem_detail=problem_detail, values=values or {})

    @bp.get("/rota")
    async def rota_page(request: Request) -> HTTPResponse:
        return await show_rota(request)

    @bp.post("/rota")
    async def rota_add(request: Request) -> HTTPResponse:
        if not same_origin(request, settings):
            return refused(None, request, "csrf")
        form = request.form
        values = {name: form.get(name) or "" for name in ("connector", "starts", "ends")}
        try:
            starts, ends, connector_id = pages.local(values["starts"]), pages.local(values["ends"]), int(values["connector"])
        except ValueError:
            return await show_rota(request, status=400, problem_detail="choose who, and when the shift starts and ends",
                                   values=values)
        try:
            user, done = await as_user(request, lambda session, user: add_rota_shift(
                session, by=user.connector_id, connector_id=connector_id, starts_at=starts, ends_at=ends), posted=True)
        except ConnectorError as problem:
            return await show_rota(request, status=400, problem_detail=str(problem), values=values)
        return after_post(request, user, done, "/console/rota", "shift_added")

    @bp.post("/rota/<shift_id:int>/remove")
    async def rota_remove(request: Request, shift_id: int) -> HTTPResponse:
        if not same_origin(request, settings):
            return refused(None, request, "csrf")
        try:
            user, done = await as_user(request, lambda session, user: remove_rota_shift(session, by=user.connector_id,
                                                                                        shift_id=shift_id), posted=True)
        except ConnectorError:
            return _see_other("/console/rota?done=shift_removed")  # already gone: the result the manager wanted
        return after_post(request, user, done, "/console/rota", "shift_removed")

    async def show_team(request: Request, *, status: int = 200, problem_detail: str | None = None,
                        values: dict[str, str] | None = None) -> HTTPResponse:
        user, people = await as_user(request, lambda session, user: team(session, by=user.connector_id))
        if user is None:
            return to_login(request)
        if isinstance(people, _Refused):
            return refused(user, request, people.reason)
        return page("connectors.html", user, request, status=status, nav="connectors", people=people, roles=ROLES,
                    problem="invalid" if problem_detail else None, problem_detail=problem_detail, values=values or {})

    @bp.get("/connectors")
    async def connectors_page(request: Request) -> HTTPResponse:
        return await show_team(request)

    @bp.post("/connectors")
    async def connectors_add(request: Request) -> HTTPResponse:
        if not same_origin(request, settings):
            return refused(None, request, "csrf")
        form = request.form
        values = {name: (form.get(name) or "").strip() for name in ("name", "phone", "email", "patch", "role")}
        try:
            user, done = await as_user(request, lambda session, user: add_member(
                session, by=user.connector_id, name=values["name"], phone=values["phone"], email=values["email"],
                patch=values["patch"], role=values["role"] or "connector", settings=settings), posted=True)
        except InvalidPhoneNumber:
            return await show_team(request, status=400, problem_detail="the mobile number is not a phone number", values=values)
        except ConnectorError as problem:
            return await show_team(request, status=400, problem_detail=str(problem), values=values)
        return after_post(request, user, done, "/console/connectors", "connector_added")

    @bp.post("/connectors/<connector_id:int>/<change:str>")
    async def connectors_change(request: Request, connector_id: int, change: str) -> HTTPResponse:
        if change not in ("deactivate", "activate"):
            return not_found(None, request)
        if not same_origin(request, settings):
            return refused(None, request, "csrf")
        try:
            user, done = await as_user(request, lambda session, user: set_member_active(
                session, by=user.connector_id, connector_id=connector_id, active=change == "activate"), posted=True)
        except ConnectorError:
            return not_found(None, request)
        return after_post(request, user, done, "/console/connectors", f"connector_{change}d")

    # --- door-knocks (every connector) -------------------------------------------------------
    async def show_door_knocks(request: Request, *, status: int = 200, values: dict[str, str] | None = None,
                               errors: dict[str, str] | None = None) -> HTTPResponse:
        def load(session: Session, user: ConsoleUser) -> tuple[str, list]:
            return (home_district(session, connector_id=user.connector_id),
                    recent_door_knocks(session, connector_id=user.connector_id, settings=settings))

        user, found = await as_user(request, load)
        if user is None:
            return to_login(request, "/console/doorknocks")
        if isinstance(found, _Refused):
            return refused(user, request, found.reason)
        assert found is not None
        district, recent = found
        today = pages.today()
        # A fresh form: today, the connector's own district, every count at 0 but the doors knocked.
        typed = values or {"held_on": today.isoformat(), "area": district, **{name: "0" for name in COUNTS[1:]}}
        return page("doorknocks.html", user, request, status=status, nav="doorknocks", recent=recent, today=today.isoformat(),
                    values={name: typed.get(name, "") for name in DOOR_KNOCK_FIELDS}, errors=errors or {}, max_count=MAX_COUNT)

    @bp.get("/doorknocks")
    async def door_knocks_page(request: Request) -> HTTPResponse:
        return await show_door_knocks(request)

    @bp.post("/doorknocks")
    async def door_knocks_add(request: Request) -> HTTPResponse:
        if not same_origin(request, settings):
            return refused(None, request, "csrf")
        values = {name: (request.form.get(name) or "")[:4000] for name in DOOR_KNOCK_FIELDS}
        today = pages.today()
        try:  # read inside the signed-in check, so a forged form is refused before it is even read
            user, done = await as_user(request, lambda session, user: log_door_knock(
                session, connector_id=user.connector_id, entry=read_door_knock(values, today=today), settings=settings),
                posted=True)
        except DoorKnockInvalid as invalid:
            return await show_door_knocks(request, status=400, values=values, errors=invalid.problems)
        return after_post(request, user, done, "/console/doorknocks", "door_knock_saved")

    # --- the outcomes dashboard (managers) -----------------------------------------------------
    async def read_outcomes(request: Request, how: str) -> tuple[ConsoleUser | None, Outcomes | _Refused | None,
                                                                  dict[str, str], dict[str, str]]:
        """(user, outcomes or a refusal or None, the dates as typed, problems per date field)."""
        typed = {"from": (request.args.get("from") or "").strip()[:20], "to": (request.args.get("to") or "").strip()[:20]}
        try:
            period = period_from(*typed_days(typed, "from", "to"), today=pages.today(), zone=pages.zone)
        except PeriodError as problem:
            def check(session: Session, user: ConsoleUser) -> None:
                require_manager(session, user.connector_id)
            user, allowed = await as_user(request, check)
            return user, allowed, typed, getattr(problem, "problems", {problem.field: problem.code})
        user, found = await as_user(request, lambda session, user: manager_outcomes(
            session, connector_id=user.connector_id, period=period, how=how))
        return user, found, typed, {}

    def dashboard(request: Request, user: ConsoleUser, found: Outcomes | None, typed: dict[str, str],
                  errors: dict[str, str]) -> HTTPResponse:
        today = pages.today()
        monday = today - timedelta(days=today.weekday())
        quick = [(weeks, (monday - timedelta(weeks=weeks - 1)).isoformat(), today.isoformat()) for weeks in QUICK_WEEKS]
        if errors or found is None:
            return page("outcomes.html", user, request, status=400, nav="outcomes", found=None, values=typed, errors=errors,
                        quick=quick, max_days=MAX_DAYS)
        week_charts, area_charts = _charts(found)
        values = {"from": pages.input_day(found.period.start), "to": pages.input_day(found.period.end)}
        return page("outcomes.html", user, request, nav="outcomes", found=found, values=values, errors={}, quick=quick,
                    max_days=MAX_DAYS, week_charts=week_charts, area_charts=area_charts)

    @bp.get("/outcomes")
    async def outcomes_page(request: Request) -> HTTPResponse:
        user, found, typed, errors = await read_outcomes(request, "dashboard")
        if user is None:
            return to_login(request)
        if isinstance(found, _Refused):
            return refused(user, request, found.reason)
        return dashboard(request, user, found, typed, errors)

    @bp.get("/outcomes.csv")
    async def outcomes_csv_file(request: Request) -> HTTPResponse:
        user, found, typed, errors = await read_outcomes(request, "csv")
        if user is None:
            return to_login(request)
        if isinstance(found, _Refused):
            return refused(user, request, found.reason)
        if errors or found is None:
            return dashboard(request, user, None, typed, errors)
        reply = response.text(outcomes_csv(found), content_type="text/csv; charset=utf-8",
                              headers={"Content-Disposition": f'attachment; filename="{csv_filename(found)}"'})
        return secure_headers(reply)

    # --- a resident's data: subject access and erasure; the audit log (managers) -------------
    def _manager(session: Session, user: ConsoleUser) -> bool:
        require_manager(session, user.connector_id)
        return True

    @bp.get("/audit")
    async def audit_page(request: Request) -> HTTPResponse:
        reference = (request.args.get("reference") or "").strip().upper()[:20] or None

        def load(session: Session, user: ConsoleUser) -> list[audit.DescribedEntry]:
            require_manager(session, user.connector_id)
            return audit.described(session, audit.recent(session, limit=AUDIT_SHOWN, case_reference=reference))

        user, events = await as_user(request, load)
        if user is None:
            return to_login(request)
        if isinstance(events, _Refused):
            return refused(user, request, events.reason)
        return page("audit.html", user, request, nav="audit", events=events, reference=reference, limit=AUDIT_SHOWN)

    @bp.get("/residents")
    async def residents_page(request: Request) -> HTTPResponse:
        user, allowed = await as_user(request, _manager)
        if user is None:
            return to_login(request)
        if isinstance(allowed, _Refused):
            return refused(user, request, allowed.reason)
        return page("residents.html", user, request, nav="residents", erased=None)

    async def resident_request(request: Request) -> tuple[ConsoleUser | None, HTTPResponse | None, list[str], str]:
        """The signed-in manager and the resident's sender ids from the posted number, or the page to show instead."""
        if not same_origin(request, settings):
            return None, refused(None, request, "csrf"), [], ""
        user, allowed = await as_user(request, _manager, posted=True)
        if user is None:
            return None, to_login(request, "/console/residents"), [], ""
        if isinstance(allowed, _Refused):
            return user, refused(user, request, allowed.reason), [], ""
        try:
            number = normalise_uk_number(request.form.get("phone") or "")
        except InvalidPhoneNumber:
            return user, page("residents.html", user, request, status=400, nav="residents", erased=None,
                              problem_detail="That is not a phone number."), [], ""
        return user, None, list(sms_sender_ids(number, settings)), number

    @bp.post("/residents/export")
    async def residents_export(request: Request) -> HTTPResponse:
        user, shown, sender_ids, number = await resident_request(request)
        if shown is not None or user is None:
            return shown or to_login(request)
        # Its own transactions, after the manager's check has committed (SQLite has one writer at a time).
        found = await database.run(lambda: subject_export(sessions, settings, sender_ids, numbers=[number],
                                                          requested_by=audit.connector_actor(user.connector_id)))
        if not found.found:
            return page("residents.html", user, request, status=404, nav="residents", erased=None,
                        problem_detail="We hold nothing about that number.")
        as_json = request.form.get("format") == "json"
        body = to_json(found) if as_json else render_html(found)
        name = f"subject-access-{found.held.generated_at:%Y%m%d-%H%M%S}.{'json' if as_json else 'html'}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
        download = response.text(body, content_type="application/json" if as_json else "text/html; charset=utf-8", headers=headers)
        secure_headers(download)
        return download

    @bp.post("/residents/erase")
    async def residents_erase(request: Request) -> HTTPResponse:
        user, shown, sender_ids, number = await resident_request(request)
        if shown is not None or user is None:
            return shown or to_login(request)
        if (request.form.get("confirm") or "").strip().upper() != "ERASE":
            return page("residents.html", user, request, status=400, nav="residents", erased=None,
                        problem_detail="Type ERASE in the box to confirm. Nothing was erased.")
        # Its own transactions and files (Rasa's stores too), after the manager's check has committed.
        report = await database.run(lambda: erase_if_held(sender_ids, number, audit.connector_actor(user.connector_id)))
        if report is None:
            return page("residents.html", user, request, status=404, nav="residents", erased=None,
                        problem_detail="We hold nothing about that number. Nothing was erased.")
        return page("residents.html", user, request, nav="residents", erased={"reference": report.reference, "lines": report.lines()})

    def erase_if_held(sender_ids: list[str], number: str, requested_by: str) -> ErasureReport | None:
        """Erase the resident under every sender id their number has, as the CLI does: the current
        PHONE_HASH_KEY's and each PHONE_HASH_KEY_PREVIOUS one's (`sms_sender_ids`), since during a key
        rotation what they sent before it is still under an old one. None, with nothing erased and no
        erasure reference made, when nothing is held under any of them, judged as the export judges it
        (the database and Rasa's conversation), so the two pages agree; that look-up is audited too.
        """
        with sessions() as session:
            held = subject_access(session, sender_ids, settings=settings, numbers=[number]).found
        if held or conversation(sender_ids, sessions.kw["bind"], tracker_urls_for(settings)):
            return erase_senders(sender_ids, settings, requested_by=requested_by, reason="console request", numbers=[number],
                                 sessions=sessions)
        with sessions.begin() as session:
            audit.record(session, actor=requested_by, action="nothing_to_erase",
                         detail="console request: nothing held under that number, nothing erased")
        return None

    return bp
