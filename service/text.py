"""Text at the ground floor, for every layer: the GSM-7 character set and folding to it, SMS segment
sizes, reading a yes/no answer, and choosing a response's channel variant.

Pure functions (the responses are read from bot/domain's YAML, the files Rasa trains on); imports
nothing of the project.

Why GSM-7 matters: one character outside GSM-7 (a curly quote, an emoji) switches the *whole* message
to UCS-2, which cuts a segment from 160 to 70 characters and more than doubles the cost; many basic
phones also show such characters as boxes. So text for a phone is folded to GSM-7 and the rest
dropped: `to_gsm` for a reply (the extension table's characters allowed, at two septets each),
`to_gsm_basic` for the directory's words (one septet a character: "€" reads as "EUR", "[" as "(").
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "GSM_BASIC",
    "GSM_EXTENSION",
    "SINGLE_GSM",
    "MULTI_GSM",
    "SINGLE_UCS2",
    "MULTI_UCS2",
    "to_gsm",
    "to_gsm_basic",
    "is_gsm",
    "is_gsm_basic",
    "septet_count",
    "segment_ranges",
    "segment_count",
    "split_segments",
    "words_of",
    "yes_or_no",
    "DOMAIN_DIR",
    "domain_responses",
    "channel_variant",
    "response_text",
]

# --- GSM 03.38 ---------------------------------------------------------------------------------
# The basic set (1 septet each). ESC (0x1B) is left out: it only introduces extension characters.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs 2 septets (ESC + the character). Form feed is left out on purpose
# (phones render it unpredictably); `to_gsm` turns it into a line break.
GSM_EXTENSION = frozenset("^{}\\[~]|€")

# Segment sizes: septets for GSM-7, UTF-16 code units for UCS-2.
SINGLE_GSM = 160
MULTI_GSM = 153  # 7 septets of each part go to the concatenation header
SINGLE_UCS2 = 70
MULTI_UCS2 = 67

# Characters folded to GSM-7 before anything else is tried. Accented letters outside GSM-7 (á, ê,
# ŵ, ŷ...) are handled by Unicode decomposition in `_fold_char`, so only punctuation is listed here.
_FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u2039": "'", "\u203a": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00ad": "",
    "\u2026": "...",
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ",
    "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u205f": " ",
    "\u3000": " ", "\t": " ",
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "",
    "\f": "\n", "\u2028": "\n", "\u2029": "\n", "\x0b": "\n",
    "\u2022": "-", "\u2023": "-", "\u25cf": "-", "\u25aa": "-", "\u00b7": "-",
    "\u2044": "/", "\u00f7": "/", "\u00d7": "x",
    "\u2192": "->", "\u2190": "<-",
    "\u00a9": "(c)", "\u00ae": "(R)",
    "\u00e7": "c",  # GSM has only a capital C-cedilla; "c" reads better than "Ç" mid-word
    "\u00a2": "c",
}
# For the basic set only: what each extension character reads as instead.
_BASIC_FOR_EXTENSION = {"€": "EUR ", "[": "(", "]": ")", "{": "(", "}": ")", "~": "-", "|": "/", "\\": "/", "^": ""}

_GSM = GSM_BASIC | GSM_EXTENSION
# Beyond the Basic Multilingual Plane (most emoji): two UTF-16 code units in UCS-2.
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")
_SPACES = re.compile(r" {2,}")
_BLANK_LINES = re.compile(r"\n{3,}")


def _fold_char(ch: str) -> str:
    if ch in _GSM:
        return ch
    if ch in _FOLD:
        return _FOLD[ch]
    # Compatibility decomposition, then drop the combining marks: á -> a, ŵ -> w, ﬁ -> fi, ½ -> 1⁄2.
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if not base or base == ch:
        return ""  # emoji, pictographs, other scripts: nothing sensible to fold to
    return "".join(c if c in _GSM else _FOLD.get(c, "") for c in base)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    if _GSM.issuperset(text):
        return text  # what almost every reply is, at C speed: nothing to fold
    return "".join(_fold_char(ch) for ch in text)


def to_gsm(text: str) -> str:
    """Fold `text` to GSM-7 (see module docstring) and tidy the whitespace drops leave behind."""
    folded = _fold((text or "").replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in folded.split("\n")]
    # At most one blank line in a row: each line break is a septet the resident pays for.
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip("\n")


def to_gsm_basic(text: object) -> str:
    """The text folded to GSM-7's basic set (no two-septet characters), runs of spaces collapsed."""
    if text is None:
        return ""
    folded = "".join(_BASIC_FOR_EXTENSION.get(ch, ch) for ch in _fold(str(text)))
    return re.sub(r"[ ]{2,}", " ", folded).strip()


# Rendering a reply asks these of every candidate cut (channels.sms_render), so they run at C speed:
# set operations and str.count rather than a Python loop over the characters.
def is_gsm(text: str) -> bool:
    return _GSM.issuperset(text)


def is_gsm_basic(text: str) -> bool:
    return GSM_BASIC.issuperset(text)


def _doubles(text: str, gsm: bool) -> int:
    """Characters that cost two units: extension characters in GSM-7, surrogate pairs in UCS-2."""
    return sum(map(text.count, GSM_EXTENSION)) if gsm else len(_ASTRAL.findall(text))


# --- segments ------------------------------------------------------------------------------------
def septet_count(text: str) -> int:
    """Septets a GSM-7 text needs (extension characters count 2). Raises on non-GSM text."""
    if not is_gsm(text):
        raise ValueError("text is not GSM-7")
    return len(text) + _doubles(text, True)


def _units(text: str) -> tuple[list[int], int, int]:
    """Cost of each character, and the single/multipart capacities, for the encoding `text` needs."""
    if is_gsm(text):
        return [2 if ch in GSM_EXTENSION else 1 for ch in text], SINGLE_GSM, MULTI_GSM
    # UCS-2 counts UTF-16 code units; a character beyond the BMP (most emoji) takes two.
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text], SINGLE_UCS2, MULTI_UCS2


def segment_ranges(text: str) -> list[tuple[int, int, int]]:
    """(first char index, end char index, septet offset of the first char) of each segment.

    Filled greedily the way handsets and carriers do; an extension character (ESC + char) or a
    surrogate pair is never split across two segments, so a segment may hold 152 septets.
    """
    if not text:
        return []
    gsm = is_gsm(text)
    doubles = _doubles(text, gsm)
    single, multi = (SINGLE_GSM, MULTI_GSM) if gsm else (SINGLE_UCS2, MULTI_UCS2)
    if len(text) + doubles <= single:
        return [(0, len(text), 0)]
    if not doubles:  # one unit a character: the greedy fill is plain arithmetic
        return [(start, min(start + multi, len(text)), start) for start in range(0, len(text), multi)]
    costs, single, multi = _units(text)
    ranges: list[tuple[int, int, int]] = []
    start, used, offset = 0, 0, 0
    for index, cost in enumerate(costs):
        if used + cost > multi:
            ranges.append((start, index, offset))
            offset += used
            start, used = index, 0
        used += cost
    ranges.append((start, len(text), offset))
    return ranges


def segment_count(text: str) -> int:
    """How many SMS segments `text` is sent as (0 for an empty text).

    GSM-7: 160 septets in one segment, else 153 per segment. Anything outside GSM-7: UCS-2,
    70 code units in one segment, else 67 per segment.
    """
    return len(segment_ranges(text))


def split_segments(text: str) -> list[str]:
    """The segments `text` is cut into on the way to the phone."""
    return [text[start:end] for start, end, _ in segment_ranges(text)]


# --- short answers to a question the service asked -----------------------------------------------
# The copy offers numbers ("Reply 1 for yes or 2 for no"), because Twilio treats a bare YES as its
# opt-in keyword; people still answer in words, so both are read. Anything else is not an answer
# (None): the question is dropped and the message goes on as an ordinary one. The whole reply must be
# the answer (with a please or thanks): "no i meant wallasey" and "yes but in moreton" are corrections,
# not answers, and go on to the bot. (Questions with answers of their own keep their own readers: the
# safety screen's, where unsure is yes, casework.safety.check_answer; FORGET ME's DELETE or KEEP,
# casework.privacy.erasure_request; the report's contact question, actions.report_answers.)
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
    """"yes", "no" or None (not an answer) for a reply to a 1-or-2 question."""
    words = words_of(text)
    if not words:
        return None
    if _NO.match(words):
        return "no"
    if _YES.match(words):
        return "yes"
    return None


# --- the domain's responses ----------------------------------------------------------------------
DOMAIN_DIR = Path(__file__).resolve().parent.parent / "bot" / "domain"


@lru_cache(maxsize=1)
def domain_responses(domain_dir: Path = DOMAIN_DIR) -> dict[str, list[dict[str, Any]]]:
    """Every response of the domain by name, read straight from the YAML Rasa trains on (no model)."""
    responses: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(domain_dir.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        responses.update(content.get("responses") or {})
    return responses


def channel_variant(variants: Sequence[Mapping[str, Any]], channel: str | None) -> Mapping[str, Any] | None:
    """The response's `channel:` variant if it has one, else its plain one (None when it has neither)."""
    chosen = next((v for v in variants if channel and v.get("channel") == channel), None)
    return chosen or next((v for v in variants if not v.get("channel")), None)


def response_text(name: str, channel: str | None = None) -> str:
    """A response's text for a channel as the domain writes it, {placeholders} and all."""
    chosen = channel_variant(domain_responses().get(name) or [], channel)
    if chosen is None:
        raise KeyError(f"no response named {name!r} for channel {channel!r} in {DOMAIN_DIR}")
    return str(chosen.get("text") or "")
