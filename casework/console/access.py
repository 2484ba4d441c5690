"""Who may use the connectors' console: passwords, sign-in with lock-out, sessions, sign-out.

A connector signs in with their registered mobile number and a password (`python -m casework
connectors set-password`). Sign-in, as it runs:

1. one transaction checks the lock-out and records the attempt as a failure *before* the password
   is checked, against the account (the keyed hash of the number typed, known or not) and the
   address. Attempts sent in parallel therefore all count, and an unknown number locks exactly like
   a real one, so the answers tell nobody which numbers have accounts;
2. the password is checked outside any transaction (scrypt takes about 0.4 s; SQLite must not hold
   its write lock meanwhile). An unknown number is checked against a decoy: same time taken;
3. on success a second transaction removes the account's failures and this attempt's address
   failure, and opens a session. The browser gets a random id; only its SHA-256 is stored.

Locked: CONSOLE_LOCKOUT_FAILURES failures of one account (or CONSOLE_ADDRESS_LOCKOUT_FAILURES from
one address) within CONSOLE_LOCKOUT_MINUTES; the lock lifts that long after the oldest of them.
While locked even the right password is refused, and is not checked.

A session ends CONSOLE_SESSION_HOURS after sign-in, after CONSOLE_IDLE_MINUTES without a request,
at sign-out, when the password is set again, or when the connector is deactivated.
Every sign-in, failure, lock-out, sign-out and password change is in the audit trail.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from casework.cases import audit
from casework.cases.connectors import ConnectorError, ConnectorInfo, find_connector
from casework.cases.models import Connector
from casework.console.models import ConsoleSession, LoginFailure
from casework.console.passwords import hash_password, needs_rehash, verify_password
from casework.console.settings import ConsoleSettings, console_settings
from casework.models import as_utc, utcnow
from casework.residents.identity import InvalidPhoneNumber, normalise_uk_number, phone_hash, phone_hashes
from service.settings import Settings

__all__ = [
    "ACTOR",
    "ConsoleUser",
    "SignIn",
    "set_password",
    "sign_in",
    "current_user",
    "sign_out",
    "end_sessions",
    "session_digest",
]

ACTOR = "console"  # who is acting before anyone has signed in
# A session's last-seen time is written at most this often: a page view need not always be a write.
_TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True)
class ConsoleUser:
    connector_id: int
    name: str
    role: str
    csrf_token: str
    expires_at: datetime

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"

    @property
    def actor(self) -> str:
        return audit.connector_actor(self.connector_id)


@dataclass(frozen=True)
class SignIn:
    outcome: str  # signed_in | refused | locked
    token: str | None = None  # the cookie's value, shown once, never stored
    user: ConsoleUser | None = None
    locked_until: datetime | None = None


def session_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _address_digest(address: str, settings: Settings) -> str:
    return hmac.new(settings.phone_hash_key.encode(), f"console-address:{address}".encode(), hashlib.sha256).hexdigest()


def _find_by_number(session: Session, number: str, settings: Settings) -> Connector | None:
    return session.scalars(select(Connector).where(Connector.phone_hash.in_(phone_hashes(number, settings)))).first()


def set_password(session: Session, *, phone: str, password: str, settings: Settings, actor: str = "cli") -> ConnectorInfo:
    """Set (or reset) a connector's console password; their open sessions end and any lock-out lifts."""
    try:
        number = normalise_uk_number(phone)
    except InvalidPhoneNumber:
        raise ConnectorError("not a phone number") from None
    connector = _find_by_number(session, number, settings)
    if connector is None:
        raise ConnectorError("no connector has that number: add them first with `connectors add`")
    connector.password_hash = hash_password(password)  # raises WeakPassword (a ValueError)
    ended = end_sessions(session, connector.id)
    session.execute(delete(LoginFailure).where(LoginFailure.kind == "account",
                                               LoginFailure.key_digest == phone_hash(number, key=settings.phone_hash_key)))
    audit.record(session, actor=actor, action="password_set", detail=f"connector:{connector.id}; {ended} sessions ended")
    session.flush()
    info = find_connector(session, connector.id)
    assert info is not None
    return info


def _locked_until(session: Session, kind: str, key: str, limit: int, policy: ConsoleSettings, now: datetime) -> datetime | None:
    recent = session.scalars(
        select(LoginFailure.at).where(LoginFailure.kind == kind, LoginFailure.key_digest == key,
                                      LoginFailure.at > now - policy.lockout_window)
        .order_by(LoginFailure.at.desc()).limit(limit)
    ).all()
    if len(recent) < limit:
        return None
    return (as_utc(recent[-1]) or now) + policy.lockout_window


@dataclass(frozen=True)
class _Attempt:
    connector_id: int | None
    stored_hash: str | None
    address_failure_id: int
    account_key: str | None


def sign_in(sessions: sessionmaker, *, phone: str, password: str, address: str, settings: Settings,
            now: datetime | None = None) -> SignIn:
    """Check a sign-in (see the module docstring). Takes the sessionmaker: it needs two transactions."""
    now = as_utc(now) or utcnow()
    policy = console_settings(settings)
    try:
        number: str | None = normalise_uk_number(phone)
    except InvalidPhoneNumber:
        number = None
    address_key = _address_digest(address, settings)
    with sessions.begin() as session:
        # Housekeeping while we are here: nothing older than the window counts any more.
        session.execute(delete(LoginFailure).where(LoginFailure.at <= now - policy.lockout_window))
        session.execute(delete(ConsoleSession).where(ConsoleSession.expires_at <= now))
        account_key = phone_hash(number, key=settings.phone_hash_key) if number else None
        connector = _find_by_number(session, number, settings) if number else None
        who = f"connector:{connector.id}" if connector else "an unknown number"
        locks = [_locked_until(session, "address", address_key, policy.address_lockout_failures, policy, now)]
        if account_key:
            locks.append(_locked_until(session, "account", account_key, policy.lockout_failures, policy, now))
        until = max((lock for lock in locks if lock), default=None)
        if until is not None:
            audit.record(session, actor=ACTOR, action="sign_in_locked", at=now, detail=f"{who}; locked until "
                         f"{until.isoformat(timespec='minutes')}")
            return SignIn("locked", locked_until=until)
        failure = LoginFailure(kind="address", key_digest=address_key, at=now)
        session.add(failure)
        if account_key:
            session.add(LoginFailure(kind="account", key_digest=account_key, at=now))
        session.flush()
        attempt = _Attempt(connector.id if connector else None,
                           connector.password_hash if connector and connector.active else None, failure.id, account_key)

    if not verify_password(password, attempt.stored_hash) or attempt.connector_id is None:
        with sessions.begin() as session:
            audit.record(session, actor=ACTOR, action="sign_in_failed", at=now, detail=who)
            until = max((lock for lock in (
                _locked_until(session, "address", address_key, policy.address_lockout_failures, policy, now),
                _locked_until(session, "account", account_key, policy.lockout_failures, policy, now) if account_key else None,
            ) if lock), default=None)
            if until is not None:
                audit.record(session, actor=ACTOR, action="locked_out", at=now, detail=f"{who}; until "
                             f"{until.isoformat(timespec='minutes')}")
        return SignIn("refused", locked_until=until)

    token = secrets.token_urlsafe(32)
    with sessions.begin() as session:
        session.execute(delete(LoginFailure).where(LoginFailure.id == attempt.address_failure_id))
        session.execute(delete(LoginFailure).where(LoginFailure.kind == "account", LoginFailure.key_digest == attempt.account_key))
        row = session.get(Connector, attempt.connector_id)
        if row is None or not row.active:  # deactivated while the password was being checked
            return SignIn("refused")
        if row.password_hash and needs_rehash(row.password_hash):
            row.password_hash = hash_password(password)
        opened = ConsoleSession(token_sha256=session_digest(token), connector_id=row.id, csrf_token=secrets.token_urlsafe(32),
                                created_at=now, last_seen_at=now, expires_at=now + policy.session_lifetime)
        session.add(opened)
        audit.record(session, actor=audit.connector_actor(row.id), action="signed_in", at=now)
        session.flush()
        user = ConsoleUser(row.id, row.name, row.role, opened.csrf_token, now + policy.session_lifetime)
    return SignIn("signed_in", token=token, user=user)


def current_user(session: Session, *, token: str | None, settings: Settings, now: datetime | None = None) -> ConsoleUser | None:
    """The signed-in connector for a session cookie, or None (no such session, expired, idle, deactivated)."""
    if not token or len(token) > 200:
        return None
    now = as_utc(now) or utcnow()
    policy = console_settings(settings)
    found = session.execute(
        select(ConsoleSession, Connector).join(Connector, Connector.id == ConsoleSession.connector_id)
        .where(ConsoleSession.token_sha256 == session_digest(token))
    ).first()
    if found is None:
        return None
    row, connector = found
    last_seen = as_utc(row.last_seen_at) or now
    expires = as_utc(row.expires_at) or now
    if expires <= now or last_seen + policy.idle_timeout <= now or not connector.active:
        session.delete(row)
        return None
    if now - last_seen >= _TOUCH_EVERY:
        row.last_seen_at = now
    return ConsoleUser(connector.id, connector.name, connector.role, row.csrf_token, expires)


def sign_out(session: Session, *, token: str | None) -> bool:
    if not token:
        return False
    row = session.scalars(select(ConsoleSession).where(ConsoleSession.token_sha256 == session_digest(token))).first()
    if row is None:
        return False
    audit.record(session, actor=audit.connector_actor(row.connector_id), action="signed_out")
    session.delete(row)
    return True


def end_sessions(session: Session, connector_id: int) -> int:
    """End every console session of a connector (password changed, deactivated); returns how many."""
    count = session.scalar(select(func.count()).select_from(ConsoleSession).where(ConsoleSession.connector_id == connector_id))
    session.execute(delete(ConsoleSession).where(ConsoleSession.connector_id == connector_id))
    return int(count or 0)
