"""Short answers to a question the service asked: "1"/"2", yes/no in the ways people text them.

The copy offers numbers ("Reply 1 for yes or 2 for no"), because Twilio treats a bare YES as its
opt-in keyword; people still answer in words, so both are read. Anything else is not an answer
(None): the question is dropped and the message goes on as an ordinary one.
"""
from __future__ import annotations

import re

__all__ = ["words_of", "yes_or_no"]

_YES = re.compile(
    r"^(1|one|y|ye|yes+|yess*|yeah|yea|yep|yup|ya|aye|ok|okay|k|sure|please|yes please|yes pls|yes thanks|yes thank you|"
    r"ok then|go on|go on then|alright|all right|that would be (nice|lovely|good|great)|(that )?(sounds )?(good|great|lovely)|"
    r"why not|definitely|of course|certainly|i would|i would like that|id like that|i do|please do|yes i would)\b"
)
_NO = re.compile(
    r"^(2|two|n|no+|nope|nah|naw|na|no thanks|no thank you|no ta|not really|not now|not at the moment|no need|"
    r"dont|please dont|dont bother|i dont|i would rather not|id rather not|rather not|never mind|nevermind|no its fine|"
    r"no its ok|no im ok|no im fine|im ok thanks|im fine thanks)\b"
)


def words_of(text: str) -> str:
    """Lower case, apostrophes dropped, punctuation to spaces, single-spaced: "No, it's OK!" -> "no its ok"."""
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", re.sub(r"['\u2019\u2018`]", "", (text or "").casefold())).split())


def yes_or_no(text: str) -> str | None:
    """"yes", "no" or None (not an answer). "no" is tried first: "no thanks" begins like a thank-you."""
    words = words_of(text)
    if not words:
        return None
    if _NO.match(words):
        return "no"
    if _YES.match(words):
        return "yes"
    return None
