"""The public report form: GET /report shows it, POST /report opens a case and shows its reference.

For neighbours, shop workers and volunteers worried about someone. No login and no JavaScript: a plain
HTML form, rendered on the server under the header saying who runs the service (web.service_header).
web/templates/report_*.html hold every word but the answers' (casework.cases.reports.ANSWER_WORDS, so the
case shows each choice in the words it was offered in). A mistake shows the form again with what was
typed and the error beside the field. POSTs must come from our own origin (web.guard);
each new report is rate-limited per address (REPORT_RATE_LIMIT: every report alerts a connector). A
form sent twice (a double click, a refresh of the result page) opens one case: the page carries a
random form id, and the result of each recent id is kept.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from casework.cases.opening import CaseworkError
from casework.cases.reports import ANSWER_WORDS, PickUpBy, check_reporter_contact, open_report, pick_up_by
from casework.safety.numbers import SAFETY_NUMBERS
from channels.rate_limit import limiter_for
from service.database import DatabaseThreads
from service.settings import Settings
from web.guard import FORM, client_address, new_nonce, same_origin, secure_headers
from web.report_form import CHOICES, FIELDS, LENGTHS, FormReading, read_report_form
from web.service_header import service_header

__all__ = ["report_blueprint", "ReportSent", "RecentReports"]

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
# Long enough to be unguessable, short enough to sit in a hidden field.
_FORM_ID_BYTES = 18
_FORM_ID_MAX = 32  # "report-form:" + the id is the reason's message id (64 characters at most)


@dataclass(frozen=True)
class ReportSent:
    reference: str
    priority: str
    pick_up: PickUpBy | None  # None: nobody could be alerted yet, so the page promises no time
    told_by: str | None  # "sms" | "email" when the reporter asked to hear when it is closed


class RecentReports:
    """The result of each recently sent form id, so the same form sent again opens no second case.

    Two copies arriving together (a double click) share one attempt; a failed attempt is forgotten
    so the reporter can send it again. Shared by the web replicas through REDIS_URL when set (channels.rate_limit).
    """

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._results: OrderedDict[str, asyncio.Future[ReportSent]] = OrderedDict()

    def known(self, form_id: str) -> bool:
        return form_id in self._results

    async def once(self, form_id: str, send: Callable[[], Awaitable[ReportSent]]) -> ReportSent:
        attempt = self._results.get(form_id)
        if attempt is None:
            attempt = asyncio.ensure_future(send())
            self._results[form_id] = attempt
            attempt.add_done_callback(lambda done: self._forget_failure(form_id, done))
            while len(self._results) > self.size:
                self._results.popitem(last=False)
        return await asyncio.shield(attempt)

    def _forget_failure(self, form_id: str, done: asyncio.Future[ReportSent]) -> None:
        if (done.cancelled() or done.exception() is not None) and self._results.get(form_id) is done:
            del self._results[form_id]


def _templates() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _new_form_id() -> str:
    return secrets.token_urlsafe(_FORM_ID_BYTES)


def _form_id(given: str | None) -> str:
    given = (given or "").strip()
    ok = 16 <= len(given) <= _FORM_ID_MAX and all(ch.isalnum() or ch in "-_" for ch in given)
    return given if ok else _new_form_id()


def report_blueprint(settings: Settings, sessions: sessionmaker, database: DatabaseThreads) -> Blueprint:
    bp = Blueprint("report")
    templates = _templates()
    limiter = limiter_for(settings, settings.report_rate_limit, name="report")
    recent = RecentReports()
    header = service_header(settings)

    def page(template: str, status: int = 200, headers: dict[str, str] | None = None, **values: Any) -> HTTPResponse:
        nonce = new_nonce()
        body = templates.get_template(template).render(numbers=SAFETY_NUMBERS, nonce=nonce, choices=CHOICES, answers=ANSWER_WORDS,
                                                       lengths=LENGTHS, service=header, **values)
        # No script at all; never cached (the form is shown again with what was typed, the result names a case).
        return secure_headers(response.html(body, status=status, headers=headers), FORM, nonce=nonce)

    def form(reading: FormReading | None, *, form_id: str, status: int = 200, problem: str | None = None,
             headers: dict[str, str] | None = None) -> HTTPResponse:
        values = reading.values if reading else dict.fromkeys(FIELDS, "")
        errors = reading.errors if reading else {}
        return page("report_form.html", status, headers, values=values, errors=errors, problem=problem, form_id=form_id)

    def send(reading: FormReading, form_id: str) -> ReportSent:
        details = reading.details(message_id=f"report-form:{form_id}")
        with sessions.begin() as session:
            opened = open_report(session, report=details, settings=settings, actor="report_form")
        told_by = check_reporter_contact(details.reporter_contact or "") if details.notify_on_close else None
        return ReportSent(opened.reference, opened.priority, pick_up_by(opened, settings), told_by)

    @bp.get("/report")
    async def blank(_: Request) -> HTTPResponse:
        return form(None, form_id=_new_form_id())

    @bp.post("/report")
    async def sent(request: Request) -> HTTPResponse:
        fields = {name: request.form.get(name, "") for name in request.form}
        reading = read_report_form(fields)
        form_id = _form_id(request.form.get("form_id"))
        if not same_origin(request, settings):
            return form(reading, form_id=form_id, status=403, problem="origin")
        if not reading.ok:
            return form(reading, form_id=form_id, status=400)
        if not recent.known(form_id) and (wait := await limiter.take(client_address(request, settings))):
            retry = limiter.retry_after(wait)
            return form(reading, form_id=form_id, status=429, problem="rate_limited", headers={"Retry-After": retry})
        try:
            result = await recent.once(form_id, lambda: database.run(send, reading, form_id))
        except SQLAlchemyError:
            logger.exception("a report from the web form could not be saved")
            return form(reading, form_id=form_id, status=503, problem="not_saved")
        except CaseworkError as refused:
            # read_report_form checks what casework checks; reaching this is a bug, not the reporter's mistake.
            logger.error("casework refused a checked report: %s", refused)
            return form(reading, form_id=form_id, status=500, problem="not_saved")
        logger.info("report %s opened from the web form (%s)", result.reference, result.priority)
        return page("report_sent.html", sent=result)

    return bp
