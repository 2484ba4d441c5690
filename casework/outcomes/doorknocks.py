"""Door-knocking sessions: a connector logs one from their phone; the outcomes dashboard counts them.

`read_door_knock` checks what was typed and answers with a problem code per field (the console's
template turns codes into words), so a form sent back keeps everything typed. An empty count is 0
(the form starts every count at 0, so a connector changes only what happened); doors knocked must
be at least 1. Notes are sealed with BodyVault like case notes. Connectors see their own recent
sessions, managers everyone's; logging and listing are in the audit trail (counts, never notes).
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.caseload import NotAllowed
from casework.cases.connectors import postcode_district
from casework.cases.models import Connector
from casework.cases.opening import CaseworkError
from casework.conversation.inbound import BodyVault
from casework.models import as_utc, utcnow
from casework.outcomes.models import DoorKnock
from service.settings import Settings

__all__ = [
    "COUNTS",
    "MAX_COUNT",
    "DAYS_BACK",
    "NOTES_LENGTH",
    "STREETS_LENGTH",
    "DoorKnockEntry",
    "DoorKnockInvalid",
    "DoorKnockView",
    "read_door_knock",
    "log_door_knock",
    "recent_door_knocks",
    "home_district",
]

COUNTS = ("doors_knocked", "doors_answered", "conversations", "people_signposted", "people_referred", "volunteers_signed_up")
# More than any one session's doors: a number this big is a slip of the thumb (an extra 0).
MAX_COUNT = 2000
# A session is logged on the day or soon after; a date over a year back is a mistyped year.
DAYS_BACK = 366
NOTES_LENGTH = 4000
STREETS_LENGTH = 300
_WHOLE_NUMBER = re.compile(r"^[0-9]+$")


class DoorKnockInvalid(CaseworkError):
    """What was typed cannot be saved; `problems` maps each field to a problem code."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{name}: {code}" for name, code in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class DoorKnockEntry:
    held_on: date
    area: str  # postcode district
    streets: str
    doors_knocked: int
    doors_answered: int
    conversations: int
    people_signposted: int
    people_referred: int
    volunteers_signed_up: int
    notes: str


@dataclass(frozen=True)
class DoorKnockView:
    id: int
    held_on: date
    area: str
    streets: str
    doors_knocked: int
    doors_answered: int
    conversations: int
    people_signposted: int
    people_referred: int
    volunteers_signed_up: int
    notes: str | None
    connector_name: str
    logged_at: datetime


def _count(text: str) -> int | str:
    """A whole number, or a problem code. Spaces and thousands commas are forgiven ("1,200")."""
    cleaned = re.sub(r"[\s,]", "", text)
    if not cleaned:
        return 0
    if not _WHOLE_NUMBER.match(cleaned):
        return "not_a_number"
    value = int(cleaned)
    return "too_big" if value > MAX_COUNT else value


def read_door_knock(form: Mapping[str, str], *, today: date) -> DoorKnockEntry:
    """The session a form describes (`today`: the local date); raises DoorKnockInvalid with every problem at once."""
    problems: dict[str, str] = {}
    held_on: date | None = None
    when = (form.get("held_on") or "").strip()
    if not when:
        problems["held_on"] = "missing"
    else:
        try:
            held_on = date.fromisoformat(when)
        except ValueError:
            problems["held_on"] = "not_a_date"
        else:
            if held_on > today:
                problems["held_on"] = "in_future"
            elif held_on < today - timedelta(days=DAYS_BACK):
                problems["held_on"] = "too_old"
    typed_area = (form.get("area") or "").strip()
    area = postcode_district(typed_area)
    if not typed_area:
        problems["area"] = "missing"
    elif area is None:
        problems["area"] = "not_a_district"
    counts: dict[str, int] = {}
    for name in COUNTS:
        found = _count(form.get(name) or "")
        if isinstance(found, str):
            problems[name] = found
        else:
            counts[name] = found
    if "doors_knocked" in counts and counts["doors_knocked"] == 0 and "doors_knocked" not in problems:
        problems["doors_knocked"] = "none"
    if "doors_knocked" not in problems and counts.get("doors_answered", 0) > counts["doors_knocked"]:
        problems["doors_answered"] = "more_than_knocked"
    if problems:
        raise DoorKnockInvalid(problems)
    assert held_on is not None and area is not None
    streets = " ".join((form.get("streets") or "").split())[:STREETS_LENGTH]
    notes = (form.get("notes") or "").strip()[:NOTES_LENGTH]
    return DoorKnockEntry(held_on, area, streets, notes=notes, **counts)


def _active(session: Session, connector_id: int) -> Connector:
    connector = session.get(Connector, connector_id)
    if connector is None or not connector.active:
        raise NotAllowed("only an active connector may log door-knocks")
    return connector


def home_district(session: Session, *, connector_id: int) -> str:
    """The first postcode district of the connector's patch (the form's starting value), or ""."""
    connector = _active(session, connector_id)
    return next((d for d in (postcode_district(word) for word in connector.patch.split()) if d), "")


def log_door_knock(session: Session, *, connector_id: int, entry: DoorKnockEntry, settings: Settings,
                   now: datetime | None = None) -> int:
    """Record the session as logged by `connector_id`; returns its id."""
    _active(session, connector_id)
    now = as_utc(now) or utcnow()
    row = DoorKnock(
        held_on=entry.held_on, area=entry.area, streets=entry.streets, doors_knocked=entry.doors_knocked,
        doors_answered=entry.doors_answered, conversations=entry.conversations, people_signposted=entry.people_signposted,
        people_referred=entry.people_referred, volunteers_signed_up=entry.volunteers_signed_up,
        notes_encrypted=BodyVault.for_settings(settings).seal(entry.notes) if entry.notes else None,
        connector_id=connector_id, created_at=now,
    )
    session.add(row)
    session.flush()
    audit.record(session, actor=audit.connector_actor(connector_id), action="door_knock_logged", at=now,
                 detail=f"door-knock {row.id}: {entry.held_on.isoformat()} {entry.area}, {entry.doors_knocked} doors, "
                        f"{entry.conversations} conversations")
    return int(row.id)


def recent_door_knocks(session: Session, *, connector_id: int, settings: Settings, limit: int = 20) -> list[DoorKnockView]:
    """The latest sessions, newest first: a manager's whole team's, a connector's own (notes opened)."""
    viewer = _active(session, connector_id)
    query = (select(DoorKnock, Connector.name).join(Connector, Connector.id == DoorKnock.connector_id)
             .order_by(DoorKnock.held_on.desc(), DoorKnock.id.desc()).limit(limit))
    if viewer.role != "manager":
        query = query.where(DoorKnock.connector_id == connector_id)
    vault = BodyVault.for_settings(settings)
    found = [
        DoorKnockView(row.id, row.held_on, row.area, row.streets, row.doors_knocked, row.doors_answered, row.conversations,
                      row.people_signposted, row.people_referred, row.volunteers_signed_up,
                      vault.open(row.notes_encrypted) if row.notes_encrypted else None, name,
                      as_utc(row.created_at) or row.created_at)
        for row, name in session.execute(query)
    ]
    audit.record(session, actor=audit.connector_actor(connector_id), action="listed",
                 detail=f"{'all' if viewer.role == 'manager' else 'own'} door-knocks: {len(found)}")
    return found
