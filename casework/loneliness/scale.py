"""The UCLA three-item loneliness scale (Hughes et al. 2004, as the ONS and national programmes ask it):
three questions, each answered 1 (hardly ever), 2 (some of the time) or 3 (often). A score is the sum,
3 (least lonely) to 9 (most); a change is the follow-up score less the first, so lower is better.

The words are casework/texts.yml's `loneliness_question_<n>`; here are only how many there are and
which short replies answer one.
"""
from __future__ import annotations

import re

from service.text import words_of

__all__ = ["ITEMS", "LOWEST", "HIGHEST", "item_answer", "score_of"]

# The items, in the order they are asked (texts.yml: loneliness_question_1..3).
ITEMS = ("lack_companionship", "left_out", "isolated")
LOWEST, HIGHEST = len(ITEMS), 3 * len(ITEMS)

_HARDLY = r"(1|one|hardly ever|hardly|never|rarely|not often|hardly at all|not at all|almost never|seldom)"
_SOME = r"(2|two|some of the time|sometimes|some times|now and then|now and again|occasionally|a bit|a little)"
_OFTEN = r"(3|three|often|very often|a lot|always|all the time|most of the time|most days|every day|constantly)"
# "its 2", "id say 1", "2 thanks": a few words around the answer, never a sentence about something else.
_BEFORE = r"(its |i would say |id say |i think |um |erm |oh |well |probably |definitely |just )*"
_AFTER = r"( thanks| thank you| ta| x+| really| i think| i suppose| i guess| to be honest| tbh| sadly| please)*"
_ANSWERS = tuple((value, re.compile(f"^{_BEFORE}{words}{_AFTER}$")) for value, words in ((1, _HARDLY), (2, _SOME), (3, _OFTEN)))


def item_answer(text: str) -> int | None:
    """1, 2 or 3 for a short reply that answers a question of the scale ("2", "often", "id say 1"), else None."""
    words = words_of(text)
    if not words:
        return None
    return next((value for value, pattern in _ANSWERS if pattern.match(words)), None)


def score_of(answers: str) -> int:
    """The score of a round's answers, digits 1-3 one per item ("213" -> 6)."""
    if len(answers) != len(ITEMS) or any(a not in "123" for a in answers):
        raise ValueError("a score needs one answer of 1, 2 or 3 to each item")
    return sum(int(a) for a in answers)
