"""Tables of the connectors' console: signed-in sessions and failed sign-ins (for the lock-out).

Nothing here can be used to sign in if the database leaks: a session is kept as the SHA-256 of the
random id in the browser's cookie, and a failed sign-in as a keyed digest of the account or address
it came from. Functions outside this module hand out dataclasses, never these rows.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String

from casework.models import utcnow
from service.database import Base

__all__ = ["ConsoleSession", "LoginFailure"]


class ConsoleSession(Base):
    """One signed-in browser. Ends at `expires_at`, after a quiet spell, at sign-out or a password change."""

    __tablename__ = "console_session"

    id = Column(Integer, primary_key=True)
    token_sha256 = Column(String(64), nullable=False, unique=True)
    connector_id = Column(Integer, ForeignKey("connector.id"), nullable=False, index=True)
    # Put into every form and checked on every POST: a page on another site cannot read it.
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = Column(DateTime(timezone=True), nullable=False, index=True)


class LoginFailure(Base):
    """One failed sign-in, counted against the account tried and the address it came from."""

    __tablename__ = "console_login_failure"
    __table_args__ = (Index("ix_console_login_failure_key", "kind", "key_digest", "at"),)

    id = Column(Integer, primary_key=True)
    kind = Column(String(8), nullable=False)  # account | address
    # account: the keyed phone hash of the number typed (known or not, so a lock-out reveals nothing);
    # address: a keyed digest of the client address. Lock-outs simply lapse after a PHONE_HASH_KEY rotation.
    key_digest = Column(String(64), nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
