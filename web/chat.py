"""The public chat page. Its messages go to `channels.webchat_webhook`, in this same app.

The app gives each browser a signed chat token in an HttpOnly, SameSite=Strict cookie; the sender id
is derived from it, never chosen by the browser. The page may not be framed by another site (its
headers, cookie and client address: web.guard).

Each new session can raise urgent cases (and each urgent case alerts a connector by SMS and email),
so new sessions are limited per client address (WEBCHAT_NEW_SESSION_RATE_LIMIT); a browser that
already has a live session is never refused the page. The refusal still gives the safety numbers.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from casework.residents.identity import issue_web_session, verify_web_token
from casework.safety.numbers import SAFETY_NUMBERS
from channels.rate_limit import limiter_for
from channels.webchat_webhook import COOKIE
from service.settings import Settings
from web.guard import CHAT, client_address, secure_headers, set_cookie
from web.service_header import service_header, with_header

PAGE = Path(__file__).parent / "static" / "chat.html"
BUSY_PAGE = """<!doctype html>
<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Please wait a minute - Community connector chat</title>
<style>body { font-family: system-ui, sans-serif; font-size: 1.2rem; line-height: 1.5; max-width: 40rem;
margin: 1rem auto; padding: 0 1rem; color: #0b0c0c; }</style>
</head><body><main>
<h1>Please wait a minute</h1>
<p>A lot of new chats have started from your connection in the last few minutes. Please wait a minute, then reload this page.</p>
<p><!-- safety numbers --></p>
</main></body></html>"""
SAFETY_MARKER = "<!-- safety numbers -->"


def _call(key: str) -> str:
    """A number from the one checked table (casework.safety.numbers), as a link a phone can ring."""
    number = SAFETY_NUMBERS[key]
    return f'<a href="tel:{"".join(ch for ch in number if ch.isdigit())}">{escape(number)}</a>'


def with_safety_numbers(page: str) -> str:
    """The page's line of safety numbers, written from the table, never typed into the page."""
    line = (f"If you are in danger now, call {_call('emergency')}. "
            f"To talk to someone any time, call Samaritans free on {_call('samaritans')}.")
    return page.replace(SAFETY_MARKER, line, 1)


def chat_blueprint(settings: Settings) -> Blueprint:
    bp = Blueprint("chat")
    page = with_safety_numbers(with_header(PAGE.read_text(encoding="utf-8"), service_header(settings)))  # who runs it, at the top
    busy_page = with_safety_numbers(BUSY_PAGE)
    new_sessions = limiter_for(settings, settings.webchat_new_session_rate_limit, name="webchat_new_session")

    @bp.get("/chat")
    async def chat_page(request: Request) -> HTTPResponse:
        if verify_web_token(request.cookies.get(COOKIE, ""), secret=settings.webchat_secret, max_age_hours=settings.webchat_token_hours):
            return secure_headers(response.html(page), CHAT)
        if wait := await new_sessions.take(client_address(request, settings)):
            busy = response.html(busy_page, status=429, headers={"Retry-After": new_sessions.retry_after(wait)})
            return secure_headers(busy, CHAT)
        reply = response.html(page)
        _, token = issue_web_session(secret=settings.webchat_secret)
        set_cookie(reply, request, settings, COOKIE, token, path="/chat", max_age=int(settings.webchat_token_hours * 3600))
        return secure_headers(reply, CHAT)

    return bp
