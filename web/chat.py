"""The public chat page. Its messages go to `channels.webchat_webhook`, in this same app.

The app gives each browser a signed chat token in an HttpOnly, SameSite=Strict cookie; the sender id
is derived from it, never chosen by the browser. The page may not be framed by another site.
"""
from __future__ import annotations

from pathlib import Path

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from casework.identity import issue_web_session, verify_web_token
from channels.webchat_webhook import COOKIE
from service.settings import Settings

PAGE = Path(__file__).parent / "static" / "chat.html"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"
)


def chat_blueprint(settings: Settings) -> Blueprint:
    bp = Blueprint("chat")
    page = PAGE.read_text(encoding="utf-8")

    @bp.get("/chat")
    async def chat_page(request: Request) -> HTTPResponse:
        reply = response.html(page)
        if verify_web_token(request.cookies.get(COOKIE, ""), secret=settings.webchat_secret, max_age_hours=settings.webchat_token_hours) is None:
            _, token = issue_web_session(secret=settings.webchat_secret)
            reply.cookies[COOKIE] = token
            reply.cookies[COOKIE]["httponly"] = True
            reply.cookies[COOKIE]["samesite"] = "Strict"
            reply.cookies[COOKIE]["path"] = "/chat"
            reply.cookies[COOKIE]["max-age"] = int(settings.webchat_token_hours * 3600)
            reply.cookies[COOKIE]["secure"] = request.scheme == "https"
        reply.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        reply.headers["X-Frame-Options"] = "DENY"
        reply.headers["Referrer-Policy"] = "no-referrer"
        return reply

    return bp
