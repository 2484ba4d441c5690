"""The public "add a group you run" form: GET /groups/new shows it, POST /groups/new keeps the proposal
(casework.proposed_groups) and shows its reference. /groups/change/<token> is the same form, filled in,
behind the private link a connector's "ask for changes" sent the proposer.

As /report (web.report): no login and no script, under the header saying who runs the service; a
mistake shows the form again with what was typed and the error beside the field; POSTs must come from our
own origin (web.guard); each new proposal is rate-limited per address (GROUP_RATE_LIMIT: each one tells a
connector); the same form sent twice is one proposal (its random form id, kept on the proposal).
Nothing typed here is shown anywhere public until a connector approves it.
"""
from __future__ import annotations

import logging
import secrets
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from casework.cases.opening import CaseworkError
from casework.proposed_groups.proposals import GroupProposed, change_proposal, proposal_for_change, propose_group
from casework.safety.numbers import SAFETY_NUMBERS
from channels.rate_limit import limiter_for
from service.database import DatabaseThreads
from service.settings import Settings
from web.group_form import CHOICES, DAYS, FIELDS, LENGTHS, GroupReading, read_group_form, values_of
from web.guard import FORM, client_address, new_nonce, same_origin, secure_headers
from web.service_header import service_header

__all__ = ["groups_blueprint"]

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).parent / "templates"
_FORM_ID_BYTES = 18
_FORM_ID_MAX = 32


def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True)


def _form_id(given: str | None) -> str:
    given = (given or "").strip()
    ok = 16 <= len(given) <= _FORM_ID_MAX and all(ch.isalnum() or ch in "-_" for ch in given)
    return given if ok else secrets.token_urlsafe(_FORM_ID_BYTES)


def _blank() -> dict[str, object]:
    values: dict[str, object] = dict.fromkeys(FIELDS, "")
    values["days"] = []
    values["frequency"] = "weekly"
    return values


def groups_blueprint(settings: Settings, sessions: sessionmaker, database: DatabaseThreads) -> Blueprint:
    bp = Blueprint("groups")
    templates = _templates()
    limiter = limiter_for(settings, settings.value("GROUP_RATE_LIMIT", "3,5"), name="groups")
    header = service_header(settings)

    def page(template: str, status: int = 200, headers: dict[str, str] | None = None, **values: Any) -> HTTPResponse:
        nonce = new_nonce()
        body = templates.get_template(template).render(numbers=SAFETY_NUMBERS, nonce=nonce, choices=CHOICES, days=DAYS,
                                                       lengths=LENGTHS, service=header, **values)
        return secure_headers(response.html(body, status=status, headers=headers), FORM, nonce=nonce)

    def form(values: dict[str, object], errors: dict[str, str], *, action: str, form_id: str = "", note: str = "",
             status: int = 200, problem: str | None = None, headers: dict[str, str] | None = None) -> HTTPResponse:
        return page("group_form.html", status, headers, values=values, errors=errors, problem=problem, form_id=form_id, action=action,
                    note=note)

    def reading_of(request: Request) -> GroupReading:
        fields = {name: request.form.get(name, "") for name in request.form}
        return read_group_form(fields, request.form.getlist("days") or [])

    @bp.get("/groups/new")
    async def blank(_: Request) -> HTTPResponse:
        return form(_blank(), {}, action="/groups/new", form_id=secrets.token_urlsafe(_FORM_ID_BYTES))

    @bp.post("/groups/new")
    async def proposed(request: Request) -> HTTPResponse:
        reading = reading_of(request)
        form_id = _form_id(request.form.get("form_id"))
        action = "/groups/new"
        if not same_origin(request, settings):
            return form(reading.values, reading.errors, action=action, form_id=form_id, status=403, problem="origin")
        if not reading.ok:
            return form(reading.values, reading.errors, action=action, form_id=form_id, status=400)
        if wait := await limiter.take(client_address(request, settings)):
            return form(reading.values, {}, action=action, form_id=form_id, status=429, problem="rate_limited",
                        headers={"Retry-After": limiter.retry_after(wait)})

        def keep() -> GroupProposed:
            with sessions.begin() as session:
                return propose_group(session, listing=reading.listing(), proposer=reading.proposer(), settings=settings, form_id=form_id)

        try:
            result = await database.run(keep)
        except SQLAlchemyError:
            logger.exception("a group proposed on the web form could not be saved")
            return form(reading.values, {}, action=action, form_id=form_id, status=503, problem="not_saved")
        except CaseworkError as refused:
            # read_group_form checks what casework checks; reaching this is a bug, not the proposer's mistake.
            logger.error("casework refused a checked group: %s", refused)
            return form(reading.values, {}, action=action, form_id=form_id, status=500, problem="not_saved")
        logger.info("group %s proposed from the web form", result.reference)
        return page("group_sent.html", reference=result.reference, changed=False)

    async def for_change(token: str) -> tuple[str, dict[str, object], str] | None:
        def read() -> tuple[str, dict[str, object], str] | None:
            with sessions() as session:
                found = proposal_for_change(session, token=token, settings=settings)
            return None if found is None else (found.reference, values_of(found.listing, found.proposer), found.note)
        return await database.run(read)

    @bp.get("/groups/change/<token:str>")
    async def change_page(_: Request, token: str) -> HTTPResponse:
        found = await for_change(token)
        if found is None:
            return page("group_link_gone.html", status=404)
        _reference, values, note = found
        return form(values, {}, action=f"/groups/change/{token}", note=note)

    @bp.post("/groups/change/<token:str>")
    async def changed(request: Request, token: str) -> HTTPResponse:
        reading = reading_of(request)
        action = f"/groups/change/{token}"
        if not same_origin(request, settings):
            return form(reading.values, reading.errors, action=action, status=403, problem="origin")
        if not reading.ok:
            found = await for_change(token)
            return form(reading.values, reading.errors, action=action, note=found[2] if found else "", status=400)

        def keep() -> str | None:
            with sessions.begin() as session:
                return change_proposal(session, token=token, listing=reading.listing(), proposer=reading.proposer(), settings=settings)

        try:
            reference = await database.run(keep)
        except SQLAlchemyError:
            logger.exception("a changed group could not be saved")
            return form(reading.values, {}, action=action, status=503, problem="not_saved")
        if reference is None:
            return page("group_link_gone.html", status=404)
        logger.info("group %s changed by its proposer", reference)
        return page("group_sent.html", reference=reference, changed=True)

    return bp
