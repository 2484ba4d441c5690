"""Reading Twilio's webhook requests: which fields were signed, is the signature good, what was sent.

Framework-free: the routes pass the content type, the raw body and the URL Twilio called.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from casework.residents.identity import InvalidPhoneNumber, normalise_uk_number
from channels.twilio_signature import SignedFields, form_fields

__all__ = ["SmsIn", "MAX_BODY", "signed_fields", "first", "parse_sms"]

logger = logging.getLogger(__name__)

MAX_BODY = 1600  # Twilio's own limit for one inbound message
_SID = re.compile(r"[A-Z]{2}[0-9a-f]{32}")


def signed_fields(content_type: str, body: bytes) -> SignedFields:
    """The fields Twilio signed (blank ones kept: Twilio signs Body= on a picture message, FromCity=...);
    an unparseable or non-form body has none, and so cannot carry a valid signature."""
    if content_type.split(";")[0].strip().lower() != "application/x-www-form-urlencoded":
        return SignedFields()
    try:
        return form_fields(body)
    except (UnicodeDecodeError, ValueError):
        return SignedFields()


def first(fields: SignedFields, name: str) -> str:
    values = fields.get(name) or [""]
    return str(values[0])


@dataclass(frozen=True)
class SmsIn:
    message_sid: str
    number: str
    body: str
    num_media: int
    to: str = ""  # which of our numbers was texted (E.164; "" when Twilio's To is missing or not a number)


def parse_sms(fields: SignedFields) -> SmsIn:
    """The message Twilio delivered; ValueError says what was wrong (the route answers 400)."""
    sid = (first(fields, "MessageSid") or first(fields, "SmsSid")).strip()
    if not _SID.fullmatch(sid):
        raise ValueError("MessageSid is missing or malformed")
    try:
        number = normalise_uk_number(first(fields, "From"))
    except InvalidPhoneNumber:
        raise ValueError("From is not a phone number") from None
    try:
        num_media = max(0, int(first(fields, "NumMedia") or 0))
    except ValueError:
        num_media = 0
    body = first(fields, "Body").replace("\x00", "").strip()[:MAX_BODY]
    try:
        to = normalise_uk_number(first(fields, "To"))
    except InvalidPhoneNumber:
        to = ""  # only a befriending number's texts are routed by it (channels.sms_webhook)
    return SmsIn(sid, number, body, num_media, to)
