"""The `webchat` input channel, used by the chat page the web app serves.

The browser never chooses who it is: the web app issues a signed token (casework.identity) and this
channel derives the `web:` sender id from it. Messages take the same path as SMS from the safety
screen onward, and are recorded by message id so a retried POST is answered once.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError

from casework.flags import raise_flag
from casework.identity import verify_web_token
from casework.inbound import mark_answered, record_inbound
from casework.residents import touch_resident
from channels import rasa_fixes
from channels.responses import render_response
from channels.runtime import Runtime
from channels.tracker_watch import WATCH
from channels.turn import answer_from_screen_only, ask_bot, screen_message

logger = logging.getLogger(__name__)

MAX_TEXT = 2000
# Web chat has no Twilio deadline, but a browser should not wait for ever either.
WEB_TURN_DEADLINE = 30.0


class WebchatInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> WebchatInput:
        rasa_fixes.apply()
        return cls(Runtime.from_environment())

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("webchat_webhook", __name__)

        @bp.listener("after_server_start")
        async def watch_tracker_store(app: Any, _loop: Any) -> None:
            agent = getattr(app.ctx, "agent", None)
            WATCH.attach(agent.tracker_store if agent else None)

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            """Rasa's readiness for /healthz: the model is loaded and the tracker store is saving."""
            agent = getattr(request.app.ctx, "agent", None)
            model_ready = bool(agent and agent.is_ready())
            body = {"model_ready": model_ready, "tracker_store": "failing" if WATCH.failing() else "ok"}
            ready = model_ready and not WATCH.failing()
            return response.json({"status": "ok" if ready else "not ready", **body}, status=200 if ready else 503)

        @bp.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
            sender_id = verify_web_token(token, secret=self.runtime.settings.webchat_secret)
            if sender_id is None:
                return response.json({"error": "missing or invalid chat session token"}, status=401)
            try:
                payload = request.json
            except Exception:
                payload = None
            if not isinstance(payload, dict) or not isinstance(payload.get("message"), str):
                return response.json({"error": "expected JSON {\"message\": \"...\", \"message_id\": \"...\"}"}, status=400)
            client_id = str(payload.get("message_id") or "")
            if not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", client_id):
                return response.json({"error": "message_id must be 8-64 letters, digits, - or _"}, status=400)
            text = payload["message"].replace("\x00", "").strip()[:MAX_TEXT]
            try:
                messages = await self.answer(sender_id, f"{sender_id}:{client_id}"[:64], text, on_new_message)
            except SQLAlchemyError:
                logger.exception("web chat message from %s: the application database is unavailable", sender_id)
                messages = answer_from_screen_only(text)
            return response.json({"messages": messages})

        return bp

    async def answer(self, sender_id: str, message_id: str, text: str, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> list[dict[str, Any]]:
        with self.runtime.sessions.begin() as session:
            recorded = record_inbound(session, channel="webchat", message_id=message_id, sender_id=sender_id)
            if not recorded.is_new:
                return [{"text": recorded.reply_text}] if recorded.reply_text else []
            touch_resident(session, sender_id=sender_id, channel="webchat")
        screening = screen_message(text)
        messages: list[dict[str, Any]] = []
        if screening.flagged:
            with self.runtime.sessions.begin() as session:
                raise_flag(session, sender_id=sender_id, reason=screening.category or "", source="safety_screen", message_id=message_id)
            messages.append({"text": render_response(screening.response or "")})
        if not screening.interrupts and text:
            turn = await ask_bot(on_new_message, text=text, sender_id=sender_id, message_id=message_id, input_channel=self.name(), deadline=WEB_TURN_DEADLINE)
            if turn.failed or turn.pending is not None:
                messages.append({"text": render_response("utter_service_trouble")})
            else:
                messages.extend({k: v for k, v in m.items() if k in ("text", "buttons", "image")} for m in turn.messages)
        reply = "\n\n".join(m["text"] for m in messages if m.get("text"))
        with self.runtime.sessions.begin() as session:
            mark_answered(session, message_id, state="screened" if screening.interrupts else "answered", reply_text=reply or None)
        return messages
