"""Signing in and out of the console: /console/login and /console/logout (and /console/ itself, which goes to the queue).

Before sign-in there is no session to carry a CSRF token, so the sign-in form carries the same random
value as the short-lived `console_login` cookie; a form from elsewhere (wrong origin or token) gets the
sign-in page again with "the form had expired" (403), not the console's "not allowed" page.
"""
from __future__ import annotations

from contextlib import suppress
from typing import Any

from sanic.request import Request
from sanic.response import HTTPResponse

from casework.console.access import current_user, sign_in, sign_out
from casework.console.settings import console_settings
from service.database import DatabaseThreads
from web.console.routes.base import LOGIN_COOKIE, PATH, SESSION_COOKIE, Console, SignInFirst, safe_next, see_other
from web.guard import clear_cookie, client_address, new_token, same_origin, set_cookie, token_matches

__all__ = ["add_sign_in"]


def add_sign_in(console: Console) -> None:
    settings, sessions = console.settings, console.sessions
    # Sign-ins run scrypt (0.4 s of a core and 128 MiB each) on threads of their own: a burst of them
    # must not take the shared database threads the intake answers residents with.
    sign_ins = DatabaseThreads(workers=2)
    session_seconds = int(console_settings(settings).session_lifetime.total_seconds())

    def login_page(request: Request, *, status: int = 200, problem: str | None = None, phone: str = "",
                   locked_until: Any = None) -> HTTPResponse:
        login_token = new_token()
        reply = console.page("login.html", None, request, status=status, login_token=login_token, problem=problem, phone=phone,
                             locked_until=locked_until, next=safe_next(request.args.get("next") or request.form.get("next")))
        set_cookie(reply, request, settings, LOGIN_COOKIE, login_token, path=PATH, max_age=3600)
        return reply

    @console.get("/")
    async def home(request: Request) -> HTTPResponse:
        return see_other("/console/queue")

    @console.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        token = request.cookies.get(SESSION_COOKIE)
        if token and await console.in_db(lambda session: current_user(session, token=token, settings=settings)) is not None:
            return see_other(safe_next(request.args.get("next")))
        return login_page(request)

    @console.bp.post("/login")  # not console.post: a refused sign-in shows the sign-in page again
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
        reply = see_other(safe_next(request.form.get("next")))
        set_cookie(reply, request, settings, SESSION_COOKIE, result.token, path=PATH, max_age=session_seconds)
        clear_cookie(reply, request, settings, LOGIN_COOKIE, path=PATH)
        return reply

    @console.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        with suppress(SignInFirst):  # nobody was signed in: signed out all the same
            await console.as_user(request, lambda session, _user: sign_out(session, token=request.cookies.get(SESSION_COOKIE)),
                                  posted=True)
        reply = see_other("/console/login?done=signed_out")
        clear_cookie(reply, request, settings, SESSION_COOKIE, path=PATH)
        return reply
