"""The words casework sends on its own, read from casework/texts.yml (Python passes values only)."""
from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["TEXTS_FILE", "render", "priority_word", "reason_line", "all_texts"]

TEXTS_FILE = Path(__file__).with_name("texts.yml")


@lru_cache(maxsize=1)
def _copy() -> dict[str, dict[str, str]]:
    return yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))


def all_texts() -> dict[str, dict[str, str]]:
    """Every section of the file (for the tests that keep the copy GSM-7 and placeholder-correct)."""
    return _copy()


def render(text_name: str, /, **values: Any) -> str:
    """A text by name with its {placeholders} filled; a missing value is a bug, so it raises."""
    template = _copy()["texts"][text_name]
    return string.Formatter().vformat(template, (), values)


def priority_word(priority: str) -> str:
    return _copy()["priorities"][priority]


def reason_line(category: str | None) -> str:
    reasons = _copy()["reasons"]
    return reasons.get(category or "other", reasons["other"])
