"""What the service says back, as the domain decides it: response names and their values, which each
channel renders in its own words and shape (channels.responses; bot/domain holds every sentence).

Casework decides *what* is said (a case was opened and a connector told, a check-in's answer was
heard); the channel decides *how* (SMS segments and numbered choices, web chat buttons).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Union

from casework.cases.triage import Triage

__all__ = ["Said", "Written", "WhatNext", "Line", "case_lines"]


@dataclass(frozen=True)
class Said:
    response: str  # a response of bot/domain ("utter_area_noted")
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Written:
    """Words already written from casework's own copy (casework/texts.yml: a volunteer's training)."""

    text: str


@dataclass(frozen=True)
class WhatNext:
    """After "I didn't go": another idea (the search it came from again) or a call from a connector."""

    interest: str | None
    place: str | None


Line = Union[Said, Written, WhatNext]


def case_lines(triage: Triage, *, told: str = "utter_case_opened") -> list[Said]:
    """The promise rule in one place: "a connector has been told" only when an alert was queued; then
    what the connector still needs (how to reach a web-chat resident, where they are)."""
    if triage.reference is None:
        return []
    lines = [Said(told if triage.alerted else "utter_case_noted", {"reference": triage.reference})]
    if triage.ask_for_contact:
        lines.append(Said("utter_ask_contact"))
    if triage.ask_for_area:
        lines.append(Said("utter_ask_area"))
    return lines
