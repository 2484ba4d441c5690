"""What a message says someone will not use, does not want or cannot do: never the search.

"She was a keen gardener ... She won't use a computer" asks for gardening (issue 15, blind7's tune half); "my knees are
shot so walking's out" is no wish for a walking group. A refusal runs from its word to the end of its clause. "Can't" is
a refusal only when the message says nothing of learning: "he can't cook at all, would love him to learn" is the wish.
No Rasa here; validate_search_form.py and wish.py use it.
"""
from __future__ import annotations

import re

from directory.interests import concepts_in

__all__ = ["refused_spans", "without_refusals", "only_refused"]

_CLAUSE_END = r"(?=[.,;:!?]|\bbut\b|\bthough\b|\bhowever\b|$)"
_REFUSAL = re.compile(
    r"\b(wont|will not|wouldnt|would not|doesnt|does not|dont|do not|didnt|did not|never|refuses to|refused to|"
    r"(would|will|hed|shed|id|theyd|youd|wed) hate|hates|hated|cant stand|not (really )?(into|interested in|keen on|a fan of|one for|bothered (about|with))|"
    r"no (longer|more))\b"
    # not a refusal: "i dont mind walking", "wouldnt mind a bit of gardening", "ive never tried painting", "dont know anyone"
    r"(?! (mind|know|tried|done|been|had a go|ever tried|ever done)\b)[^.,;:!?]*?" + _CLAUSE_END
    + r"|\b\w+ings? (is |are )?out( of the question)?\b"
)
# A thing to do named after "not" or "no" ("blokes get together and make or fix stuff. not bingo ta": blind12's tune half);
# "not sure", "not far" name nothing to do, so they stay.
# "not a proper choir" asks for an easier kind of the thing, not none of it (blind15's tune half).
# "do u no any chair exercise classes" is "do you know" (first_texts.yml).
_NOT_THAT = re.compile(r"(?<!\bdo u )(?<!\bdo you )(?<!\bd u )(?<!\bdya )(?<!\bu )\b(not|no|nothing like|rather not)\s+(any\s+|a\s+|the\s+|more\s+)?"
                       r"(?!(proper|formal|serious|posh|fancy|big|professional|competitive|strict|too)\b)(?P<thing>[a-z]+(\s+[a-z]+)?)")
_CANT = re.compile(r"\b(cant|cannot|can not|unable to|no good at)\b[^.,;:!?]*?" + _CLAUSE_END)
_LEARNING = re.compile(r"\b(learn|learning|teach|taught|lessons?|beginners?|basics|get to grips|help|support|show (him|her|them|me))\b")


def _plain(text: str) -> str:
    # Lower case without apostrophes (won't, walking's): the patterns are written for this.
    return (text or "").lower().replace("\u2019", "'").replace("'", "")


def _kept(text: str) -> list[int]:
    """For each character of _plain(text), its index in `text` (apostrophes are dropped)."""
    return [i for i, c in enumerate(text or "") if c not in "'\u2019"]


def refused_spans(text: str) -> list[tuple[int, int]]:
    """The spans of _plain(text) that are refusals."""
    plain = _plain(text)
    spans = [m.span() for m in _REFUSAL.finditer(plain)]
    spans += [m.span() for m in _NOT_THAT.finditer(plain) if concepts_in(m.group("thing"))]
    if not _LEARNING.search(plain):
        spans += [m.span() for m in _CANT.finditer(plain)]
    return spans


def without_refusals(text: str) -> str:
    """The message as written, with what it refuses taken out."""
    spans = refused_spans(text)
    if not spans:
        return text
    kept = _kept(text) + [len(text)]
    out = text
    for start, end in sorted(spans, reverse=True):
        out = out[: kept[start]] + " " + out[kept[end - 1] + 1 if end > start else kept[start]:]
    return " ".join(out.split())


def only_refused(value: str, text: str) -> bool:
    """Every place the message says `value` (an interest the model marked) is inside a refusal."""
    plain, wanted = _plain(text), _plain(value).strip()
    if not wanted:
        return False
    found = [m.start() for m in re.finditer(rf"\b{re.escape(wanted)}", plain)]
    spans = refused_spans(text)
    return bool(found) and all(any(start <= at < end for start, end in spans) for at in found)
