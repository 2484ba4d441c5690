"""Bearer tokens for the JSON API. The token is shown once when created; only its SHA-256 is stored.

A random 256-bit token needs no slow password hash: nobody can guess it, so a fast digest is enough
to keep a stolen database from yielding working tokens.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.case_models import ApiToken
from casework.models import utcnow
from casework.outbox import as_utc

__all__ = ["TOKEN_PREFIX", "NewToken", "TokenInfo", "create_token", "verify_token", "revoke_token", "list_tokens"]

TOKEN_PREFIX = "cc_"  # noqa: S105  (not a secret: makes a token recognisable in a leaked-secret scan)


@dataclass(frozen=True)
class NewToken:
    name: str
    token: str  # shown once, never stored


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, *, name: str) -> NewToken:
    name = " ".join(name.split())
    if not name:
        raise ValueError("a token needs a name (who or what uses it)")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name[:100], token_sha256=_digest(token), created_at=utcnow()))
    session.flush()
    return NewToken(name, token)


def verify_token(session: Session, token: str | None) -> TokenInfo | None:
    """The live token `token` is, or None (unknown, revoked or empty)."""
    if not token:
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_sha256 == _digest(token.strip()))).first()
    if row is None or row.revoked_at is not None:
        return None
    return TokenInfo(row.id, row.name, as_utc(row.created_at) or row.created_at, None)


def revoke_token(session: Session, *, name: str) -> int:
    """Revoke every live token with this name; returns how many."""
    now = utcnow()
    rows = list(session.scalars(select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))))
    for row in rows:
        row.revoked_at = now
    return len(rows)


def list_tokens(session: Session) -> list[TokenInfo]:
    return [TokenInfo(r.id, r.name, as_utc(r.created_at) or r.created_at, as_utc(r.revoked_at))
            for r in session.scalars(select(ApiToken).order_by(ApiToken.created_at, ApiToken.id))]
