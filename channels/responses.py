"""The domain's responses rendered for a channel, read straight from bot/domain without the model.

The safety screen and the SMS keywords (STOP, HELP...) must answer even when the model or the action
server is down, so the channels read those responses from the same YAML files Rasa trains on
(`service.text.domain_responses`; the choice of a channel's variant is there too).
"""
from __future__ import annotations

import string
from collections.abc import Mapping
from typing import Any

from casework.safety.numbers import SAFETY_NUMBERS
from service.text import DOMAIN_DIR, channel_variant, domain_responses

__all__ = ["render_response", "response_buttons"]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _variant(name: str, channel: str | None) -> Mapping[str, Any]:
    """The response's `channel:` variant if it has one, else its plain one."""
    chosen = channel_variant(domain_responses().get(name) or [], channel)
    if chosen is None:
        raise KeyError(f"no response named {name!r} for channel {channel!r} in {DOMAIN_DIR}")
    return chosen


def render_response(name: str, *, channel: str | None = None, values: Mapping[str, Any] | None = None) -> str:
    """The text of a response for a channel (its `channel:` variant if it has one), values filled in.

    Safety numbers are always available as values, so the copy says {samaritans} and the number
    comes from the checked table.
    """
    chosen = _variant(name, channel)
    filled = _Blank({**SAFETY_NUMBERS, **(values or {})})
    return string.Formatter().vformat(chosen["text"], (), filled)


def response_buttons(name: str, *, channel: str | None = None) -> list[dict[str, str]]:
    """The buttons of a response's variant for a channel (titles and payloads as written)."""
    chosen = _variant(name, channel)
    return [{"title": str(b.get("title") or ""), "payload": str(b.get("payload") or "")} for b in chosen.get("buttons") or []]
