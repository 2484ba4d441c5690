"""Intent and entity F1 of a trained model on a file of examples (used by the held-out test and bench).

Entities are compared as (type, value) pairs after the synonyms, case and spacing aside: "CH45 4LB"
and "ch454lb" are one postcode, and the rule-based and statistical extractors finding the same
place count once. Intent F1 is weighted by how many examples each intent has, as `rasa test` reports.
"""
from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from pathlib import Path

from rasa.core.agent import Agent
from rasa.shared.nlu.training_data.loading import load_data
from sklearn.metrics import f1_score


@dataclass(frozen=True)
class Scores:
    examples: int
    intent_f1: float
    entity_precision: float
    entity_recall: float
    entity_f1: float
    intent_errors: tuple[tuple[str, str, str], ...]  # (text, expected, predicted)
    entity_errors: tuple[tuple[str, frozenset, frozenset], ...]


def _key(value: object) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(value).lower())


def score(agent: Agent, examples_file: Path) -> Scores:
    data = load_data(str(examples_file))
    loop = asyncio.new_event_loop()
    try:
        parsed = [loop.run_until_complete(agent.parse_message(m.get("text"))) for m in data.intent_examples]
    finally:
        loop.close()
    expected = [m.get("intent") for m in data.intent_examples]
    predicted = [p["intent"]["name"] for p in parsed]
    true_positive = false_positive = false_negative = 0
    entity_errors = []
    for message, result in zip(data.intent_examples, parsed):
        gold = frozenset((e["entity"], _key(e["value"])) for e in message.get("entities") or [])
        found = frozenset((e["entity"], _key(e["value"])) for e in result["entities"])
        true_positive += len(gold & found)
        false_positive += len(found - gold)
        false_negative += len(gold - found)
        if gold != found:
            entity_errors.append((message.get("text"), gold, found))
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 1.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 1.0
    return Scores(
        examples=len(expected),
        intent_f1=float(f1_score(expected, predicted, average="weighted", zero_division=0)),
        entity_precision=precision,
        entity_recall=recall,
        entity_f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        intent_errors=tuple((m.get("text"), e, p) for m, e, p in zip(data.intent_examples, expected, predicted) if e != p),
        entity_errors=tuple(entity_errors),
    )
