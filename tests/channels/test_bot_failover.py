"""Any worker can serve any resident (issue 20, channels/bot_client.py): with failover (a shared
tracker store and lock store), a turn whose pinned Rasa worker cannot be reached or is not ready goes
to the next worker in the resident's own order; a turn that reached its worker is never sent twice.
Real HTTP servers on the loopback stand in for the Rasa workers' turns channel."""
from __future__ import annotations

import asyncio
import socket
from collections import Counter

import pytest
from aiohttp import web

from channels.bot_client import TURN_PATH, BotClient, BotUnavailable


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Workers:
    """Rasa workers answering turns with their own name; `status` sets what one answers."""

    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()
        self.status: dict[str, int] = {}
        self.runners: list[web.AppRunner] = []

    async def start(self, name: str) -> str:
        port = _free_port()

        async def turn(_request: web.Request) -> web.Response:
            self.seen[name] += 1
            if self.status.get(name, 200) != 200:
                return web.json_response({"error": "not ready"}, status=self.status[name])
            return web.json_response({"messages": [{"text": f"from {name}"}], "failed": False, "replayed": False})

        app = web.Application()
        app.router.add_post(TURN_PATH, turn)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        self.runners.append(runner)
        return f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        for runner in self.runners:
            await runner.cleanup()


def test_a_lost_worker_s_residents_go_to_the_live_ones_in_their_own_order() -> None:
    async def scenario() -> None:
        workers = Workers()
        a, b = await workers.start("a"), await workers.start("b")
        lost = f"http://127.0.0.1:{_free_port()}"  # nothing listens: the host is gone
        client = BotClient((a, b, lost), token="t", failover=True)
        pinned_to_lost = [f"sms:{n}" for n in range(200) if client.url_for(f"sms:{n}") == lost][:20]
        assert len(pinned_to_lost) == 20
        answered = Counter()
        for sender in pinned_to_lost:
            reply = await client.ask(sender_id=sender, text="hello", message_id=f"m-{sender}", channel="sms")
            answered[reply.messages[0]["text"]] += 1
            again = await client.ask(sender_id=sender, text="more", message_id=f"m2-{sender}", channel="sms")
            assert again.messages == reply.messages, "a resident's next turn goes to the same stand-in worker"
        assert set(answered) == {"from a", "from b"}, "a lost worker's residents spread over the others"

        # A worker that says it is not ready (503: loading its model) is passed over too; nothing ran there.
        workers.status["a"] = 503
        sender = next(f"sms:{n}" for n in range(200) if client.url_for(f"sms:{n}") == a)
        reply = await client.ask(sender_id=sender, text="hi", message_id="m-ready", channel="sms")
        assert reply.messages == [{"text": "from b"}]

        # Without failover (each worker keeps its own conversations) the resident waits for their own.
        pinned = BotClient((a, b, lost), token="t")
        with pytest.raises(BotUnavailable):
            await pinned.ask(sender_id=pinned_to_lost[0], text="hello", message_id="m-pinned", channel="sms")
        workers.status["b"] = 503
        with pytest.raises(BotUnavailable):
            await client.ask(sender_id=sender, text="hi", message_id="m-none", channel="sms")
        await client.close()
        await pinned.close()
        await workers.stop()

    asyncio.run(scenario())


def test_each_resident_s_order_is_fixed_and_starts_with_their_pinned_worker() -> None:
    client = BotClient(("http://w1", "http://w2", "http://w3", "http://w4"), token="t", failover=True)
    for n in range(50):
        order = client.workers_for(f"sms:{n}")
        assert order[0] == client.url_for(f"sms:{n}") and sorted(order) == sorted(client.urls)
        assert order == client.workers_for(f"sms:{n}")
    assert BotClient(client.urls, token="t").workers_for("sms:1") == [client.url_for("sms:1")]



def test_a_worker_that_could_not_be_reached_is_tried_last_until_it_is_ready_again() -> None:
    """A gone host refuses nothing (each connection would wait for its timeout): once passed over, a
    worker is tried last, and first again when its readiness check answers."""
    async def worker(port: int) -> web.AppRunner:
        async def turn(_request: web.Request) -> web.Response:
            return web.json_response({"messages": [{"text": "hi"}], "failed": False, "replayed": False})

        async def ready(_request: web.Request) -> web.Response:
            return web.json_response({"status": "ok"})

        app = web.Application()
        app.router.add_post(TURN_PATH, turn)
        app.router.add_get("/webhooks/turns/", ready)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner

    async def scenario() -> None:
        live_port, gone_port = _free_port(), _free_port()
        live, gone = f"http://127.0.0.1:{live_port}", f"http://127.0.0.1:{gone_port}"
        runners = [await worker(live_port)]
        client, pinned = BotClient((live, gone), token="t", failover=True), BotClient((live, gone), token="t")
        sender = next(f"sms:{n}" for n in range(200) if client.url_for(f"sms:{n}") == gone)
        assert client.workers_for(sender) == [gone, live]
        await client.ask(sender_id=sender, text="hello", message_id="m-1", channel="sms")
        assert client.workers_for(sender) == [live, gone], "passed over once, tried last"
        assert await client.ready(), "with failover one live worker serves everyone"
        assert not await pinned.ready(), "pinned, every resident needs their own"
        runners.append(await worker(gone_port))
        await client.ready()
        assert client.workers_for(sender) == [gone, live], "ready again: first again for its own residents"
        for closing in (client, pinned):
            await closing.close()
        for runner in runners:
            await runner.cleanup()

    asyncio.run(scenario())
