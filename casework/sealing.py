"""Sealed columns: private text stored encrypted, readable under the current key and the old ones.

Each kind of sealed value has a purpose ("phone", "body", ...) from which its Fernet key is derived
(sha256 of "<label>:<PHONE_ENCRYPTION_KEY>"), so a leaked key of one purpose opens nothing else.
Values are sealed under the current key; during a rotation (PHONE_ENCRYPTION_KEY_PREVIOUS) the old
keys still open what they sealed, through cryptography's MultiFernet, until `python -m jobs.rekey`
has re-sealed everything.

Convention for tables: a column holding sealed values is declared with `info={"sealed": "<purpose>"}`
(and, if only some rows are sealed, `"sealed_when": {"<column>": <value>}`), so the re-key command
finds it without knowing the table.
"""
from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable
from typing import ClassVar, TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from service.settings import Settings

__all__ = ["Vault", "InvalidToken", "vault_for", "SEALED", "SEALED_WHEN"]

# Column `info` keys (see the module docstring).
SEALED = "sealed"
SEALED_WHEN = "sealed_when"

# The labels the first vaults were built with; any other purpose is its own label.
_LABELS = {"phone": "phone-vault", "body": "inbound-body"}

V = TypeVar("V", bound="Vault")


def _fernet(purpose: str, key: str) -> Fernet:
    derived = hashlib.sha256((_LABELS.get(purpose, purpose) + ":" + key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


class Vault:
    """Seals and opens the values of one purpose; `previous` keys only open (and are re-sealed away from)."""

    purpose: ClassVar[str] = ""

    def __init__(self, key: str, previous: Iterable[str] = (), *, purpose: str | None = None) -> None:
        self._purpose = purpose or self.purpose
        if not self._purpose:
            raise ValueError("a vault needs a purpose")
        self._current = _fernet(self._purpose, key)
        older = [_fernet(self._purpose, old) for old in dict.fromkeys(previous) if old and old != key]
        self._all = MultiFernet([self._current, *older])

    @classmethod
    def for_settings(cls: type[V], settings: Settings) -> V:
        return cls(settings.phone_encryption_key, settings.phone_encryption_key_previous)

    def seal(self, text: str) -> str:
        return self._all.encrypt(text.encode()).decode()

    def open(self, token: str) -> str:
        """The sealed text; raises InvalidToken if no configured key sealed it."""
        return self._all.decrypt(token.encode()).decode()

    def open_or_none(self, token: str | None) -> str | None:
        """The sealed text, or None when there is none or no configured key sealed it (a retired key)."""
        if not token:
            return None
        try:
            return self.open(token)
        except InvalidToken:
            return None

    def is_current(self, token: str) -> bool:
        """Whether the current key sealed it (nothing to re-seal)."""
        try:
            self._current.decrypt(token.encode())
        except InvalidToken:
            return False
        return True

    def reseal(self, token: str) -> str:
        """The same text sealed under the current key (its original timestamp kept)."""
        return self._all.rotate(token.encode()).decode()


def vault_for(purpose: str, settings: Settings) -> Vault:
    return Vault(settings.phone_encryption_key, settings.phone_encryption_key_previous, purpose=purpose)
