"""The domain's responses, read straight from bot/domain without the model.

The safety screen and the SMS keywords (STOP, HELP...) must answer even when the model or the action
server is down, so the channels read those responses from the same YAML files Rasa trains on.
"""
from __future__ import annotations

import string
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from casework.safety_numbers import SAFETY_NUMBERS

DOMAIN_DIR = Path(__file__).resolve().parent.parent / "bot" / "domain"


@lru_cache(maxsize=1)
def domain_responses(domain_dir: Path = DOMAIN_DIR) -> dict[str, list[dict[str, Any]]]:
    responses: dict[str, list[dict[str, Any]]] = {}
    for path in sorted(domain_dir.glob("*.yml")):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        responses.update(content.get("responses") or {})
    return responses


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _variant(name: str, channel: str | None) -> dict[str, Any]:
    """The response's `channel:` variant if it has one, else its plain one."""
    variants = domain_responses().get(name)
    if not variants:
        raise KeyError(f"no response named {name!r} in {DOMAIN_DIR}")
    chosen = next((v for v in variants if channel and v.get("channel") == channel), None)
    return chosen or next(v for v in variants if not v.get("channel"))


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
