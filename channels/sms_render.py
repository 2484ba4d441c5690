"""Render a turn's bot replies as SMS: GSM-7 text, numbered choices, a segment budget, MORE.

Pure functions (once the phrases are read from the domain), no Rasa import. The input is what Rasa's CollectingOutputChannel collects: a list of
dicts with "text", "buttons" ([{"title", "payload"}]), "image", "quick_replies"... Folding to GSM-7 and
counting segments are the ground floor's (service.text).

What the channel does with the result (`SmsReply`):
- send `text` as the reply (TwiML);
- store `choices` for the sender, so a later reply of "1" becomes that payload (`resolve_choice`);
- store `more` for the sender and serve the next part when the resident texts MORE
  (`is_more_request`). The choices are written at the end of the *last* part (where the question
  is read), but the mapping holds for the whole turn.

Every phrase a resident reads is a response of the domain (bot/domain/responses_channel.yml), read
into `SmsPhrases`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from service.text import MULTI_GSM, is_gsm, response_text, segment_count, segment_ranges, septet_count, to_gsm

__all__ = [
    "SmsPhrases",
    "default_phrases",
    "SmsReply",
    "render_for_sms",
    "looks_like_choice",
    "resolve_choice",
    "is_more_request",
]


@dataclass(frozen=True)
class SmsPhrases:
    """Words a resident reads, and how many choices fit on one line. Placeholders: {number}, {title}."""

    more: str
    more_keyword: str
    # Inline form, for up to `inline_max` short choices: "Reply 1 for Yes or 2 for No."
    choice_first: str
    choice_next: str
    choice_separator: str
    choice_last_separator: str
    choice_end: str
    # List form, for many or long choices.
    choice_list_intro: str
    choice_list_item: str
    inline_max: int = 3
    inline_title_max: int = 30

    @classmethod
    def from_domain(cls) -> SmsPhrases:
        """The phrases as the domain's responses word them (their `channel: sms` variants)."""
        return cls(
            more=response_text("utter_sms_more", "sms"),
            more_keyword=response_text("utter_sms_more_keyword", "sms"),
            choice_first=response_text("utter_sms_choice_first", "sms"),
            choice_next=response_text("utter_sms_choice_next", "sms"),
            choice_separator=response_text("utter_sms_choice_separator", "sms"),
            choice_last_separator=response_text("utter_sms_choice_last_separator", "sms"),
            choice_end=response_text("utter_sms_choice_end", "sms"),
            choice_list_intro=response_text("utter_sms_choice_list_intro", "sms"),
            choice_list_item=response_text("utter_sms_choice_list_item", "sms"),
        )


@lru_cache(maxsize=1)
def default_phrases() -> SmsPhrases:
    return SmsPhrases.from_domain()


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
        ranges = segment_ranges(text)
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
    phrases: SmsPhrases | None = None,
) -> SmsReply:
    """Render one turn's bot messages (CollectingOutputChannel dicts) as an SMS reply.

    `budget` is the number of segments one reply may use (pass `settings.sms_segment_budget`).
    Buttons of all messages are numbered in order; a button without a payload answers with its
    title. Images are sent as their link. Custom payloads have no SMS form and are left out.
    """
    if budget < 1:
        raise ValueError("budget must be at least one segment")
    phrases = phrases or default_phrases()
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


def looks_like_choice(reply: str) -> bool:
    """Whether a reply is a choice's number at all ("1", " 2.", "(3)"): only then can it pick one."""
    return _CHOICE_REPLY.match(reply or "") is not None


def resolve_choice(reply: str, choices: Mapping[str, str]) -> str | None:
    """The payload a reply like "1", " 2.", "(3)" picks from `choices`, or None."""
    match = _CHOICE_REPLY.match(reply or "")
    if not match:
        return None
    return choices.get(str(int(match.group(1))))


def is_more_request(reply: str, phrases: SmsPhrases | None = None) -> bool:
    """True when the resident texted the MORE keyword (any case, stray punctuation allowed)."""
    word = re.sub(r"[^\w]", "", reply or "")
    return word.casefold() == (phrases or default_phrases()).more_keyword.casefold()
