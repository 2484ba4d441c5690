"""A turn the bot could not take, at a moment the database cannot be written (SQLite's write lock held
past its busy timeout, as under heavy load): the webhook still gets an answer, never a 500, and the
message stays recorded and unanswered for recovery to answer once. Real SQLite, a real HTTP Rasa
stand-in that takes the lock and then refuses the turn."""
from __future__ import annotations

import asyncio
import dataclasses
import sqlite3

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.models import InboundMessage
from channels.bot_client import BotClient
from channels.intake import Intake
from service.settings import Settings
from tests.channels.rasa_standin import TOKEN
from tests.channels.test_intake import sms
from tests.service_stack import free_port


def test_a_message_that_cannot_be_marked_waiting_is_left_for_recovery(settings: Settings, app_sessions: sessionmaker) -> None:
    database = settings.database_url.removeprefix("sqlite:///")
    held: list[sqlite3.Connection] = []

    async def turn(_request: web.Request) -> web.Response:
        # Another writer takes the database's write lock and keeps it, then the worker refuses the turn.
        lock = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
        lock.execute("BEGIN EXCLUSIVE")
        held.append(lock)
        return web.json_response({"error": "loading"}, status=503)

    async def scenario() -> object:
        port = free_port()
        app = web.Application()
        app.router.add_post("/webhooks/turns/webhook", turn)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        url = f"http://127.0.0.1:{port}"
        intake = Intake(dataclasses.replace(settings, rasa_urls=(url,)), app_sessions, BotClient((url,), token=TOKEN))
        try:
            return await intake.receive(sms("any knitting in wallasey", 1))
        finally:
            for lock in held:
                lock.rollback() if lock.in_transaction else None
                lock.close()
            await runner.cleanup()

    outcome = asyncio.run(scenario())
    assert outcome.state == "waiting" and outcome.pending  # type: ignore[attr-defined]
    assert held, "the stand-in never took the lock: the test did not test anything"
    with app_sessions() as session:
        assert session.scalars(select(InboundMessage.state)).one() == "received"  # still there, for recovery
