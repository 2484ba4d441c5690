"""Between the outbox sender and its transports: what a transport is handed and what it answers.

A transport (`twilio_sms`, `smtp_email`, `dry_run`) takes an `Outgoing`, plain values copied out of
the session so no ORM object crosses the network call, and answers with one outcome, which the sender
(casework.outbox.sender) records:
- `Sent`: the provider has it (with Twilio's SID and status);
- `Retry`: not now (429, 5xx, the network), at the earliest after `retry_after` seconds;
- `Permanent`: never (an invalid number, other 4xx; `unsubscribed` when Twilio says the number
  texted STOP);
- `CredentialsRefused`: the provider refuses our credentials; nothing is wrong with the message.

An outcome's error text never holds a phone number (`scrub_numbers`), nor does `Outgoing.masked`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, Union

from service.log_privacy import mask

__all__ = ["Outgoing", "Sent", "Retry", "Permanent", "CredentialsRefused", "Outcome", "Transport", "scrub_numbers"]


@dataclass(frozen=True)
class Sent:
    provider_sid: str | None = None
    provider_status: str | None = None


@dataclass(frozen=True)
class Retry:
    error: str
    retry_after: float | None = None


@dataclass(frozen=True)
class Permanent:
    error: str
    code: int | None = None
    unsubscribed: bool = False


@dataclass(frozen=True)
class CredentialsRefused:
    """The provider refuses our credentials (Twilio 401/403): nothing is wrong with the message."""

    error: str


Outcome = Union[Sent, Retry, Permanent, CredentialsRefused]


@dataclass(frozen=True)
class Outgoing:
    """What a transport needs, copied out of the session so no ORM object crosses the network call."""

    id: int
    channel: str
    to: str  # the decrypted number or the email address: never log it, use `masked`
    body: str
    purpose: str
    subject: str | None = None
    validity_seconds: int | None = None
    recipient: str | None = None  # the outbox's pseudonymous recipient id (sms:<hash>, connector:<id>)
    from_number: str | None = None  # one of our own numbers (a befriending match's); None: TWILIO_FROM_NUMBER

    @property
    def masked(self) -> str:
        return _mask_address(self.to)


class Transport(Protocol):
    def send(self, message: Outgoing) -> Outcome: ...


_PHONE_LIKE = re.compile(r"\+?\d[\d ()-]{6,}\d")


def scrub_numbers(text: str) -> str:
    """Twilio's error messages quote the number ("The 'To' number +447... is not valid")."""
    return _PHONE_LIKE.sub(lambda m: mask(m.group()), text)[:500]


def _mask_address(address: str) -> str:
    if "@" in address:
        local, _, domain = address.partition("@")
        return (local[:1] + "***@" + domain) if local else "***@" + domain
    return mask(address)
