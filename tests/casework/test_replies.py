"""Short answers to our 1/2 questions (casework.replies): numbers and words, whole replies only."""
from __future__ import annotations

import pytest

from casework.replies import yes_or_no


@pytest.mark.parametrize("text", ["1", "Yes please!", "yes pls", "ok", "OK then", "sure", "Yeah go on", "one", "Yes thanks x",
                                  "that would be lovely", "go ahead", "Aye"])
def test_yes(text: str) -> None:
    assert yes_or_no(text) == "yes"


@pytest.mark.parametrize("text", ["2", "no thanks", "Nope", "2 please", "not now", "nah not really", "No, it's OK", "rather not"])
def test_no(text: str) -> None:
    assert yes_or_no(text) == "no"


@pytest.mark.parametrize("text", ["no i meant wallasey", "yes but in moreton", "12", "what about thursdays", "", "knitting",
                                  "yesterday", "nobody visits me", "okay so how do i get there"])
def test_anything_else_is_not_an_answer(text: str) -> None:
    assert yes_or_no(text) is None

