"""Conversation signals: explainable, non-interrupting, about the person writing."""
from __future__ import annotations

import pytest

from casework.safety.corpus import load
from casework.safety.rules_layer import screen
from casework.safety.signals import SIGNALS, Signal, signals


def names(text: str) -> list[str]:
    return [s.name for s in signals(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i live on my own", ["lives_alone"]),
        ("im 81 and live alone since my husband died", ["lives_alone", "aged_65_plus", "bereaved"]),
        ("havent spoken to anyone for a fortnight", ["nobody_for_days"]),
        ("i talk to nobody from one week to the next", ["nobody_for_days"]),
        ("im 81", ["aged_65_plus"]),
        ("in my eighties and still dancing", ["aged_65_plus"]),
        ("lost my wife in march", ["bereaved"]),
        ("i'm a carer for my wife and i'm worn out, any breaks", ["carer_strain"]),
        ("any help with scooters, my legs arent great", ["mobility"]),
        ("i use a zimmer so nothing with stairs", ["mobility"]),
        ("ive been conned out of 2000 pounds", ["scam_victim"]),
        ("cant be bothered cooking, any lunch clubs", ["self_neglect"]),
        ("i keep forgetting to take my tablets", ["self_neglect"]),
    ],
)
def test_signals_are_raised(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "i used to live alone but moved in with my daughter",
        "is there anything for people living alone",
        "my mum lives alone and is 93",
        "lost my husband's watch at the tea dance",
        "the 75 bus is always late",
        "i'm a carer for my wife, she likes the choir",
        "is the falls class on tuesday",
        "any talks on scams",
        "",
    ],
)
def test_nothing_is_raised_for_ordinary_texts_or_texts_about_someone_else(text: str) -> None:
    assert signals(text) == []


def test_each_signal_names_its_rule_and_comes_in_a_fixed_order() -> None:
    found = signals("im 90, i live alone and i lost my husband last year and i use a wheelchair")
    assert [s.name for s in found] == [n for n in SIGNALS if n in {s.name for s in found}]
    assert all(isinstance(s, Signal) and s.rule.startswith(f"{s.name}.") for s in found)
    assert found[0] == Signal("lives_alone", "lives_alone.lives_alone")


def test_the_rules_decision_handed_over_gives_the_same_signals_as_running_the_rules_again() -> None:
    """The intake hands over its screen's decision when the rules made it, so the rules run once a message."""
    texts = [example.text for example in load("tune")] + ["ive been conned out of 2000 pounds", "im 81 and live alone since my husband died"]
    for text in texts:
        assert signals(text, rules=screen(text)) == signals(text), text
