"""The web chat's messages, served by the web app beside the chat page.

POST /chat/messages            {"message": "...", "message_id": "..."} -> {"messages": [...], "pending": bool}
GET  /chat/messages/<id>       a reply that followed later (the turn passed its deadline, or waited for Rasa)

The browser never chooses who it is: the page's signed, expiring session cookie names the resident
(`web:` id). POSTs must come from our own origin (channels.client.same_origin, the check every web
form takes; the cookie is SameSite=Strict as well), are rate-limited per session and per address
(429 with Retry-After; a message the safety screen flags is never held back, as by SMS), and then
take the same intake as SMS. A retried POST with the same message id is answered once.
"""
from __future__ import annotations

import json
import logging
import re

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from casework.conversation.inbound import Recorded, answer_of
from casework.residents.identity import verify_web_token
from channels.client import client_address, same_origin
from channels.incoming import Incoming
from channels.intake import Intake
from channels.rate_limit import limiter_for
from channels.responses import render_response
from service.settings import Settings

__all__ = ["webchat_blueprint", "COOKIE", "MAX_TEXT"]

logger = logging.getLogger(__name__)

COOKIE = "chat_token"
MAX_TEXT = 2000
_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")
ANSWERED = frozenset({"answered", "screened", "deferred", "opt_out"})


def webchat_blueprint(settings: Settings, intake: Intake) -> Blueprint:
    bp = Blueprint("webchat")
    per_session = limiter_for(settings, settings.webchat_session_rate_limit, name="webchat_session")
    per_address = limiter_for(settings, settings.webchat_address_rate_limit, name="webchat_address")

    def refused(message: str, status: int, retry_after: str | None = None) -> HTTPResponse:
        headers = {"Retry-After": retry_after} if retry_after else None
        return response.json({"error": message}, status=status, headers=headers)

    def told(response_name: str, status: int, retry_after: str | None = None) -> HTTPResponse:
        """Refused in words the chat page shows the resident (bot/domain/responses_channel.yml)."""
        return refused(render_response(response_name, channel="webchat"), status, retry_after)

    def resident(request: Request) -> str | None:
        return verify_web_token(request.cookies.get(COOKIE, ""), secret=settings.webchat_secret, max_age_hours=settings.webchat_token_hours)

    @bp.post("/chat/messages")
    async def message(request: Request) -> HTTPResponse:
        if not same_origin(request, settings):
            return told("utter_webchat_other_origin", 403)
        sender_id = resident(request)
        if sender_id is None:
            return told("utter_webchat_session_expired", 401)
        try:
            payload = json.loads(request.body or b"")
        except ValueError:
            payload = None
        if not isinstance(payload, dict) or not isinstance(payload.get("message"), str):
            return refused('expected JSON {"message": "...", "message_id": "..."}', 400)
        client_id = str(payload.get("message_id") or "")
        if not _CLIENT_ID.fullmatch(client_id):
            return refused("message_id must be 8-64 letters, digits, - or _", 400)
        text = payload["message"].replace("\x00", "").strip()[:MAX_TEXT]
        waits = [(limiter, wait) for limiter, key in ((per_session, sender_id), (per_address, client_address(request, settings)))
                 if (wait := await limiter.take(key))]
        # Over a limit, only a message the safety screen flags (either layer) still goes through, as by SMS.
        if waits and not (await intake.screen(text)).flagged:
            limiter, wait = waits[0]
            return told("utter_webchat_too_fast", 429, limiter.retry_after(wait))
        outcome = await intake.receive(Incoming("webchat", message_id_for(sender_id, client_id), sender_id, text))
        return response.json({"messages": outcome.messages, "pending": outcome.pending, "message_id": client_id})

    @bp.get("/chat/messages/<client_id:str>")
    async def later_reply(request: Request, client_id: str) -> HTTPResponse:
        sender_id = resident(request)
        if sender_id is None:
            return told("utter_webchat_session_expired", 401)
        if not _CLIENT_ID.fullmatch(client_id):
            return refused("no such message", 404)
        message_id = message_id_for(sender_id, client_id)

        def look() -> Recorded | None:
            with intake.sessions() as session:
                return answer_of(session, message_id, sender_id=sender_id)

        found = await intake.db.run(look)
        if found is None:
            return refused("no such message", 404)
        answered = found.state in ANSWERED
        return response.json({"pending": not answered, "messages": [{"text": found.reply_text}] if answered and found.reply_text else []})

    return bp


def message_id_for(sender_id: str, client_id: str) -> str:
    """Scoped to the session, so one browser can neither read nor replay another's messages."""
    return f"{sender_id}:{client_id}"[:64]
