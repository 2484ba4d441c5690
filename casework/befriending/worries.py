"""A relayed text that a connector should look at: money asked for, the friendship moved somewhere
else (contact details, meeting away from what was arranged), or abuse. Either way: a worrying pattern
is flagged to the match's connector; the text still goes (a connector judges, the words may be
innocent), except that a phone number in it is taken out, since neither side is to see the other's.

Named rules, as the safety screen's are, so a connector reads why; the safety screen itself runs on
every relayed text first (a crisis is answered as anywhere else).
"""
from __future__ import annotations

import re

__all__ = ["WORRIES", "worry_in", "without_numbers"]

WORRIES = ("money", "meeting", "abuse")

_MONEY = re.compile(
    r"\b(lend|loan|borrow|owe)\b.{0,30}\b(money|cash|quid|pounds?|tenner|fiver|\d+)\b|£\s?\d|\b\d+\s?(quid|pounds)\b"
    r"|\b(send|give|transfer|pay|wire)\b.{0,20}\b(money|cash|bank|funds)\b|\b(bank|card|account)\s+(details|number)\b"
    r"|\b(pin|sort code|gift cards?|itunes cards?|western union|paypal)\b",
    re.IGNORECASE,
)
# Contact away from the service (numbers, addresses, other apps) or meeting somewhere not arranged through a connector.
_MEETING = re.compile(
    r"\b(meet\s+(me|up|you)|lets\s+meet|(my|your)\s+(home\s+)?(address|mobile|number|email)|where\s+do\s+you\s+live|"
    r"what\s+street|whats\s*app|facebook|messenger|instagram|snapchat|(text|ring|call|phone)\s+me\s+(on|at)|come\s+to\s+my\s+(house|flat|place))\b",
    re.IGNORECASE,
)
_ABUSE = re.compile(
    r"\b(shut\s+up|stupid|idiot|moron|useless|i\s+hate\s+you|(kill|hurt|hit)\s+you|bitch|bastard|f+u+c+k\w*|shit\w*|piss\s+off|slag|"
    r"twat|cunt|dickhead|you\s+old\s+(cow|fool|bat))\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?:\+|\b)\d[\d ()-]{8,}\d\b")


def worry_in(text: str) -> str | None:
    """money | meeting | abuse, or None. A phone number in the text is a meeting elsewhere (a contact away from the service)."""
    if _MONEY.search(text):
        return "money"
    if _ABUSE.search(text):
        return "abuse"
    if _MEETING.search(text) or _PHONE.search(text):
        return "meeting"
    return None


def without_numbers(text: str) -> str:
    """The text with anything shaped like a phone number taken out."""
    return _PHONE.sub("[number taken out]", text)
