"""Pseudonymous resident ids and encrypted phone numbers.

A phone number is never stored or logged in the clear: conversations are keyed by a keyed hash
(HMAC-SHA256 with PHONE_HASH_KEY) and the number itself is kept only encrypted (Fernet, key derived
from PHONE_ENCRYPTION_KEY, see casework.sealing) where the outbox needs it for sending.

During a key rotation the old keys (PHONE_HASH_KEY_PREVIOUS, PHONE_ENCRYPTION_KEY_PREVIOUS) still
find and open what was written under them, until `python -m jobs.rekey` has moved everything.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

from casework.sealing import Vault
from service.settings import Settings

_NOT_DIGITS = re.compile(r"[^\d+]")
SMS_PREFIX = "sms:"
# Column `info` key marking a column that holds phone_hash values (e.g. a connector's phone_hash),
# so `python -m jobs.rekey` re-keys it: info={"keyed_hash": "phone"}.
KEYED_HASH = "keyed_hash"


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
    return SMS_PREFIX + phone_hash(number, key=key)


class PhoneVault(Vault):
    """Encrypts numbers for storage; only the outbox sender decrypts them."""

    purpose = "phone"

    def seal(self, number: str) -> str:
        return super().seal(normalise_uk_number(number))


def phone_hashes(number: str, settings: Settings) -> tuple[str, ...]:
    """The number's pseudonym under the current PHONE_HASH_KEY first, then under each old key.

    For lookups by a keyed hash column while a re-key is pending (`python -m jobs.rekey`).
    """
    keys = dict.fromkeys(k for k in (settings.phone_hash_key, *settings.phone_hash_key_previous) if k)
    return tuple(phone_hash(number, key=key) for key in keys)


def sms_sender_ids(number: str, settings: Settings) -> tuple[str, ...]:
    """`sms_sender_id` under the current key first, then under each old key."""
    return tuple(SMS_PREFIX + digest for digest in phone_hashes(number, settings))


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
