"""Render a turn's bot replies as SMS: GSM-7 text, numbered choices, a segment budget, MORE.

Pure functions, no Rasa import. The input is what Rasa's CollectingOutputChannel collects: a list of
dicts with "text", "buttons" ([{"title", "payload"}]), "image", "quick_replies"...

Why GSM-7 matters: one character outside GSM-7 (a curly quote, an emoji) switches the *whole* message
to UCS-2, which cuts a segment from 160 to 70 characters and more than doubles the cost; many basic
phones also show such characters as boxes. So everything is folded to GSM-7 and the rest dropped.

What the channel does with the result (`SmsReply`):
- send `text` as the reply (TwiML);
- store `choices` for the sender, so a later reply of "1" becomes that payload (`resolve_choice`);
- store `more` for the sender and serve the next part when the resident texts MORE
  (`is_more_request`). The choices are written at the end of the *last* part (where the question
  is read), but the mapping holds for the whole turn.

Every phrase a resident reads is in `SmsPhrases`, so they can later come from the domain's responses.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "SmsPhrases",
    "DEFAULT_PHRASES",
    "SmsReply",
    "GSM_BASIC",
    "GSM_EXTENSION",
    "to_gsm",
    "is_gsm",
    "septet_count",
    "segment_count",
    "split_segments",
    "render_for_sms",
    "resolve_choice",
    "is_more_request",
]


@dataclass(frozen=True)
class SmsPhrases:
    """Words a resident reads. Placeholders: {number}, {title}. Keep them GSM-7 and short."""

    more: str = "Reply MORE for the rest"
    more_keyword: str = "MORE"
    # Inline form, for up to `inline_max` short choices: "Reply 1 for Yes or 2 for No."
    choice_first: str = "Reply {number} for {title}"
    choice_next: str = "{number} for {title}"
    choice_separator: str = ", "
    choice_last_separator: str = " or "
    choice_end: str = "."
    # List form, for many or long choices.
    choice_list_intro: str = "Reply with a number:"
    choice_list_item: str = "{number} {title}"
    inline_max: int = 3
    inline_title_max: int = 30


DEFAULT_PHRASES = SmsPhrases()

# --- GSM 03.38 ---------------------------------------------------------------------------------
# The basic set (1 septet each). ESC (0x1B) is left out: it only introduces extension characters.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each costs 2 septets (ESC + the character). Form feed is left out on purpose
# (phones render it unpredictably); `to_gsm` turns it into a line break.
GSM_EXTENSION = frozenset("^{}\\[~]|€")

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

_GSM = GSM_BASIC | GSM_EXTENSION


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


def to_gsm(text: str) -> str:
    """Fold `text` to GSM-7 (see module docstring) and tidy the whitespace drops leave behind."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    folded = "".join(_fold_char(ch) for ch in text)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in folded.split("\n")]
    # At most one blank line in a row: each line break is a septet the resident pays for.
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def is_gsm(text: str) -> bool:
    return all(ch in _GSM for ch in text)


def septet_count(text: str) -> int:
    """Septets a GSM-7 text needs (extension characters count 2). Raises on non-GSM text."""
    if not is_gsm(text):
        raise ValueError("text is not GSM-7")
    return sum(2 if ch in GSM_EXTENSION else 1 for ch in text)


def _units(text: str) -> tuple[list[int], int, int]:
    """Cost of each character, and the single/multipart capacities, for the encoding `text` needs."""
    if is_gsm(text):
        return [2 if ch in GSM_EXTENSION else 1 for ch in text], SINGLE_GSM, MULTI_GSM
    # UCS-2 counts UTF-16 code units; a character beyond the BMP (most emoji) takes two.
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text], SINGLE_UCS2, MULTI_UCS2


def _segment_ranges(text: str) -> list[tuple[int, int, int]]:
    """(first char index, end char index, septet offset of the first char) of each segment.

    Filled greedily the way handsets and carriers do; an extension character (ESC + char) or a
    surrogate pair is never split across two segments, so a segment may hold 152 septets.
    """
    if not text:
        return []
    costs, single, multi = _units(text)
    if sum(costs) <= single:
        return [(0, len(text), 0)]
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
    return len(_segment_ranges(text))


def split_segments(text: str) -> list[str]:
    """The segments `text` is cut into on the way to the phone."""
    return [text[start:end] for start, end, _ in _segment_ranges(text)]


# --- links ---------------------------------------------------------------------------------------
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_URL_TRAILING = ".,;:!?)]}'\""


def _links(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in _URL.finditer(text):
        start, end = match.span()
        while end > start and text[end - 1] in _URL_TRAILING:
            end -= 1
        spans.append((start, end))
    return spans


def _keep_links_in_one_segment(text: str) -> str:
    """Move any link that would straddle two segments to the start of the next one.

    Phones that show segments separately (or lose one) would otherwise show half a link that
    cannot be opened. The gap is filled with trailing spaces and a line break, which read as a
    line break. A link longer than a whole segment cannot be helped and is left as it is.
    """
    if not is_gsm(text):
        return text
    for _ in range(len(text)):  # each pass fixes one link; bounded so a bug cannot spin forever
        ranges = _segment_ranges(text)
        if len(ranges) <= 1:
            return text
        moved = False
        for link_start, link_end in _links(text):
            first = next(i for i, (s, e, _) in enumerate(ranges) if s <= link_start < e)
            seg_start, seg_end, seg_offset = ranges[first]
            if link_end <= seg_end or septet_count(text[link_start:link_end]) > MULTI_GSM:
                continue
            # Replace the whitespace before the link (or insert at the link) with enough padding to
            # fill this segment exactly; spaces cost one septet, so the greedy split lands there.
            cut = link_start - 1 if link_start > 0 and text[link_start - 1] in " \n" else link_start
            cut_offset = seg_offset + septet_count(text[seg_start:cut])
            pad = seg_offset + MULTI_GSM - cut_offset
            if pad < 1:
                continue
            text = text[:cut] + " " * (pad - 1) + "\n" + text[link_start:]
            moved = True
            break
        if not moved:
            return text
    return text


# --- choices -------------------------------------------------------------------------------------
def _choice_block(titles: Sequence[str], phrases: SmsPhrases) -> str:
    numbered = [(str(n), title) for n, title in enumerate(titles, start=1)]
    inline = len(numbered) <= phrases.inline_max and all(
        len(t) <= phrases.inline_title_max and "," not in t for _, t in numbered
    )
    if inline:
        pieces = [phrases.choice_first.format(number=numbered[0][0], title=numbered[0][1])]
        for i, (number, title) in enumerate(numbered[1:], start=1):
            last = i == len(numbered) - 1
            pieces.append(phrases.choice_last_separator if last else phrases.choice_separator)
            pieces.append(phrases.choice_next.format(number=number, title=title))
        return "".join(pieces) + phrases.choice_end
    lines = [phrases.choice_list_intro]
    lines += [phrases.choice_list_item.format(number=n, title=t) for n, t in numbered]
    return "\n".join(lines)


def _buttons(message: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    found = message.get("buttons") or message.get("quick_replies") or []
    return [b for b in found if isinstance(b, Mapping)]


# --- splitting to the budget ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Unit:
    separator: str  # what joined it to the text before ("\n", " " or "")
    text: str


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def _fits(text: str, budget: int) -> bool:
    return segment_count(_keep_links_in_one_segment(text)) <= budget


def _smaller_units(unit: _Unit, budget: int, reserve: str) -> list[_Unit]:
    """Cut a unit that cannot fit in one part: into sentences, and sentences into words.

    Whitespace is the only cut point, so a link (which holds no whitespace) is never cut.
    """
    if _fits(unit.text + reserve, budget):
        return [unit]
    sentences = _SENTENCE_END.split(unit.text)
    if len(sentences) > 1:
        pieces = [_Unit(unit.separator if i == 0 else " ", s) for i, s in enumerate(sentences)]
        return [u for piece in pieces for u in _smaller_units(piece, budget, reserve)]
    words = unit.text.split(" ")
    if len(words) > 1:
        return [_Unit(unit.separator if i == 0 else " ", w) for i, w in enumerate(words) if w]
    return [unit]


def _pack(units: list[_Unit], budget: int, more_suffix: str) -> list[str]:
    whole = "".join(u.separator + u.text for u in units).strip()
    if _fits(whole, budget):
        return [whole] if whole else []
    reserve = "\n" + more_suffix
    fine = [small for unit in units for small in _smaller_units(unit, budget, reserve)]
    parts: list[str] = []
    current = ""
    for unit in fine:
        candidate = unit.text if not current else current + unit.separator + unit.text
        if not current or _fits(candidate + reserve, budget):
            # An unbreakable unit bigger than the budget (a very long link) goes out whole.
            current = candidate
        else:
            parts.append(current)
            current = unit.text
    if current:
        parts.append(current)
    last = len(parts) - 1
    return [p if i == last else p + reserve for i, p in enumerate(parts)]


@dataclass(frozen=True)
class SmsReply:
    """A turn rendered for SMS. `text` goes out now; `more` waits for MORE, in order."""

    text: str
    choices: dict[str, str] = field(default_factory=dict)
    more: tuple[str, ...] = ()

    @property
    def segments(self) -> int:
        return segment_count(self.text)


def render_for_sms(
    messages: Iterable[Mapping[str, Any]],
    *,
    budget: int = 3,
    phrases: SmsPhrases = DEFAULT_PHRASES,
) -> SmsReply:
    """Render one turn's bot messages (CollectingOutputChannel dicts) as an SMS reply.

    `budget` is the number of segments one reply may use (pass `settings.sms_segment_budget`).
    Buttons of all messages are numbered in order; a button without a payload answers with its
    title. Images are sent as their link. Custom payloads have no SMS form and are left out.
    """
    if budget < 1:
        raise ValueError("budget must be at least one segment")
    blocks: list[str] = []
    titles: list[str] = []
    choices: dict[str, str] = {}
    for message in messages:
        text = to_gsm(str(message.get("text") or ""))
        if text:
            blocks.append(text)
        image = message.get("image")
        if isinstance(image, str) and image.strip():
            blocks.append(to_gsm(image.strip()))
        for button in _buttons(message):
            title = to_gsm(str(button.get("title") or ""))
            payload = str(button.get("payload") or button.get("title") or "")
            if not payload:
                continue
            titles.append(title or to_gsm(payload))
            choices[str(len(titles))] = payload

    units = [_Unit("\n", line) for block in blocks for line in block.split("\n")]
    if titles:
        units.append(_Unit("\n", _choice_block(titles, phrases)))
    parts = _pack(units, budget, to_gsm(phrases.more))
    if not parts:
        return SmsReply(text="", choices=choices)
    return SmsReply(
        text=_keep_links_in_one_segment(parts[0]),
        choices=choices,
        more=tuple(_keep_links_in_one_segment(p) for p in parts[1:]),
    )


# --- reading the resident's answer ---------------------------------------------------------------
_CHOICE_REPLY = re.compile(r"^\s*[#(]?\s*(\d{1,2})\s*[.)]?\s*$")


def resolve_choice(reply: str, choices: Mapping[str, str]) -> str | None:
    """The payload a reply like "1", " 2.", "(3)" picks from `choices`, or None."""
    match = _CHOICE_REPLY.match(reply or "")
    if not match:
        return None
    return choices.get(str(int(match.group(1))))


def is_more_request(reply: str, phrases: SmsPhrases = DEFAULT_PHRASES) -> bool:
    """True when the resident texted the MORE keyword (any case, stray punctuation allowed)."""
    word = re.sub(r"[^\w]", "", reply or "")
    return word.casefold() == phrases.more_keyword.casefold()
