"""Is this webhook request from Twilio? `X-Twilio-Signature` checked against every auth token in use.

While the Twilio auth token is being switched (Twilio lets an account hold a primary and a secondary
token), requests are signed with whichever one Twilio considers primary at that moment, so both must
be accepted until the switch is finished: TWILIO_AUTH_TOKEN (current) first, then
TWILIO_AUTH_TOKEN_PREVIOUS. The first time in a process that a request matches an old token, it is
logged (without the request), so whoever rotates can tell when the old token is no longer used.

Twilio signs the public URL it called plus every POST field, empty ones included; Sanic's
`request.form` drops empty fields, so the fields are read from the raw body here (`form_fields`).
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator

from service.settings import Settings

__all__ = ["SignedFields", "TwilioSignatureCheck", "form_fields"]

log = logging.getLogger(__name__)


class SignedFields(dict):
    """Form fields as lists of values, in the shape RequestValidator reads (Django's `getlist`)."""

    def getlist(self, name: str) -> list[str]:
        return list(self[name])


def form_fields(body: bytes) -> SignedFields:
    """The fields of an application/x-www-form-urlencoded body, blank ones kept (Twilio signs them)."""
    return SignedFields(parse_qs(body.decode("utf-8"), keep_blank_values=True))


class TwilioSignatureCheck:
    """Validates a signature with each token in turn (the current token first)."""

    def __init__(self, tokens: Sequence[str]) -> None:
        tokens = tuple(dict.fromkeys(t for t in tokens if t))
        if not tokens:
            raise ValueError("at least one Twilio auth token is needed to check signatures")
        self._validators = tuple(RequestValidator(token) for token in tokens)
        self._old_token_seen: set[int] = set()

    @classmethod
    def from_settings(cls, settings: Settings) -> TwilioSignatureCheck:
        return cls(settings.twilio_signature_tokens)

    @property
    def token_count(self) -> int:
        return len(self._validators)

    def matching_token(self, url: str, fields: Mapping[str, Iterable[str]] | None, signature: str | None) -> int | None:
        """Which token signed the request: 0 the current one, 1.. the previous ones; None if none did."""
        if not signature:
            return None
        for index, validator in enumerate(self._validators):
            if validator.validate(url, fields or SignedFields(), signature):
                if index and index not in self._old_token_seen:
                    self._old_token_seen.add(index)
                    log.warning("a Twilio webhook was signed with an old auth token (TWILIO_AUTH_TOKEN_PREVIOUS "
                                "entry %d); keep it until Twilio signs with the current token only", index)
                return index
        return None

    def is_valid(self, url: str, fields: Mapping[str, Iterable[str]] | None, signature: str | None) -> bool:
        return self.matching_token(url, fields, signature) is not None
