"""What a door (SMS, web chat, the relay) hands the intake, `Incoming`, and what it gets back to answer
with now, `Outcome`."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["Messages", "Incoming", "Outcome"]

Messages = list[dict[str, Any]]


@dataclass(frozen=True)
class Incoming:
    """One message as a channel hands it over. Never logged: `text` is the resident's words."""

    channel: str  # "sms" | "webchat"
    message_id: str  # Twilio's MessageSid, or the web chat's sender-scoped id
    sender_id: str  # "sms:<keyed hash>" or "web:<session>"
    text: str
    phone_sealed: str | None = None  # SMS only: the number, encrypted, for the outbox
    num_media: int = 0


@dataclass(frozen=True)
class Outcome:
    """What the channel answers now. `pending`: the real answer comes later (outbox or poll)."""

    state: str
    text: str | None = None
    messages: Messages = field(default_factory=list)
    pending: bool = False
