"""The words an SMS resident can text on their own: opt-out, opt-in, help, and choice numbers.

Twilio's own opt-out handling recognises the same opt-out and opt-in words; we record them too, so
nothing is ever sent to an opted-out number by the outbox either.
"""
from __future__ import annotations

import re

__all__ = ["OPT_OUT_WORDS", "OPT_IN_WORDS", "HELP_WORDS", "keyword"]

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})
_SINGLE_WORD = re.compile(r"^[\W_]*([A-Za-z]+|\d{1,2})[\W_]*$")


def keyword(body: str) -> str | None:
    """The single word (or choice number) a message consists of, upper-cased; None for anything longer."""
    match = _SINGLE_WORD.match(body or "")
    return match.group(1).upper() if match else None
