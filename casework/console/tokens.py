"""Bearer tokens for the JSON API. The token is shown once when created; only its SHA-256 is stored.

Each token has scopes, the parts of the API it may read: `cases` (/api/cases: every case's state,
area, reasons and who has it) and `outcomes` (/api/outcomes: counts only). A commissioner's report
tool gets `outcomes` and cannot read cases; each route checks its own scope.

A random 256-bit token needs no slow password hash: nobody can guess it, so a fast digest is enough
to keep a stolen database from yielding working tokens.
"""
from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases.models import ApiToken
from casework.models import as_utc, utcnow

__all__ = ["TOKEN_PREFIX", "SCOPES", "NewToken", "TokenInfo", "create_token", "verify_token", "revoke_token", "list_tokens"]

TOKEN_PREFIX = "cc_"  # noqa: S105  (not a secret: makes a token recognisable in a leaked-secret scan)
SCOPES = {
    "cases": "read cases: state, priority, area, reasons, alerts and who has them (GET /api/cases...)",
    "outcomes": "read the service's figures for a period, counts only (GET /api/outcomes)",
}


@dataclass(frozen=True)
class NewToken:
    name: str
    token: str  # shown once, never stored
    scopes: tuple[str, ...]


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None
    scopes: tuple[str, ...] = ()

    def may(self, scope: str) -> bool:
        return scope in self.scopes


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _scopes(stored: str | None) -> tuple[str, ...]:
    return tuple(part for part in (stored or "").split(",") if part)


def checked_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    """The scopes asked for, sorted and without repeats; ValueError names an unknown or missing one."""
    wanted = sorted({scope.strip().lower() for scope in scopes if scope.strip()})
    listed = "; ".join(f"{name}: {meaning}" for name, meaning in SCOPES.items())
    if not wanted:
        raise ValueError(f"a token needs at least one scope (--scope NAME, repeatable). Scopes: {listed}")
    unknown = [scope for scope in wanted if scope not in SCOPES]
    if unknown:
        raise ValueError(f"no such scope {', '.join(unknown)}. Scopes: {listed}")
    return tuple(wanted)


def create_token(session: Session, *, name: str, scopes: Iterable[str]) -> NewToken:
    name = " ".join(name.split())
    if not name:
        raise ValueError("a token needs a name (who or what uses it)")
    granted = checked_scopes(scopes)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name[:100], token_sha256=_digest(token), scopes=",".join(granted), created_at=utcnow()))
    session.flush()
    return NewToken(name, token, granted)


def verify_token(session: Session, token: str | None) -> TokenInfo | None:
    """The live token `token` is, or None (unknown, revoked or empty)."""
    if not token:
        return None
    row = session.scalars(select(ApiToken).where(ApiToken.token_sha256 == _digest(token.strip()))).first()
    if row is None or row.revoked_at is not None:
        return None
    return TokenInfo(row.id, row.name, as_utc(row.created_at) or row.created_at, None, _scopes(row.scopes))


def revoke_token(session: Session, *, name: str) -> int:
    """Revoke every live token with this name; returns how many."""
    now = utcnow()
    rows = list(session.scalars(select(ApiToken).where(ApiToken.name == name, ApiToken.revoked_at.is_(None))))
    for row in rows:
        row.revoked_at = now
    return len(rows)


def list_tokens(session: Session) -> list[TokenInfo]:
    return [TokenInfo(r.id, r.name, as_utc(r.created_at) or r.created_at, as_utc(r.revoked_at), _scopes(r.scopes))
            for r in session.scalars(select(ApiToken).order_by(ApiToken.created_at, ApiToken.id))]
