"""The manager's team pages: the rota (/console/rota: who is on call when) and the connectors
(/console/connectors: add someone, deactivate or reactivate them). casework.console.team decides and audits.
"""
from __future__ import annotations

from sanic.request import Request
from sanic.response import HTTPResponse

from casework.cases.connectors import ConnectorError
from casework.cases.models import ROLES
from casework.console.team import add_member, add_rota_shift, remove_rota_shift, rota, set_member_active, team
from casework.residents.identity import InvalidPhoneNumber
from web.console.routes.base import Console

__all__ = ["add_team"]


def add_team(console: Console) -> None:
    settings, pages = console.settings, console.pages

    # --- the rota ----------------------------------------------------------------------------------
    async def show_rota(request: Request, *, status: int = 200, problem_detail: str | None = None,
                        values: dict[str, str] | None = None) -> HTTPResponse:
        user, (shifts, people) = await console.as_user(request, lambda session, user: (rota(session, by=user.connector_id),
                                                                                       team(session, by=user.connector_id)))
        return console.page("rota.html", user, request, status=status, nav="rota", shifts=shifts,
                            people=[p for p in people if p.active], problem="invalid" if problem_detail else None,
                            problem_detail=problem_detail, values=values or {})

    @console.get("/rota")
    async def rota_page(request: Request) -> HTTPResponse:
        return await show_rota(request)

    @console.post("/rota")
    async def rota_add(request: Request) -> HTTPResponse:
        form = request.form
        values = {name: form.get(name) or "" for name in ("connector", "starts", "ends")}
        try:
            starts, ends, connector_id = pages.local(values["starts"]), pages.local(values["ends"]), int(values["connector"])
        except ValueError:
            return await show_rota(request, status=400, problem_detail="choose who, and when the shift starts and ends",
                                   values=values)
        try:
            await console.as_user(request, lambda session, user: add_rota_shift(
                session, by=user.connector_id, connector_id=connector_id, starts_at=starts, ends_at=ends), posted=True, back="/console/rota")
        except ConnectorError as problem:
            return await show_rota(request, status=400, problem_detail=str(problem), values=values)
        return console.done("/console/rota", "shift_added")

    @console.post("/rota/<shift_id:int>/remove")
    async def rota_remove(request: Request, shift_id: int) -> HTTPResponse:
        try:
            await console.as_user(request, lambda session, user: remove_rota_shift(session, by=user.connector_id, shift_id=shift_id),
                                  posted=True, back="/console/rota")
        except ConnectorError:
            pass  # already gone: the result the manager wanted
        return console.done("/console/rota", "shift_removed")

    # --- the connectors --------------------------------------------------------------------------
    async def show_team(request: Request, *, status: int = 200, problem_detail: str | None = None,
                        values: dict[str, str] | None = None) -> HTTPResponse:
        user, people = await console.as_user(request, lambda session, user: team(session, by=user.connector_id))
        return console.page("connectors.html", user, request, status=status, nav="connectors", people=people, roles=ROLES,
                            problem="invalid" if problem_detail else None, problem_detail=problem_detail, values=values or {})

    @console.get("/connectors")
    async def connectors_page(request: Request) -> HTTPResponse:
        return await show_team(request)

    @console.post("/connectors")
    async def connectors_add(request: Request) -> HTTPResponse:
        form = request.form
        values = {name: (form.get(name) or "").strip() for name in ("name", "phone", "email", "patch", "role")}
        try:
            await console.as_user(request, lambda session, user: add_member(
                session, by=user.connector_id, name=values["name"], phone=values["phone"], email=values["email"],
                patch=values["patch"], role=values["role"] or "connector", settings=settings), posted=True, back="/console/connectors")
        except InvalidPhoneNumber:
            return await show_team(request, status=400, problem_detail="the mobile number is not a phone number", values=values)
        except ConnectorError as problem:
            return await show_team(request, status=400, problem_detail=str(problem), values=values)
        return console.done("/console/connectors", "connector_added")

    @console.post("/connectors/<connector_id:int>/<change:str>", choices={"change": ("deactivate", "activate")})
    async def connectors_change(request: Request, connector_id: int, change: str) -> HTTPResponse:
        try:
            await console.as_user(request, lambda session, user: set_member_active(
                session, by=user.connector_id, connector_id=connector_id, active=change == "activate"), posted=True,
                back="/console/connectors")
        except ConnectorError:
            return console.not_found(None, request)
        return console.done("/console/connectors", f"connector_{change}d")
