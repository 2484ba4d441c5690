"""Connectors and managers, their rota, and who an alert for an area goes to.

Routing, as the service promises it: the on-duty connectors whose patch holds the case's district,
in the order they were added, then the on-duty managers (a manager's own patch does not move them
forward: the duty manager is the last resort). A case with no area, or an area nobody covers, goes to
everyone on duty, connectors first. With no rota shifts at all, everyone active is on duty.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from casework.cases.models import ROLES, Connector, RotaShift
from casework.models import as_utc, utcnow
from casework.residents.identity import PhoneVault, normalise_uk_number, phone_hash
from service.log_privacy import mask
from service.settings import Settings

__all__ = [
    "ConnectorInfo",
    "ShiftInfo",
    "ConnectorError",
    "add_connector",
    "list_connectors",
    "find_connector",
    "connector_for_phone_hash",
    "set_active",
    "masked_mobile",
    "add_shift",
    "remove_shift",
    "list_shifts",
    "on_duty",
    "alert_order",
    "parse_patch",
    "postcode_district",
]

_DISTRICT = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)(?:\s*[0-9][A-Z]{2})?$")
_AREA = re.compile(r"^[A-Z]{1,2}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class ConnectorError(ValueError):
    """A connector or shift that cannot be added as given."""


@dataclass(frozen=True)
class ConnectorInfo:
    id: int
    name: str
    email: str
    patch: tuple[str, ...]
    role: str
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class ShiftInfo:
    id: int
    connector_id: int
    connector_name: str
    starts_at: datetime
    ends_at: datetime


def postcode_district(text: str | None) -> str | None:
    """The district ("CH41") of a full postcode ("ch41 5ab") or a district; None if it is neither."""
    if not text:
        return None
    match = _DISTRICT.match(" ".join(text.upper().split()))
    return match.group(1) if match else None


def parse_patch(patch: str) -> tuple[str, ...]:
    """"CH41 CH42, ch43" -> ("CH41", "CH42", "CH43"). A bare postcode area ("CH") covers all its districts."""
    entries: list[str] = []
    for word in re.split(r"[\s,;]+", patch.upper()):
        if not word:
            continue
        district = postcode_district(word)
        if district is None and not _AREA.match(word):
            raise ConnectorError(f"{word!r} is not a postcode district (e.g. CH41) or area (e.g. CH)")
        entry = district or word
        if entry not in entries:
            entries.append(entry)
    return tuple(entries)


def covers(patch: str | tuple[str, ...], district: str | None) -> bool:
    """Whether a connector's patch ("CH41 CH42" as stored, or as ConnectorInfo's tuple; an area such
    as "CH" covers its districts) covers a case's district."""
    entries = tuple(patch.upper().split()) if isinstance(patch, str) else tuple(p.upper() for p in patch)
    return bool(district) and _covers(entries, str(district).upper())


def _covers(patch: tuple[str, ...], district: str) -> bool:
    letters = re.match(r"[A-Z]+", district)
    return district in patch or (letters is not None and letters.group() in patch)


def _info(row: Connector) -> ConnectorInfo:
    return ConnectorInfo(row.id, row.name, row.email, tuple(row.patch.split()), row.role, row.active,
                         as_utc(row.created_at) or row.created_at)


def add_connector(
    session: Session, *, name: str, phone: str, email: str, patch: str, role: str = "connector", settings: Settings
) -> ConnectorInfo:
    name = " ".join(name.split())
    if not name:
        raise ConnectorError("a connector needs a name")
    if role not in ROLES:
        raise ConnectorError(f"role must be one of {', '.join(ROLES)}")
    if not _EMAIL.match(email.strip()):
        raise ConnectorError("not an email address")
    number = normalise_uk_number(phone)  # raises InvalidPhoneNumber (a ValueError)
    hashed = phone_hash(number, key=settings.phone_hash_key)
    if session.scalars(select(Connector.id).where(Connector.phone_hash == hashed)).first() is not None:
        raise ConnectorError(f"a connector with the number {mask(number)} already exists")
    row = Connector(
        name=name,
        mobile_encrypted=PhoneVault.for_settings(settings).seal(number),
        phone_hash=hashed,
        email=email.strip(),
        patch=" ".join(parse_patch(patch)),
        role=role,
        active=True,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return _info(row)


def list_connectors(session: Session, *, active_only: bool = False) -> list[ConnectorInfo]:
    query = select(Connector).order_by(Connector.created_at, Connector.id)
    if active_only:
        query = query.where(Connector.active.is_(True))
    return [_info(row) for row in session.scalars(query)]


def find_connector(session: Session, connector_id: int) -> ConnectorInfo | None:
    row = session.get(Connector, connector_id)
    return None if row is None else _info(row)


# Asked of every SMS the intake takes (almost always: nobody), so built once.
_BY_PHONE_HASH = select(Connector).where(Connector.phone_hash == bindparam("hashed"), Connector.active.is_(True))


def connector_for_phone_hash(session: Session, hashed: str) -> ConnectorInfo | None:
    """The active connector texting from this number (keyed hash, as the intake computes it), if any."""
    row = session.scalars(_BY_PHONE_HASH, {"hashed": hashed}).first()
    return None if row is None else _info(row)


def masked_mobile(session: Session, connector_id: int, *, settings: Settings) -> str:
    row = session.get(Connector, connector_id)
    if row is None:
        raise ConnectorError(f"no connector {connector_id}")
    return mask(PhoneVault.for_settings(settings).open(row.mobile_encrypted))


def set_active(session: Session, connector_id: int, active: bool) -> bool:
    """Stop (or restart) alerts to a connector; their pending alerts are then blocked at send time."""
    row = session.get(Connector, connector_id)
    if row is None:
        raise ConnectorError(f"no connector {connector_id}")
    changed = row.active != active
    row.active = active
    return changed


def add_shift(session: Session, *, connector_id: int, starts_at: datetime, ends_at: datetime) -> ShiftInfo:
    row = session.get(Connector, connector_id)
    if row is None:
        raise ConnectorError(f"no connector {connector_id}")
    start, end = as_utc(starts_at), as_utc(ends_at)
    assert start is not None and end is not None
    if end <= start:
        raise ConnectorError("a shift must end after it starts")
    shift = RotaShift(connector_id=connector_id, starts_at=start, ends_at=end)
    session.add(shift)
    session.flush()
    return ShiftInfo(shift.id, connector_id, row.name, start, end)


def remove_shift(session: Session, shift_id: int) -> ShiftInfo | None:
    """Delete a shift; returns what it was, or None if there was no such shift."""
    found = session.execute(select(RotaShift, Connector.name).join(Connector, Connector.id == RotaShift.connector_id)
                            .where(RotaShift.id == shift_id)).first()
    if found is None:
        return None
    shift, name = found
    removed = ShiftInfo(shift.id, shift.connector_id, name, as_utc(shift.starts_at) or shift.starts_at,
                        as_utc(shift.ends_at) or shift.ends_at)
    session.delete(shift)
    session.flush()
    return removed


def list_shifts(session: Session, *, ending_after: datetime | None = None) -> list[ShiftInfo]:
    query = (select(RotaShift, Connector.name).join(Connector, Connector.id == RotaShift.connector_id)
             .order_by(RotaShift.starts_at, RotaShift.id))
    if ending_after is not None:
        query = query.where(RotaShift.ends_at > ending_after)
    return [ShiftInfo(s.id, s.connector_id, name, as_utc(s.starts_at) or s.starts_at, as_utc(s.ends_at) or s.ends_at)
            for s, name in session.execute(query)]


def on_duty(session: Session, *, at: datetime) -> list[ConnectorInfo]:
    """Active connectors and managers on duty at `at`, in the order they were added."""
    query = select(Connector).where(Connector.active.is_(True)).order_by(Connector.created_at, Connector.id)
    if session.scalar(select(exists().where(RotaShift.id.isnot(None)))):
        on_shift = select(RotaShift.connector_id).where(RotaShift.starts_at <= at, RotaShift.ends_at > at)
        query = query.where(Connector.id.in_(on_shift))
    return [_info(row) for row in session.scalars(query)]


def alert_order(session: Session, *, area: str | None, at: datetime, ignore_rota: bool = False) -> list[ConnectorInfo]:
    """Who to alert about a case in `area`, first choice first (see the module docstring)."""
    people = list_connectors(session, active_only=True) if ignore_rota else on_duty(session, at=at)
    connectors = [p for p in people if p.role == "connector"]
    managers = [p for p in people if p.role == "manager"]
    if area:
        local = [c for c in connectors if _covers(c.patch, area)]
        if local:
            return local + managers
    return connectors + managers
