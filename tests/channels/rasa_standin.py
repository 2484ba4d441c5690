"""A local stand-in that speaks Rasa's side of the intake protocol (channels/rasa_turns.py) over real HTTP.

It answers "You said: <text>", remembers which message ids it ran (like a tracker), replays a known
message id instead of running it again, and can be told to hang for a while. The real Rasa is
exercised end to end by the service tests; this one lets the intake's logic be tested in seconds.
"""
from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

from aiohttp import web

from tests.service_stack import free_port

TOKEN = "test-rasa-turns-token"


@dataclass
class RasaStandIn:
    port: int = field(default_factory=free_port)
    turns: list[str] = field(default_factory=list)  # message ids run, in order
    texts: list[str] = field(default_factory=list)
    tracker: dict[str, list[dict]] = field(default_factory=dict)  # message id -> replies
    delay: float = 0.0
    _runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/webhooks/turns/webhook", self.turn)
        app.router.add_get("/webhooks/turns/", self.ready)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def ready(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def turn(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != "Bearer " + TOKEN:
            return web.json_response({"error": "token"}, status=401)
        body = await request.json()
        message_id = body["message_id"]
        if body.get("replay") and message_id in self.tracker:
            return web.json_response({"messages": self.tracker[message_id], "failed": False, "replayed": True})
        if body.get("replay_only"):
            return web.json_response({"messages": [], "failed": True, "replayed": False, "found": False})
        if self.delay:
            await asyncio.sleep(self.delay)
        self.turns.append(message_id)
        self.texts.append(body["text"])
        replies = [{"text": f"You said: {body['text']}"}]
        if body["text"] == "choose":
            replies = [{"text": "Which one?", "buttons": [{"title": "Walking", "payload": "/walking"}, {"title": "Singing", "payload": "/singing"}]}]
        self.tracker[message_id] = replies
        return web.json_response({"messages": replies, "failed": False, "replayed": False})
