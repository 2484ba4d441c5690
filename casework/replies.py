"""Short answers to a question the service asked: "1"/"2", yes/no in the ways people text them.

The copy offers numbers ("Reply 1 for yes or 2 for no"), because Twilio treats a bare YES as its
opt-in keyword; people still answer in words, so both are read. Anything else is not an answer
(None): the question is dropped and the message goes on as an ordinary one.
"""
from __future__ import annotations

import re

__all__ = ["words_of", "yes_or_no"]

# The whole reply must be the answer (with a please or thanks): "no i meant wallasey" and "yes but in
# moreton" are corrections, not answers, and go on to the bot.
_POLITE = (
    r"( please| pls| thanks| thank you| thankyou| ta| then| x+| love| dear| darling| pet| hun| duck| mate| sweetheart| anyway| very much|"
    r" thats fine| thats ok| its alright| its ok| its fine| ill let you know| i will let you know| maybe another time| maybe next time|"
    r" that would be (very )?(helpful|nice|lovely|good|great)| id rather you didnt| i would rather you didnt| \d)*"
)
_YES_WORDS = (
    r"(1|one|y|ye|yes+|yeah|yea|yep|yup|ya|aye|ok|okay|k|sure|please|yes please|yes pls|ok then|go on|go ahead|fine|alright|"
    r"all right|(that|thatd|that would) (be|sounds) (nice|lovely|good|great)|(sounds )?(good|great|lovely)|why not|definitely|"
    r"of course|certainly|i would|i would like that|id like that|i do|please do|yes i would)"
)
_NO_WORDS = (
    r"(2|two|n|no+|nope|nah|naw|na|no thanks|no thank you|no ta|not really|not now|not at the moment|no need|dont|please dont|"
    r"dont bother|i dont|i would rather not|id rather not|rather not|never mind|nevermind|no its fine|no its ok|no im ok|"
    r"no im fine|im ok|im fine|no dont|no please dont)"
)
# "yeah go on", "no no": an answer may say itself twice.
_YES = re.compile(f"^{_YES_WORDS}( {_YES_WORDS})*{_POLITE}$")
_NO = re.compile(f"^{_NO_WORDS}( {_NO_WORDS})*{_POLITE}$")


def words_of(text: str) -> str:
    """Lower case, apostrophes dropped, punctuation to spaces, single-spaced: "No, it's OK!" -> "no its ok"."""
    return " ".join(re.sub(r"[^a-z0-9 ]", " ", re.sub(r"['\u2019\u2018`]", "", (text or "").casefold())).split())


def yes_or_no(text: str) -> str | None:
    """"yes", "no" or None (not an answer)."""
    words = words_of(text)
    if not words:
        return None
    if _NO.match(words):
        return "no"
    if _YES.match(words):
        return "yes"
    return None
