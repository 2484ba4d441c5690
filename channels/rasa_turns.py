"""The Rasa side of the intake: one authenticated endpoint that runs a turn and returns its replies.

Residents never reach Rasa directly. The web app owns every public webhook (SMS and web chat), records
and screens each message, and then calls this channel on the loopback interface:

    POST /webhooks/turns/webhook   {"sender_id", "text", "message_id", "channel", "replay"}
    Authorization: Bearer RASA_TURNS_TOKEN
    -> {"messages": [...], "failed": bool, "replayed": bool}

`channel` ("sms" or "webchat") names the collector, so the domain's `channel: sms` variants are used.
`replay` is set by recovery: if the tracker already holds `message_id`, the turn finished before a
crash and its replies are returned from the tracker instead of running it again (its actions would
run twice and the message would be logged twice). With `replay_only` (the intake no longer has the
text) a turn the tracker does not hold is not run: `found` is false.

GET /webhooks/turns/ is Rasa's readiness for /healthz: the model is loaded and the tracker store is
saving (channels/tracker_watch.py).
"""
from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from functools import cache
from typing import Any

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import rasa_fixes
from channels.action_server_probe import ActionServerProbe
from channels.tracker_watch import WATCH
from service.settings import load_settings

__all__ = ["TurnsInput", "collector_for", "replies_in_tracker"]

logger = logging.getLogger(__name__)

Messages = list[dict[str, Any]]
CHANNELS = frozenset({"sms", "webchat"})
# What a collected message may carry back to the intake (Rasa adds recipient_id, which we never need).
KEPT = ("text", "buttons", "image", "quick_replies", "custom")


class ChannelCollector(CollectingOutputChannel):
    """Collects the bot's messages under the input channel's name.

    Rasa picks a response's `channel:` variant by the *output* channel's name, and the stock
    collector is called "collector", so without this the SMS variants in the domain were never used.
    """

    channel_name = "collector"

    @classmethod
    def name(cls) -> str:
        return cls.channel_name


@cache
def _collector_class(channel: str) -> type[ChannelCollector]:
    return type(f"{channel.title()}Collector", (ChannelCollector,), {"channel_name": channel})


def collector_for(channel: str) -> CollectingOutputChannel:
    return _collector_class(channel)()


def replies_in_tracker(events: list[Any], message_id: str) -> Messages | None:
    """The bot's replies to `message_id` as a tracker recorded them; None if that message never reached it.

    Rasa saves the tracker once, at the end of a turn; so a message present here finished its turn
    (its actions ran) even if its reply never left.
    """
    replies: Messages | None = None
    for event in events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break  # the next message: the turn we want is over
            if event.message_id == message_id:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            message: dict[str, Any] = {"text": event.text} if event.text else {}
            message.update({key: value for key, value in (event.data or {}).items() if value})
            if message:
                replies.append(message)
    return replies


def _kept(message: dict[str, Any]) -> dict[str, Any]:
    return {key: message[key] for key in KEPT if message.get(key)}


class TurnsInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "turns"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TurnsInput:
        rasa_fixes.apply()
        settings = load_settings()
        settings.check()
        return cls(token=settings.rasa_turns_token)

    def __init__(self, token: str) -> None:
        self.token = token
        self.probe = ActionServerProbe()

    def authorised(self, request: Request) -> bool:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        return bool(given) and hmac.compare_digest(given.encode(), self.token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("turns_webhook", __name__)

        @bp.listener("after_server_start")
        async def watch_tracker_store(app: Any, _loop: Any) -> None:
            agent = getattr(app.ctx, "agent", None)
            WATCH.attach(agent.tracker_store if agent else None)

        @bp.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            agent = getattr(request.app.ctx, "agent", None)
            model_ready = bool(agent and agent.is_ready())
            body = {"model_ready": model_ready, "tracker_store": "failing" if WATCH.failing() else "ok"}
            ready = model_ready and not WATCH.failing()
            return response.json({"status": "ok" if ready else "not ready", **body}, status=200 if ready else 503)

        @bp.route("/webhook", methods=["POST"])
        async def turn(request: Request) -> HTTPResponse:
            if not self.authorised(request):
                return response.json({"error": "missing or wrong intake token"}, status=401)
            payload = request.json if request.content_type.startswith("application/json") else None
            fields = _turn_fields(payload)
            if fields is None or not isinstance(payload, dict):
                return response.json({"error": "expected JSON {sender_id, text, message_id, channel}"}, status=400)
            sender_id, text, message_id, channel = fields
            agent = getattr(request.app.ctx, "agent", None)
            if agent is None or not agent.is_ready():
                return response.json({"error": "the model is not loaded yet"}, status=503)
            if payload.get("replay"):
                tracker = await agent.tracker_store.retrieve_full_tracker(sender_id)
                replies = replies_in_tracker(list(tracker.events), message_id) if tracker is not None else None
                if replies is not None:
                    return response.json({"messages": [_kept(m) for m in replies], "failed": not replies, "replayed": True})
                if payload.get("replay_only"):  # the intake no longer has the text to run it with
                    return response.json({"messages": [], "failed": True, "replayed": False, "found": False})
            endpoint = getattr(agent, "action_endpoint", None)
            if not await self.probe.answering(getattr(endpoint, "url", None)):
                # Every custom action would fail and the turn end with no reply: the message waits instead.
                return response.json({"error": "the action server is not answering"}, status=503)
            collector = collector_for(channel)
            message = UserMessage(text, collector, sender_id, input_channel=channel, message_id=message_id)
            # Shielded: if the intake stops waiting (or its connection drops), the turn still finishes
            # and is saved, so a replay finds it instead of running it twice.
            task = asyncio.ensure_future(on_new_message(message))
            try:
                await asyncio.shield(task)
            except Exception:
                logger.exception("turn %s failed inside Rasa", message_id)
                return response.json({"messages": [], "failed": True, "replayed": False})
            if not collector.messages:
                # Rasa logs an action-server failure and carries on with no reply; say so.
                logger.error("turn %s produced no reply (action server or tracker store failure?)", message_id)
            return response.json({"messages": [_kept(m) for m in collector.messages], "failed": not collector.messages, "replayed": False})

        return bp


def _turn_fields(payload: Any) -> tuple[str, str, str, str] | None:
    if not isinstance(payload, dict):
        return None
    values = [payload.get(key) for key in ("sender_id", "text", "message_id", "channel")]
    if not all(isinstance(v, str) for v in values):
        return None
    sender_id, text, message_id, channel = (str(v) for v in values)
    if not sender_id or not message_id or channel not in CHANNELS:
        return None
    return sender_id, text, message_id, channel
