"""The safety screen on texts it was never tuned on (tests/casework/safety_corpus/holdout*.tsv).

Recall: every must-escalate text (any category but none and isolated) must be escalated (given any
category but none and isolated). False alarms: at most 5% of ordinary (`none`) texts may interrupt
the conversation. Category accuracy is printed (pytest -s) but not held to a threshold.

`holdout4` was written blind, by someone who saw neither the rules nor the corpus, and its misses are
never looked at: it is the nearest to texts from outside, so it is held to what the screen does there
(BLIND_RECALL, BLIND_FALSE_ALARMS), not to 100%, and its figures are the ones to quote.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from casework.safety import CATEGORIES, screen

CORPUS = Path(__file__).resolve().parent / "safety_corpus"
HOLDOUTS = ("holdout", "holdout2", "holdout3", "holdout4")
BLIND = frozenset({"holdout4"})
BLIND_RECALL, BLIND_FALSE_ALARMS = 0.8, 0.1
# A holdout aimed at one family of mistakes, not at every category.
FOCUSED = frozenset({"holdout3"})
LABELS = {*CATEGORIES, "none"}
MAX_FALSE_ALARMS = 0.05


def load(split: str) -> list[tuple[str, str]]:
    lines = (CORPUS / f"{split}.tsv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "text\tcategory"
    return [(text, label) for text, label in (line.split("\t") for line in lines[1:] if line.strip())]


@pytest.mark.parametrize("split", ["tune", *HOLDOUTS])
def test_the_corpus_is_well_formed(split: str) -> None:
    rows = load(split)
    assert all(label in LABELS for _, label in rows), {label for _, label in rows} - LABELS
    assert all(text.strip() and "\t" not in text for text, _ in rows)
    if split not in FOCUSED:
        assert {label for _, label in rows} == LABELS, "every category and ordinary texts"


def test_the_splits_do_not_overlap_and_hold_at_least_600_texts() -> None:
    splits = {split: {t.casefold() for t, _ in load(split)} for split in ("tune", *HOLDOUTS)}
    names = list(splits)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            assert not splits[first] & splits[second], (first, second)
    held_out = sum(len(load(split)) for split in HOLDOUTS)
    total = held_out + len(load("tune"))
    assert total >= 600
    assert 0.3 <= held_out / total <= 0.45


@pytest.mark.parametrize("split", [*HOLDOUTS, "tune"])
def test_every_must_escalate_text_is_escalated_and_few_ordinary_texts_interrupt(split: str) -> None:
    """Blind texts: at least BLIND_RECALL escalated, at most BLIND_FALSE_ALARMS interrupted."""
    results = [(text, label, screen(text)) for text, label in load(split)]
    must = [(t, label, s) for t, label, s in results if label not in ("none", "isolated")]
    missed = [(t, label) for t, label, s in must if s.category in (None, "isolated")]
    ordinary = [(t, s) for t, label, s in results if label == "none"]
    alarms = [(t, s.category) for t, s in ordinary if s.interrupts]
    exact = sum(1 for _, label, s in results if (s.category or "none") == label)
    print(
        f"\n{split}: recall {len(must) - len(missed)}/{len(must)}, false alarms {len(alarms)}/{len(ordinary)}, "
        f"category accuracy {exact}/{len(results)} ({exact / len(results):.1%})"
    )
    if split in BLIND:
        assert (len(must) - len(missed)) / len(must) >= BLIND_RECALL
        assert len(alarms) / len(ordinary) <= BLIND_FALSE_ALARMS
        return
    assert missed == [], f"must-escalate texts missed on {split}"
    assert len(alarms) / len(ordinary) <= MAX_FALSE_ALARMS, alarms
