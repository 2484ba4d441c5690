"""Reading Twilio's webhook requests: which fields were signed, is the signature good, what was sent.

Framework-free: the routes pass the content type, the raw body and the URL Twilio called.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs

from twilio.request_validator import RequestValidator

from casework.identity import InvalidPhoneNumber, normalise_uk_number

__all__ = ["SignedFields", "SmsIn", "MAX_BODY", "signed_fields", "signature_valid", "parse_sms"]

logger = logging.getLogger(__name__)

MAX_BODY = 1600  # Twilio's own limit for one inbound message
_SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}")


class SignedFields(dict):
    """Form fields as lists of values, in the shape RequestValidator reads (Django's `getlist`)."""

    def getlist(self, name: str) -> list[str]:
        return list(self[name])

    def first(self, name: str) -> str:
        values = self.get(name) or [""]
        return str(values[0])


def signed_fields(content_type: str, body: bytes) -> SignedFields:
    """The fields Twilio signed. Twilio signs empty fields too (Body= on a picture message, FromCity=
    and the like), and Sanic's `request.form` drops them, so the body is parsed here."""
    if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        return SignedFields()
    try:
        return SignedFields(parse_qs(body.decode("utf-8"), keep_blank_values=True))
    except (UnicodeDecodeError, ValueError):  # an unparseable body cannot carry a valid signature
        return SignedFields()


def signature_valid(url: str, fields: SignedFields, signature: str, *, tokens: Sequence[str]) -> bool:
    """Twilio signs the public URL it called with the account's auth token; during a token switch
    any of the configured tokens is accepted."""
    if not signature:
        return False
    return any(RequestValidator(token).validate(url, fields, signature) for token in tokens if token)


@dataclass(frozen=True)
class SmsIn:
    message_sid: str
    number: str
    body: str
    num_media: int


def parse_sms(fields: SignedFields) -> SmsIn:
    """The message Twilio delivered; ValueError says what was wrong (the route answers 400)."""
    sid = (fields.first("MessageSid") or fields.first("SmsSid")).strip()
    if not _SID.fullmatch(sid):
        raise ValueError("MessageSid is missing or malformed")
    try:
        number = normalise_uk_number(fields.first("From"))
    except InvalidPhoneNumber:
        raise ValueError("From is not a phone number") from None
    try:
        num_media = max(0, int(fields.first("NumMedia") or 0))
    except ValueError:
        num_media = 0
    body = fields.first("Body").replace("\x00", "").strip()[:MAX_BODY]
    return SmsIn(sid, number, body, num_media)
