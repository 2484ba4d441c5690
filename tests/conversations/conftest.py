"""The trained model loaded in-process (once per session), talking to the real action server of the
service stack, and a way to say something to it as an SMS or web-chat resident would."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig

from channels import rasa_fixes
from service.settings import ROOT
from tests.service_stack import ServiceStack

MODEL = ROOT / "models" / "current.tar.gz"


# Each agent runs on the event loop it was loaded on, named here rather than taken as the thread's
# current loop: any test before may have left that closed or unset (asyncio.run sets it to None), and
# under pytest-xdist which tests ran before in the same worker is not fixed.
_LOOPS: dict[int, asyncio.AbstractEventLoop] = {}


@contextmanager
def loaded_agent(endpoint: EndpointConfig) -> Iterator[Agent]:
    """An agent on an event loop of its own, for as long as the block runs, with the service's fixes to Rasa
    (channels.rasa_fixes): the turns run as `rasa run` runs them. The test runner's logging is left as it is."""
    rasa_fixes.patch_rasa()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    agent = Agent.load(str(MODEL), action_endpoint=endpoint)
    _LOOPS[id(agent)] = loop
    try:
        yield agent
    finally:
        del _LOOPS[id(agent)]
        loop.close()


def loop_of(agent: Agent) -> asyncio.AbstractEventLoop:
    return _LOOPS[id(agent)]


@pytest.fixture(scope="session")
def agent(service: ServiceStack) -> Iterator[Agent]:
    endpoint = EndpointConfig(f"http://127.0.0.1:{service.env['ACTIONS_PORT']}/webhook", token=service.env["ACTIONS_TOKEN"])
    with loaded_agent(endpoint) as loaded:
        yield loaded


@cache
def _collector(channel: str) -> type[CollectingOutputChannel]:
    # Rasa picks a response's `channel:` variant by the output channel's name (as channels/rasa_turns.py does).
    return type(f"{channel.title()}Collector", (CollectingOutputChannel,), {"name": classmethod(lambda cls: channel)})


def talk(agent: Agent, sender: str, text: str, channel: str = "webchat") -> list[str]:
    out = _collector(channel)()
    message = UserMessage(text, out, sender, input_channel=channel)
    loop_of(agent).run_until_complete(agent.handle_message(message))
    return [str(m.get("text", "")) for m in out.messages]


def new_sender(channel: str = "webchat") -> str:
    return ("sms:" if channel == "sms" else "web:") + "test" + uuid.uuid4().hex[:12]


def intent_of(agent: Agent, text: str) -> str:
    parsed = loop_of(agent).run_until_complete(agent.parse_message(text))
    return str(parsed["intent"]["name"])
