"""A resident's data and the audit log (managers): /console/residents gives everything held about a
phone number (subject access, as HTML or JSON) or erases it; /console/audit shows who did what.

The export and the erasure are jobs of their own (jobs.subject_access, jobs.erasure) that span the
database and Rasa's stores; each runs in its own transactions after the manager's check has committed.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.caseload import require_manager
from casework.console.access import ConsoleUser
from casework.privacy.subject_access import subject_access
from casework.residents.identity import InvalidPhoneNumber, normalise_uk_number, sms_sender_ids
from jobs.erasure import ErasureReport, erase_senders, tracker_urls_for
from jobs.subject_access import conversation, render_html, to_json
from jobs.subject_access import export as subject_export
from web.console.routes.base import Console
from web.guard import CONSOLE, secure_headers

__all__ = ["add_residents"]

AUDIT_SHOWN = 200
PAGE = "/console/residents"


def _manager(session: Session, user: ConsoleUser) -> bool:
    require_manager(session, user.connector_id)
    return True


def add_residents(console: Console) -> None:
    settings, sessions, database = console.settings, console.sessions, console.database

    @console.get("/audit")
    async def audit_page(request: Request) -> HTTPResponse:
        reference = (request.args.get("reference") or "").strip().upper()[:20] or None

        def load(session: Session, user: ConsoleUser) -> list[audit.DescribedEntry]:
            require_manager(session, user.connector_id)
            return audit.described(session, audit.recent(session, limit=AUDIT_SHOWN, case_reference=reference))

        user, events = await console.as_user(request, load)
        return console.page("audit.html", user, request, nav="audit", events=events, reference=reference, limit=AUDIT_SHOWN)

    @console.get("/residents")
    async def residents_page(request: Request) -> HTTPResponse:
        user, _ = await console.as_user(request, _manager)
        return residents(request, user)

    def residents(request: Request, user: ConsoleUser, *, status: int = 200, problem: str | None = None) -> HTTPResponse:
        return console.page("residents.html", user, request, status=status, nav="residents", erased=None, problem_detail=problem)

    async def for_resident(request: Request, then: Callable[[Request, ConsoleUser, list[str], str], Awaitable[HTTPResponse]]
                           ) -> HTTPResponse:
        """`then` for the signed-in manager, with the sender ids and the number of the resident named in the
        posted form; the page again (400) when it names no phone number."""
        user, _ = await console.as_user(request, _manager, posted=True, back=PAGE)
        try:
            number = normalise_uk_number(request.form.get("phone") or "")
        except InvalidPhoneNumber:
            return residents(request, user, status=400, problem="That is not a phone number.")
        return await then(request, user, list(sms_sender_ids(number, settings)), number)

    @console.post("/residents/export")
    async def residents_export(request: Request) -> HTTPResponse:
        return await for_resident(request, export)

    @console.post("/residents/erase")
    async def residents_erase(request: Request) -> HTTPResponse:
        return await for_resident(request, erase)

    async def export(request: Request, user: ConsoleUser, sender_ids: list[str], number: str) -> HTTPResponse:
        # Its own transactions, after the manager's check has committed (SQLite has one writer at a time).
        found = await database.run(lambda: subject_export(sessions, settings, sender_ids, numbers=[number],
                                                          requested_by=audit.connector_actor(user.connector_id)))
        if not found.found:
            return residents(request, user, status=404, problem="We hold nothing about that number.")
        as_json = request.form.get("format") == "json"
        body = to_json(found) if as_json else render_html(found)
        name = f"subject-access-{found.held.generated_at:%Y%m%d-%H%M%S}.{'json' if as_json else 'html'}"
        download = response.text(body, content_type="application/json" if as_json else "text/html; charset=utf-8",
                                 headers={"Content-Disposition": f'attachment; filename="{name}"'})
        return secure_headers(download, CONSOLE)  # never cached, like every console page

    async def erase(request: Request, user: ConsoleUser, sender_ids: list[str], number: str) -> HTTPResponse:
        if (request.form.get("confirm") or "").strip().upper() != "ERASE":
            return residents(request, user, status=400, problem="Type ERASE in the box to confirm. Nothing was erased.")
        # Its own transactions and files (Rasa's stores too), after the manager's check has committed.
        report = await database.run(lambda: erase_if_held(sender_ids, number, audit.connector_actor(user.connector_id)))
        if report is None:
            return residents(request, user, status=404, problem="We hold nothing about that number. Nothing was erased.")
        return console.page("residents.html", user, request, nav="residents", erased={"reference": report.reference, "lines": report.lines()})

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
