"""The trained model loaded in-process (once per session), talking to the real action server."""
from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator

import pytest
from rasa.core.agent import Agent
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


def talk(agent: Agent, sender: str, text: str) -> list[str]:
    replies = asyncio.get_event_loop().run_until_complete(agent.handle_text(text, sender_id=sender))
    return [r.get("text", "") for r in replies or []]


def intent_of(agent: Agent, text: str) -> str:
    parsed = asyncio.get_event_loop().run_until_complete(agent.parse_message(text))
    return str(parsed["intent"]["name"])


@pytest.mark.service
@pytest.mark.parametrize(
    ("interest", "place"),
    [("walking", "CH44 5TN"), ("I enjoy singing", "Birkenhead"), ("knitting", "ch41 6ed"), ("gardening", "Canterbury"), ("walking", "Maidstone")],
)
def test_hello_interest_place_gives_up_to_three_matches(agent: Agent, interest: str, place: str) -> None:
    sender = "test:" + uuid.uuid4().hex
    greeting = talk(agent, sender, "hello")
    assert any("What do you enjoy" in r for r in greeting)
    assert any("Which area" in r for r in talk(agent, sender, interest))
    results = talk(agent, sender, place)
    matches = [r for r in results if "Contact:" in r]
    assert 1 <= len(matches) <= 3, results
    assert results[-1].startswith("Would you like ideas")


@pytest.mark.service
def test_an_unknown_place_is_asked_again(agent: Agent) -> None:
    sender = "test:" + uuid.uuid4().hex
    talk(agent, sender, "hello")
    talk(agent, sender, "bowls")
    replies = talk(agent, sender, "Atlantis")
    assert any("couldn't find" in r for r in replies)
    assert any("Which area" in r for r in replies)


@pytest.mark.service
def test_a_second_search_keeps_the_place(agent: Agent) -> None:
    sender = "test:" + uuid.uuid4().hex
    talk(agent, sender, "hello")
    talk(agent, sender, "walking")
    talk(agent, sender, "Wallasey")
    again = talk(agent, sender, "I like singing")
    assert any("Contact:" in r or "couldn't find" in r for r in again), again


@pytest.mark.service
@pytest.mark.parametrize(
    ("text", "intent"),
    [("hiya", "greet"), ("thank you love", "thank"), ("what can you do", "help"), ("are you a real person", "bot_challenge"), ("cheerio", "goodbye")],
)
def test_everyday_phrases_are_understood(agent: Agent, text: str, intent: str) -> None:
    assert intent_of(agent, text) == intent
