"""How the check-in's reply reader does on replies people write (tests/casework/check_in_replies/).

Went or not is what the outcomes count, so it must be right on the tuned replies and nearly right on
the holdout; a reply that is not an answer must never be taken for one (it goes to the bot instead).
The why-not word is for the figures and the connector, so a lower bar. Scores are printed."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from casework.follow_ups import reason_for_not_going, went_or_not

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


@pytest.mark.parametrize(("split", "went_bar", "reason_bar"), [("tune", 1.0, 1.0), ("holdout", 0.9, 0.7)])
def test_went_or_not_and_why(split: str, went_bar: float, reason_bar: float) -> None:
    went, reason, wrong = score(split)
    assert went >= went_bar, wrong
    assert reason >= reason_bar


def test_a_reply_that_is_not_an_answer_is_never_taken_for_one() -> None:
    for split in ("tune", "holdout"):
        for reply in load(split):
            if reply["went"] is None:
                assert went_or_not(reply["text"]) is None, reply["text"]
