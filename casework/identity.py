"""Pseudonymous resident ids and encrypted phone numbers.

A phone number is never stored or logged in the clear: conversations are keyed by a keyed hash
(HMAC-SHA256 with PHONE_HASH_KEY) and the number itself is kept only encrypted (Fernet, key derived
from PHONE_ENCRYPTION_KEY) where the outbox needs it for sending.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time

from cryptography.fernet import Fernet

_NOT_DIGITS = re.compile(r"[^\d+]")


class InvalidPhoneNumber(ValueError):
    pass


def normalise_uk_number(raw: str) -> str:
    """E.164 form of a phone number; UK national numbers (07..., 01...) become +44."""
    number = _NOT_DIGITS.sub("", raw or "")
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.startswith("0"):
        number = "+44" + number[1:]
    elif not number.startswith("+"):
        number = "+" + number
    if not re.fullmatch(r"\+[1-9]\d{6,14}", number):
        raise InvalidPhoneNumber("not a phone number")
    return number


def phone_hash(number: str, *, key: str) -> str:
    """Keyed, stable pseudonym of an E.164 number (hex, 32 characters)."""
    digest = hmac.new(key.encode(), normalise_uk_number(number).encode(), hashlib.sha256).hexdigest()
    return digest[:32]


def sms_sender_id(number: str, *, key: str) -> str:
    """The sender id Rasa sees for an SMS resident: never the number itself."""
    return "sms:" + phone_hash(number, key=key)


def mask(number: str) -> str:
    """What a log line may show of a number: its last three digits."""
    digits = _NOT_DIGITS.sub("", number or "")
    return "***" + digits[-3:] if len(digits) >= 3 else "***"


class PhoneVault:
    """Encrypts numbers for storage; only the outbox sender decrypts them."""

    def __init__(self, key: str) -> None:
        derived = hashlib.sha256(("phone-vault:" + key).encode()).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, number: str) -> str:
        return self._fernet.encrypt(normalise_uk_number(number).encode()).decode()

    def open(self, token: str) -> str:
        return self._fernet.decrypt(token.encode()).decode()


# Long enough for a conversation spread over a day; short enough that a token copied off a shared
# library computer stops working. WEBCHAT_TOKEN_HOURS overrides it.
DEFAULT_WEB_TOKEN_HOURS = 24.0
# A token "issued" this far in the future is accepted (clocks of several web replicas may differ).
_CLOCK_SKEW_SECONDS = 300
_MAX_TOKEN_LENGTH = 200


def issue_web_session(*, secret: str, now: float | None = None) -> tuple[str, str]:
    """A new web-chat sender id and the signed token the browser carries; the browser never picks the id.

    The token is `<session id>.<issued at, unix seconds>.<signature of both>`, so its age cannot be
    changed without breaking the signature.
    """
    session_id = secrets.token_urlsafe(18)
    issued = str(int(time.time() if now is None else now))
    return "web:" + session_id, f"{session_id}.{issued}.{_sign(session_id + '.' + issued, secret)}"


def verify_web_token(
    token: str, *, secret: str, max_age_hours: float = DEFAULT_WEB_TOKEN_HOURS, now: float | None = None
) -> str | None:
    """The sender id a token was issued for, or None if we did not issue it, it is malformed or expired.

    Never raises on any input, so callers can answer 401 for every None.
    """
    if not isinstance(token, str) or len(token) > _MAX_TOKEN_LENGTH:
        return None
    parts = token.split(".")
    if len(parts) != 3:
        return None  # tokens from before expiry existed (two parts) are refused: the page issues a new one
    session_id, issued, signature = parts
    if not session_id or not issued.isascii() or not issued.isdigit() or not signature:
        return None
    if not hmac.compare_digest(signature.encode(), _sign(session_id + "." + issued, secret).encode()):
        return None
    age = (time.time() if now is None else now) - int(issued)
    if age < -_CLOCK_SKEW_SECONDS or age > max_age_hours * 3600:
        return None
    return "web:" + session_id


def _sign(value: str, secret: str) -> str:
    return hmac.new(("webchat:" + secret).encode(), value.encode(), hashlib.sha256).hexdigest()[:32]
