"""How the check-in's reply reader and the 1/2 reader do on replies people write
(tests/casework/follow_ups/check_in_replies/, its README says how each split was written and first scored).

Went or not is what the outcomes count, so it must be right on the tuned replies and nearly right on
the holdouts; a reply that is not an answer must never be taken for one on a holdout (it goes to the
bot instead). The why-not word is for the figures and the connector: a lower bar. Scores are printed."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casework.follow_ups.check_ins import reason_for_not_going, went_or_not
from service.text import yes_or_no

CORPUS = Path(__file__).with_name("check_in_replies")


def load(split: str) -> list[dict]:
    return yaml.safe_load((CORPUS / f"{split}.yml").read_text(encoding="utf-8"))["replies"]


def score(split: str) -> tuple[float, float, list[str]]:
    replies = load(split)
    wrong_went = [r["text"] for r in replies if went_or_not(r["text"]) != r["went"]]
    not_going = [r for r in replies if r["went"] is False]
    right_reason = sum(reason_for_not_going(r["text"]) == r["reason"] for r in not_going)
    print(f"\n{split}: went/didn't/not an answer {len(replies) - len(wrong_went)}/{len(replies)}; "
          f"why not {right_reason}/{len(not_going)}; wrong: {wrong_went}")
    return 1 - len(wrong_went) / len(replies), right_reason / len(not_going), wrong_went


@pytest.mark.parametrize(("split", "went_bar", "reason_bar"),
                         [("tune", 1.0, 1.0), ("tune2", 0.95, 0.9), ("holdout", 0.9, 0.7), ("holdout2", 0.9, 0.7)])
def test_went_or_not_and_why(split: str, went_bar: float, reason_bar: float) -> None:
    went, reason, wrong = score(split)
    assert went >= went_bar, wrong
    assert reason >= reason_bar


@pytest.mark.parametrize("split", ["holdout", "holdout2"])
def test_a_reply_that_is_not_an_answer_is_never_taken_for_one(split: str) -> None:
    for reply in load(split):
        if reply["went"] is None:
            assert went_or_not(reply["text"]) is None, reply["text"]


@pytest.mark.parametrize(("split", "bar"), [("yes_no_tune", 0.95), ("yes_no_holdout", 0.75)])
def test_yes_or_no_to_our_1_or_2_questions(split: str, bar: float) -> None:
    replies = yaml.safe_load((CORPUS / f"{split}.yml").read_text(encoding="utf-8"))["replies"]
    wrong = [r["text"] for r in replies if yes_or_no(r["text"]) != r["answer"]]
    print(f"\n{split}: {len(replies) - len(wrong)}/{len(replies)}; wrong: {wrong}")
    assert 1 - len(wrong) / len(replies) >= bar, wrong
    # The costly mistake is reading a correction or a question as an answer: never on these.
    assert not [r["text"] for r in replies if r["answer"] is None and yes_or_no(r["text"]) is not None]
