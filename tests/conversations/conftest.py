"""The trained model loaded in-process (once per session), talking to the real action server of the
service stack, and a way to say something to it as an SMS or web-chat resident would."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from functools import cache

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.utils.endpoints import EndpointConfig

from service.settings import ROOT
from tests.service_stack import ServiceStack

MODEL = ROOT / "models" / "current.tar.gz"


@pytest.fixture(scope="session")
def agent(service: ServiceStack) -> Iterator[Agent]:
    endpoint = EndpointConfig(f"http://127.0.0.1:{service.env['ACTIONS_PORT']}/webhook", token=service.env["ACTIONS_TOKEN"])
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    yield Agent.load(str(MODEL), action_endpoint=endpoint)
    loop.close()


@cache
def _collector(channel: str) -> type[CollectingOutputChannel]:
    # Rasa picks a response's `channel:` variant by the output channel's name (as channels/rasa_turns.py does).
    return type(f"{channel.title()}Collector", (CollectingOutputChannel,), {"name": classmethod(lambda cls: channel)})


def talk(agent: Agent, sender: str, text: str, channel: str = "webchat") -> list[str]:
    out = _collector(channel)()
    message = UserMessage(text, out, sender, input_channel=channel)
    asyncio.get_event_loop().run_until_complete(agent.handle_message(message))
    return [str(m.get("text", "")) for m in out.messages]


def new_sender(channel: str = "webchat") -> str:
    return ("sms:" if channel == "sms" else "web:") + "test" + uuid.uuid4().hex[:12]


def intent_of(agent: Agent, text: str) -> str:
    parsed = asyncio.get_event_loop().run_until_complete(agent.parse_message(text))
    return str(parsed["intent"]["name"])
