"""Read the answer to the screen's direct question, "Are you thinking about ending your life?"
(`interpret_check_answer`): "yes", "no", or not an answer; unsure counts as yes. What answers each is
casework.safety.decisions.CHECK_ANSWER_RESPONSES."""
from __future__ import annotations

import re

from casework.safety.rules_layer import screen
from service.text import words_of

__all__ = ["interpret_check_answer"]

# Unsure counts as yes: crisis lines treat "maybe", "i dont know" and "not at the moment" as a yes and
# keep talking. Read with a light touch of its own: the screen's texting map would turn "n" into "and".
_UNSURE = re.compile(
    r"\b(sometimes|some times|maybe|perhaps|possibly|not sure|unsure|dont know|dont no|dunno|idk|i think so|might|kind of|kinda|sort of|"
    r"a bit|a little|on and off|now and (then|again)|at times|often|all the time|every day|every night|most days|on my mind|cant say|suppose|"
    r"not at the moment|not right now|not today|not now|not really sure|a few times|used to)\b"
)
_YES = re.compile(r"^(yes+|yeah|yea|yeh|yep|yup|ye|y|aye|ya|yah|i am|im|i do|i have|ive|i was|true|correct|definitely|of course|sadly|afraid so)\b")
_NO = re.compile(
    r"^(no+|nope|nah|naw|na|n|not really|not at all|never|definitely not|of course not|god no|no way|(im|i am) (ok|okay|fine|alright|all right|good)|"
    r"not me|not thinking that|i wouldnt|i would never|(im|i am) not)\b"
)


def interpret_check_answer(text: str) -> str | None:
    """"yes", "no" or None (not an answer) for a reply to the possible-risk question. Unsure is "yes"."""
    words = words_of(text)
    if not words:
        return None
    if _UNSURE.search(words):
        return "yes"
    # "no" first: "im not", "i am fine" begin like a yes.
    if _NO.search(words):
        return "no"
    if _YES.search(words):
        return "yes"
    # "i just want to die", "whats the point": an answer in other words.
    return "yes" if screen(text).category in ("suicidal", "despair", "danger") else None
