"""The audit trail: who read or changed which case, when. Details never carry the person's own data.

An actor is stored as an id ("connector:3", "api:crm", "worker"), never as a name: a connector's name
can be corrected or changed, and what the trail says happened must not change with it. A manager reads
it through `describe_actor` ("Jo Bloggs (connector 3)"), with the name as it is today beside the id.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.cases.models import AuditEvent, Connector
from casework.models import as_utc, utcnow

__all__ = ["AuditEntry", "DescribedEntry", "record", "trail", "recent", "connector_actor", "connector_id_of", "describe_actor",
           "describe_detail", "connector_names", "described"]

CONNECTOR = "connector:"
# What records the actors that are not a person on the team (as the code that records them names them).
SERVICE_ACTORS = {
    "worker": "the worker",
    "intake": "the intake (a text or web chat message)",
    "bot": "the chat bot",
    "report_form": "the report form on the website",
    "group_form": "the group form on the website (the proposer)",
    "spool": "the crisis spool (kept while the database was down)",
    "system": "the system",
    "console": "the console (before anyone signed in)",
    "cli": "the command line",
    "retention": "the retention purge",
}
RESIDENT_CHANNELS = {"sms": "by text", "webchat": "by web chat"}
_CONNECTOR_IN_TEXT = re.compile(rf"(?<![\w:]){CONNECTOR}\d+\b")


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    case_reference: str | None
    detail: str


def connector_actor(connector_id: int) -> str:
    return f"{CONNECTOR}{connector_id}"


def connector_id_of(actor: str) -> int | None:
    """The connector's id in "connector:3"; None for any other actor."""
    number = actor[len(CONNECTOR):] if actor.startswith(CONNECTOR) else ""
    return int(number) if number.isdigit() else None


def describe_actor(actor: str, connector_names: Mapping[int, str]) -> str:
    """The actor as a manager reads it: "Jo Bloggs (connector 3)", "the API token 'crm'", "the worker".
    The id stays beside a connector's name, so two people of one name, or a name since changed, can
    still be told apart. An actor not known here is shown as stored."""
    connector_id = connector_id_of(actor)
    if connector_id is not None:
        name = connector_names.get(connector_id)
        return f"{name} (connector {connector_id})" if name else f"connector {connector_id}"
    kind, _, name = actor.partition(":")
    if kind == "api" and name:
        return f"the API token '{name}'"
    if kind == "cli" and name:
        return f"{name} (command line)"
    if kind == "resident" and name:
        return f"the resident, {RESIDENT_CHANNELS.get(name, name)}"
    return SERVICE_ACTORS.get(actor, actor)


@dataclass(frozen=True)
class DescribedEntry:
    """An entry as a manager reads it: `who` (and any connector its detail names) in words; `actor`
    is still the id the trail keeps."""

    at: datetime
    actor: str
    who: str
    action: str
    case_reference: str | None
    detail: str


def describe_detail(detail: str, connector_names: Mapping[int, str]) -> str:
    """The detail with each connector it names ("alerted connector:3 by sms") named as `describe_actor` does."""
    return _CONNECTOR_IN_TEXT.sub(lambda found: describe_actor(found[0], connector_names), detail)


def connector_names(session: Session, connector_ids: Iterable[int]) -> dict[int, str]:
    """The connectors' names as they are now, those no longer active too (what they did stays on the record)."""
    ids = set(connector_ids)
    if not ids:
        return {}
    return {row.id: row.name for row in session.execute(select(Connector.id, Connector.name).where(Connector.id.in_(ids)))}


def described(session: Session, entries: Iterable[AuditEntry]) -> list[DescribedEntry]:
    """The entries for the audit page, every connector in them named in one query."""
    entries = list(entries)
    mentioned = {connector_id_of(actor) for e in entries for actor in (e.actor, *_CONNECTOR_IN_TEXT.findall(e.detail))}
    names = connector_names(session, {i for i in mentioned if i is not None})
    return [DescribedEntry(e.at, e.actor, describe_actor(e.actor, names), e.action, e.case_reference, describe_detail(e.detail, names))
            for e in entries]


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    case_reference: str | None = None,
    detail: str = "",
    at: datetime | None = None,
) -> None:
    """Add an event to the caller's transaction, so the trail and the change commit together or not at all."""
    session.add(AuditEvent(at=at or utcnow(), actor=actor[:64], action=action[:32], case_reference=case_reference,
                           detail=detail[:300]))


def trail(session: Session, case_reference: str) -> list[AuditEntry]:
    events = session.scalars(
        select(AuditEvent).where(AuditEvent.case_reference == case_reference).order_by(AuditEvent.at, AuditEvent.id)
    )
    return [AuditEntry(as_utc(e.at) or e.at, e.actor, e.action, e.case_reference, e.detail) for e in events]


def recent(session: Session, *, limit: int = 200, case_reference: str | None = None, actor: str | None = None) -> list[AuditEntry]:
    """The newest events first, for a manager's view of who read or changed what."""
    query = select(AuditEvent).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    if case_reference:
        query = query.where(AuditEvent.case_reference == case_reference)
    if actor:
        query = query.where(AuditEvent.actor == actor)
    return [AuditEntry(e.at, e.actor, e.action, e.case_reference, e.detail) for e in session.scalars(query)]
