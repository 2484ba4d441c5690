"""Rasa's turns channel asks the action server before running a turn (channels/action_server_probe.py):
a real HTTP server on the loopback, then the same port closed."""
from __future__ import annotations

import asyncio
import socket

from aiohttp import web

from channels.action_server_probe import ActionServerProbe, health_url


def test_the_health_address_is_beside_the_webhook() -> None:
    assert health_url("http://127.0.0.1:5055/webhook") == "http://127.0.0.1:5055/health"
    assert health_url("https://actions.internal/webhook?x=1") == "https://actions.internal/health"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_answering_while_the_server_answers_and_not_once_it_is_gone() -> None:
    async def scenario() -> list[bool]:
        port = _free_port()
        app = web.Application()
        app.router.add_get("/health", lambda _request: web.json_response({"status": "ok"}))
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        probe = ActionServerProbe()
        url = f"http://127.0.0.1:{port}/webhook"
        seen = [await probe.answering(url), await probe.answering(None)]
        await runner.cleanup()
        seen += [await probe.answering(url), await probe.answering(url)]  # no cached "yes" lets a turn through
        return seen

    assert asyncio.run(scenario()) == [True, True, False, False]


def test_an_action_server_that_took_the_connection_but_is_slow_is_busy_not_gone() -> None:
    """Under load its /health took more than the probe's second: waiting for recovery then made the
    whole service fall behind (bench/soak.py). Slow is busy: the turn goes ahead."""
    async def scenario() -> bool:
        port = _free_port()

        async def slow(_request: web.Request) -> web.Response:
            await asyncio.sleep(2.0)
            return web.json_response({"status": "ok"})

        app = web.Application()
        app.router.add_get("/health", slow)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            return await ActionServerProbe().answering(f"http://127.0.0.1:{port}/webhook")
        finally:
            await runner.cleanup()

    assert asyncio.run(scenario()) is True


def test_an_action_server_that_answers_badly_is_down() -> None:
    async def scenario() -> bool:
        port = _free_port()
        app = web.Application()
        app.router.add_get("/health", lambda _request: web.json_response({"status": "starting"}, status=503))
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        try:
            return await ActionServerProbe().answering(f"http://127.0.0.1:{port}/webhook")
        finally:
            await runner.cleanup()

    assert asyncio.run(scenario()) is False
