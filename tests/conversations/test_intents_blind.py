"""Mid-conversation texts written blind by a helper who never saw the bot or its data
(tests/conversations/intents_blind*.yml): how many get the intent a person would read into them.
intents_blind.yml is never trained or tuned on: its figure is the one to quote for texts from outside
(first run 39/51; tests/conversations/README.md). Printed, and held to a floor."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.core.agent import Agent

from tests.conversations.conftest import loop_of

HERE = Path(__file__).parent
FLOORS = {"intents_blind.yml": 0.8, "intents_blind_tune.yml": 0.9}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_blind_texts_get_the_intent_a_person_would_read(name: str, agent: Agent) -> None:
    examples = yaml.safe_load((HERE / name).read_text(encoding="utf-8"))["examples"]
    loop = loop_of(agent)
    wrong = []
    for example in examples:
        got = loop.run_until_complete(agent.parse_message(example["text"]))["intent"]["name"]
        if got != example["intent"]:
            wrong.append((example["text"], example["intent"], got))
    print(f"\n{name}: {len(examples) - len(wrong)}/{len(examples)} intents right; wrong: {wrong}")
    assert (len(examples) - len(wrong)) / len(examples) >= FLOORS[name]
