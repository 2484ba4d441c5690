"""First texts naming an interest and a place at once (tests/conversations/first_texts.yml, written
before the NLU was tuned): how many first answers name a right group, i.e. one the directory itself
ranks among the five best for what a connector would read into the text. Printed for the issue."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.core.agent import Agent

from directory import find_activities
from service.database import make_engine, make_sessionmaker
from tests.conversations.conftest import new_sender, talk
from tests.service_stack import ServiceStack

HERE = Path(__file__).parent
# Of the first answers, at least this share must name a right group (main managed 8 of 15 before issue 9).
# first_texts.yml was written by the team before tuning; first_texts_blind.yml by a helper who never saw
# the bot or its data, and is never trained or tuned on: the figure to quote for texts from outside.
SETS = {"first_texts.yml": 0.8, "first_texts_blind.yml": 0.65, "first_texts_blind_tune.yml": 0.7,
        "first_texts_blind2.yml": 0.0, "first_texts_blind2_tune.yml": 0.0}
# An open request ("what's on in Deal?") is answered rightly by any group near the place.
OPEN = "anything"
OPEN_MILES = 10


def right_groups(service: ServiceStack, interest: str, place: str) -> set[str]:
    engine = make_engine(service.database_url)
    try:
        with make_sessionmaker(engine)() as session:
            if interest == OPEN:
                return {m.name for m in find_activities(session, interest="", near=place, limit=500, within_miles=OPEN_MILES)}
            return {m.name for m in find_activities(session, interest=interest, near=place, limit=5, within_miles=25)}
    finally:
        engine.dispose()


def named_groups(replies: list[str]) -> set[str]:
    """Names from the numbered matches ("1. Sing for Joy. Thursdays ..."), as the SMS variant says them."""
    return {r.split(". ", 2)[1] for r in replies if r[:1].isdigit() and ". " in r}


@pytest.mark.service
@pytest.mark.parametrize("name", sorted(SETS))
def test_first_texts_get_a_right_group_in_the_first_answer(name: str, agent: Agent, service: ServiceStack) -> None:
    cases = yaml.safe_load((HERE / name).read_text())["first_texts"]
    right = none_such = 0
    for case in cases:
        replies = talk(agent, new_sender("sms"), case["text"], "sms")
        expected = right_groups(service, case["interest"], case["place"])
        none_such += not expected
        hit = bool(named_groups(replies) & expected)
        right += hit
        assert not any(r.startswith("Sorry, I didn't follow") for r in replies[:1]), f"a text naming {case['place']} was not followed"
        if "tune" in name or "blind" not in name:  # a blind holdout's misses are never read
            print(f"{'ok  ' if hit else 'MISS'} [{case['interest']}] {case['text']!r}: {replies[:2]}")
    print(f"\n{name}: {right} of {len(cases)} first answers named a right group ({none_such} asked for something the "
          f"directory has nowhere within 25 miles)")
    assert right >= SETS[name] * len(cases)
