"""What every console page and form shares: the signed-in check, the same-origin check on POSTs,
one database transaction per request, and the answers every page may give instead of itself.

A route is added with `Console.get` or `Console.post`. A POST is refused (403) before its form is
read unless it comes from one of our own pages (web.guard.same_origin); a path part outside its
`choices` is no such page (404, before that check). In the handler, `Console.as_user` runs the
page's casework for the signed-in connector in one transaction with the session check (and, for a
posted form, the session's CSRF token); when nobody is signed in it goes to the sign-in page and back
afterwards, and when casework says no (or the token is wrong) it shows "not allowed" (403).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Coroutine
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import Session, sessionmaker

from casework.cases import audit
from casework.cases.alert_settings import alert_settings
from casework.cases.caseload import NotAllowed
from casework.cases.opening import CaseworkError
from casework.console.access import ConsoleUser, current_user
from service.database import DatabaseThreads
from service.settings import Settings
from web.console.pages import STATIC, Pages
from web.guard import CONSOLE, same_origin, secure_headers, token_matches

__all__ = ["Console", "SESSION_COOKIE", "LOGIN_COOKIE", "PATH", "SignInFirst", "Refused", "see_other", "safe_next", "state_actors"]

T = TypeVar("T")
Handler = Callable[..., Coroutine[Any, Any, HTTPResponse]]

SESSION_COOKIE = "console_session"
LOGIN_COOKIE = "console_login"
PATH = "/console"  # the console's cookies are sent here only


class SignInFirst(Exception):
    """Nobody is signed in: to the sign-in page, and back to `back` afterwards (None: this page)."""

    def __init__(self, back: str | None) -> None:
        super().__init__(back)
        self.back = back


class Refused(Exception):
    """Signed in, but a posted form lacked the session's CSRF token ("csrf"), or casework said no."""

    def __init__(self, user: ConsoleUser, reason: str) -> None:
        super().__init__(reason)
        self.user, self.reason = user, reason


def see_other(location: str) -> HTTPResponse:
    return secure_headers(response.redirect(location, status=303), CONSOLE)


def safe_next(target: str | None) -> str:
    """Where to go after signing in: only somewhere inside the console (never another site)."""
    if target and target.startswith("/console/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/console/queue"


def state_actors(session: Session, changed_by: str, approved_by: str | None) -> tuple[str, str]:
    """Who last changed a volunteer's or a proposal's state, and who approved it ("" if nobody has), as
    the audit page names them."""
    actors = [changed_by, approved_by or ""]
    names = audit.connector_names(session, {i for i in map(audit.connector_id_of, actors) if i is not None})
    return audit.describe_actor(changed_by, names), audit.describe_actor(approved_by, names) if approved_by else ""


class Console:
    """The console's blueprint and what its routes share."""

    def __init__(self, settings: Settings, sessions: sessionmaker, database: DatabaseThreads) -> None:
        self.settings, self.sessions, self.database = settings, sessions, database
        self.bp = Blueprint("console", url_prefix=PATH)
        self.bp.static("/static", str(STATIC), name="console_static")
        self.pages = Pages(alert_settings(settings).working_hours.zone)

    # --- routes --------------------------------------------------------------------------------
    def get(self, uri: str) -> Callable[[Handler], Handler]:
        def route(handler: Handler) -> Handler:
            answered = self._answering(handler)
            self.bp.get(uri)(answered)
            return answered
        return route

    def post(self, uri: str, *, choices: dict[str, Collection[str]] | None = None) -> Callable[[Handler], Handler]:
        """A form's route: 404 for a path part not among its `choices`, then 403 unless it comes from our own pages."""
        def route(handler: Handler) -> Handler:
            @wraps(handler)
            async def checked(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                if any(kwargs.get(name) not in allowed for name, allowed in (choices or {}).items()):
                    return self.not_found(None, request)
                if not same_origin(request, self.settings):
                    return self.refused(None, request, "csrf")
                return await handler(request, *args, **kwargs)
            answered = self._answering(checked)
            self.bp.post(uri)(answered)
            return answered
        return route

    def _answering(self, handler: Handler) -> Handler:
        """The handler, with "sign in first" and "not allowed" answered for it."""
        @wraps(handler)
        async def answered(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
            try:
                return await handler(request, *args, **kwargs)
            except SignInFirst as nobody:
                return self.to_login(request, nobody.back)
            except Refused as refused:
                return self.refused(refused.user, request, refused.reason)
        return answered

    # --- the database, as the signed-in connector ----------------------------------------------
    async def in_db(self, work: Callable[[Session], T]) -> T:
        def run() -> T:
            with self.sessions.begin() as session:
                return work(session)
        return await self.database.run(run)

    async def as_user(self, request: Request, work: Callable[[Session, ConsoleUser], T], *, posted: bool = False,
                      back: str | None = None) -> tuple[ConsoleUser, T]:
        """The signed-in connector and what `work` gave, run in one transaction with the session check.

        SignInFirst (back to `back`) when nobody is signed in; Refused for a posted form without the
        session's CSRF token, or when casework says this connector may not (committed first, so the
        refusal is in the audit trail). Other errors from `work` roll it back and reach the caller.
        """
        token = request.cookies.get(SESSION_COOKIE)
        given = request.form.get("csrf") if posted else None

        def run(session: Session) -> tuple[ConsoleUser | None, T | None, str | None]:
            user = current_user(session, token=token, settings=self.settings)
            if user is None:
                return None, None, None
            if posted and not token_matches(user.csrf_token, given):
                return user, None, "csrf"
            try:
                return user, work(session, user), None
            except NotAllowed as refused:  # returned, not raised, so that the refusal's audit line commits
                return user, None, str(refused)

        user, done, refusal = await self.in_db(run)
        if user is None:
            raise SignInFirst(back)
        if refusal is not None:
            raise Refused(user, refusal)
        return user, cast(T, done)  # `work`'s own result, None included

    async def act_on_page(self, request: Request, work: Callable[[Session, ConsoleUser], str | None], *, back: str,
                          again: Callable[[int, str], Awaitable[HTTPResponse]],
                          wrong_state: type[Exception] | tuple[type[Exception], ...] = (),
                          missing: type[Exception] | tuple[type[Exception], ...] = ()) -> HTTPResponse:
        """A form on a page: `work` in one trip with the session check, then back to the page saying what
        was done (303); the page `again` with casework's reason when it refused (409 for `wrong_state`,
        400 otherwise); not found when `work` found nothing (None) or raised `missing`."""
        try:
            user, done = await self.as_user(request, work, posted=True, back=back)
        except CaseworkError as problem:
            if missing and isinstance(problem, missing):
                return self.not_found(None, request)
            return await again(409 if wrong_state and isinstance(problem, wrong_state) else 400, str(problem))
        if done is None:
            return self.not_found(user, request)
        return self.done(back, done)

    # --- answers ---------------------------------------------------------------------------------
    def to_login(self, request: Request, back: str | None = None) -> HTTPResponse:
        """To the sign-in page, and back afterwards: to this page, or for a form posted, to the page it was on."""
        target = back or request.path + (f"?{request.query_string}" if request.query_string else "")
        return see_other("/console/login?" + urlencode({"next": target}))

    def page(self, template: str, user: ConsoleUser | None, request: Request, *, status: int = 200, **values: Any) -> HTTPResponse:
        values.setdefault("nav", "")
        values.setdefault("done", request.args.get("done"))
        values.setdefault("problem", None)
        values.setdefault("problem_detail", None)
        return self.pages.render(template, status=status, user=user, **values)

    def refused(self, user: ConsoleUser | None, request: Request, reason: str) -> HTTPResponse:
        return self.page("refused.html", user, request, status=403, why="csrf" if reason == "csrf" else "not_allowed")

    def not_found(self, user: ConsoleUser | None, request: Request) -> HTTPResponse:
        return self.page("not_found.html", user, request, status=404)

    @staticmethod
    def done(back: str, word: str) -> HTTPResponse:
        """Back to the page a form was on, saying what was done."""
        return see_other(f"{back}?done={word}")
