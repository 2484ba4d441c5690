"""Door-knocks (/console/doorknocks, every connector): log a session of knocking on doors, and see the recent ones.

casework.outcomes.doorknocks reads and checks the typed form; a form with mistakes is shown again with what
was typed and the problem beside each field.
"""
from __future__ import annotations

from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session

from casework.console.access import ConsoleUser
from casework.outcomes.doorknocks import COUNTS, MAX_COUNT, DoorKnockInvalid, home_district, log_door_knock, read_door_knock, recent_door_knocks
from web.console.routes.base import Console

__all__ = ["add_door_knocks"]

DOOR_KNOCK_FIELDS = ("held_on", "area", "streets", *COUNTS, "notes")
PAGE = "/console/doorknocks"


def add_door_knocks(console: Console) -> None:
    settings, pages = console.settings, console.pages

    async def show_door_knocks(request: Request, *, status: int = 200, values: dict[str, str] | None = None,
                               errors: dict[str, str] | None = None) -> HTTPResponse:
        def load(session: Session, user: ConsoleUser) -> tuple[str, list]:
            return (home_district(session, connector_id=user.connector_id),
                    recent_door_knocks(session, connector_id=user.connector_id, settings=settings))

        user, (district, recent) = await console.as_user(request, load, back=PAGE)
        today = pages.today()
        # A fresh form: today, the connector's own district, every count at 0 but the doors knocked.
        typed = values or {"held_on": today.isoformat(), "area": district, **{name: "0" for name in COUNTS[1:]}}
        return console.page("doorknocks.html", user, request, status=status, nav="doorknocks", recent=recent, today=today.isoformat(),
                            values={name: typed.get(name, "") for name in DOOR_KNOCK_FIELDS}, errors=errors or {}, max_count=MAX_COUNT)

    @console.get("/doorknocks")
    async def door_knocks_page(request: Request) -> HTTPResponse:
        return await show_door_knocks(request)

    @console.post("/doorknocks")
    async def door_knocks_add(request: Request) -> HTTPResponse:
        values = {name: (request.form.get(name) or "")[:4000] for name in DOOR_KNOCK_FIELDS}
        today = pages.today()
        try:  # read inside the signed-in check, so a forged form is refused before it is even read
            await console.as_user(request, lambda session, user: log_door_knock(
                session, connector_id=user.connector_id, entry=read_door_knock(values, today=today), settings=settings),
                posted=True, back=PAGE)
        except DoorKnockInvalid as invalid:
            return await show_door_knocks(request, status=400, values=values, errors=invalid.problems)
        return console.done(PAGE, "door_knock_saved")
