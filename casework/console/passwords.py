"""Console passwords: scrypt from the standard library, with its cost kept beside each hash.

Stored form: `scrypt$<log2 n>$<r>$<p>$<salt, base64>$<key, base64>`. The cost is OWASP's floor
for scrypt (n = 2**17, r = 8, p = 1: 128 MiB and about 0.4 s on the 2-core development machine),
so a stolen table costs an attacker that much per guess. A hash made with a lower cost still
verifies and `needs_rehash` says to replace it at the next sign-in.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

__all__ = ["MIN_LENGTH", "MAX_LENGTH", "WeakPassword", "hash_password", "verify_password", "needs_rehash"]

LOG2_N, R, P = 17, 8, 1
KEY_BYTES = 32
SALT_BYTES = 16
# NIST SP 800-63B: length is what makes a password strong; no composition rules, any characters.
MIN_LENGTH = 12
# scrypt takes any length, but a megabyte "password" is a way to make us work for nothing.
MAX_LENGTH = 256
_MAXMEM = 256 * 1024 * 1024
_PREFIX = "scrypt"


class WeakPassword(ValueError):
    """A password the console will not accept (the message says why)."""


def _key(password: str, salt: bytes, log2_n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2 ** log2_n, r=r, p=p, maxmem=_MAXMEM, dklen=KEY_BYTES)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, *, log2_n: int = LOG2_N) -> str:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters (a few words make a good one)")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password can have at most {MAX_LENGTH} characters")
    salt = secrets.token_bytes(SALT_BYTES)
    return f"{_PREFIX}${log2_n}${R}${P}${_b64(salt)}${_b64(_key(password, salt, log2_n, R, P))}"


def _parse(stored: str) -> tuple[int, int, int, bytes, bytes] | None:
    parts = (stored or "").split("$")
    if len(parts) != 6 or parts[0] != _PREFIX:
        return None
    try:
        log2_n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
        salt, key = base64.b64decode(parts[4], validate=True), base64.b64decode(parts[5], validate=True)
    except ValueError:
        return None
    if not (10 <= log2_n <= 20 and 1 <= r <= 32 and 1 <= p <= 4):
        return None  # not ours: refuse rather than let a crafted row make us allocate gigabytes
    return log2_n, r, p, salt, key


# Verified against when there is no hash (an unknown number, no password set yet), so that answer
# takes as long as a wrong password and the timing tells nobody which numbers have accounts.
_DECOY = f"{_PREFIX}${LOG2_N}${R}${P}${_b64(b'0' * SALT_BYTES)}${_b64(b'0' * KEY_BYTES)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches `stored`; always does the full work, even with nothing stored."""
    parsed = _parse(stored or "") or _parse(_DECOY)
    assert parsed is not None
    log2_n, r, p, salt, key = parsed
    too_long = len(password) > MAX_LENGTH
    candidate = _key(password[:MAX_LENGTH], salt, log2_n, r, p)
    return not too_long and stored is not None and _parse(stored) is not None and hmac.compare_digest(candidate, key)


def needs_rehash(stored: str) -> bool:
    parsed = _parse(stored)
    return parsed is None or (parsed[0], parsed[1], parsed[2]) < (LOG2_N, R, P)
