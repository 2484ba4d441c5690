"""The public chat page and its relay to the Rasa `webchat` channel.

The page talks only to this app (same origin). The app gives each browser a signed chat token in an
HttpOnly cookie; the sender id is derived from it by the channel, never chosen by the browser.
"""
from __future__ import annotations

import asyncio
from pathlib import Path

import aiohttp
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from casework.identity import issue_web_session, verify_web_token
from service.settings import Settings

PAGE = Path(__file__).parent / "static" / "chat.html"
COOKIE = "chat_token"
RELAY_TIMEOUT = aiohttp.ClientTimeout(total=40)


def chat_blueprint(settings: Settings) -> Blueprint:
    bp = Blueprint("chat")
    page = PAGE.read_text(encoding="utf-8")
    relay_client: dict[str, aiohttp.ClientSession] = {}

    @bp.listener("before_server_start")
    async def open_relay(_app: object, _loop: object) -> None:
        # One client (and connection pool) to Rasa for the process, not one per message.
        relay_client["rasa"] = aiohttp.ClientSession(timeout=RELAY_TIMEOUT)

    @bp.listener("after_server_stop")
    async def close_relay(_app: object, _loop: object) -> None:
        if "rasa" in relay_client:
            await relay_client.pop("rasa").close()

    @bp.get("/chat")
    async def chat_page(request: Request) -> HTTPResponse:
        reply = response.html(page)
        if verify_web_token(request.cookies.get(COOKIE, ""), secret=settings.webchat_secret) is None:
            _, token = issue_web_session(secret=settings.webchat_secret)
            reply.cookies[COOKIE] = token
            reply.cookies[COOKIE]["httponly"] = True
            reply.cookies[COOKIE]["samesite"] = "Strict"
            reply.cookies[COOKIE]["path"] = "/chat"
        reply.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'"
        return reply

    @bp.post("/chat/messages")
    async def relay(request: Request) -> HTTPResponse:
        token = request.cookies.get(COOKIE, "")
        if verify_web_token(token, secret=settings.webchat_secret) is None:
            return response.json({"error": "your chat session has expired; please reload the page"}, status=401)
        try:
            async with relay_client["rasa"].post(
                settings.rasa_url + "/webhooks/webchat/webhook",
                json=request.json,
                headers={"Authorization": "Bearer " + token},
            ) as upstream:
                body = await upstream.json(content_type=None)
                return response.json(body, status=upstream.status)
        except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
            return response.json({"error": "the chat service is not available just now; please try again shortly"}, status=503)

    return bp
