"""Removing personal data for good, driven by the table declarations so tables added later are reached:

- `delete_rows`: rows of a table, after every row of any table whose foreign key points at them;
- `delete_cases`: cases with their reasons, notes, alerts and reports, the outbox messages of their
  alerts (linked by id, not by a foreign key) and their audit trail (its details name the case's
  categories and area, which mean nothing without the case);
- `minimise_cases`: a case kept for safeguarding, with what identifies or quotes the person gone:
  every sealed column of the case and of the rows pointing at it emptied, message ids (which link to
  the texts in Twilio's logs) cleared, and the sender id replaced by a random tombstone.

Core statements on the caller's connection (inside its transaction); counts out, per table.
"""
from __future__ import annotations

import secrets
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, delete, select, update
from sqlalchemy.engine import Connection

from casework.cases.models import Alert, AuditEvent, Case
from casework.outbox.messages import OutboxMessage
from casework.sealing import SEALED, vault_for
from service.database import Base
from service.settings import Settings

__all__ = ["TOMBSTONE_PREFIX", "tombstone", "delete_rows", "delete_cases", "minimise_cases"]

# What a kept case's sender id becomes: it no longer leads to anyone, and no re-key or look-up matches it.
TOMBSTONE_PREFIX = "erased:"

CASES: Table = Case.__table__  # type: ignore[assignment]
ALERTS: Table = Alert.__table__  # type: ignore[assignment]
AUDIT: Table = AuditEvent.__table__  # type: ignore[assignment]
OUTBOX: Table = OutboxMessage.__table__  # type: ignore[assignment]


def tombstone() -> str:
    return TOMBSTONE_PREFIX + secrets.token_hex(8)


def _pointing_at(table: Table) -> list[tuple[Table, Any]]:
    """(table, foreign key) for every foreign key of any table that references `table`."""
    return [(other, fk) for other in Base.metadata.sorted_tables for fk in other.foreign_keys
            if fk.column.table is table and other is not table]


def delete_rows(conn: Connection, table: Table, condition: Any) -> Counter[str]:
    """Delete the rows matching `condition`, and first whatever points at them (recursively)."""
    counts: Counter[str] = Counter()
    for other, fk in _pointing_at(table):
        counts += delete_rows(conn, other, fk.parent.in_(select(fk.column).where(condition).scalar_subquery()))
    deleted = conn.execute(delete(table).where(condition)).rowcount
    if deleted:
        counts[table.name] += deleted
    return counts


def delete_cases(conn: Connection, case_ids: Sequence[int]) -> tuple[Counter[str], set[int]]:
    """Delete cases and everything that belongs to them; returns the counts and the outbox ids deleted
    (their lines in the dry-run outbox file go too)."""
    if not case_ids:
        return Counter(), set()
    references = list(conn.execute(select(CASES.c.reference).where(CASES.c.id.in_(case_ids))).scalars())
    outbox_ids = {i for i in conn.execute(select(ALERTS.c.outbox_message_id).where(ALERTS.c.case_id.in_(case_ids))).scalars() if i}
    counts = delete_rows(conn, CASES, CASES.c.id.in_(case_ids))
    if outbox_ids:
        counts += delete_rows(conn, OUTBOX, OUTBOX.c.id.in_(outbox_ids))
    if references:
        counts += delete_rows(conn, AUDIT, AUDIT.c.case_reference.in_(references))
    return counts, outbox_ids


def _emptied(table: Table, settings: Settings) -> dict[str, Any]:
    """New values for a row's private columns: NULL where allowed, else the empty text sealed."""
    values: dict[str, Any] = {}
    for column in table.columns:
        if column.info.get(SEALED):
            values[column.name] = None if column.nullable else vault_for(column.info[SEALED], settings).seal("")
        elif column.name == "message_id" and column.nullable:
            values[column.name] = None
    return values


def minimise_cases(conn: Connection, case_ids: Iterable[int], settings: Settings) -> Counter[str]:
    """Keep the cases (what happened, when, who acted, on what lawful basis) without who or what was said."""
    counts: Counter[str] = Counter()
    for case_id in case_ids:
        conn.execute(update(CASES).where(CASES.c.id == case_id).values(sender_id=tombstone(), **_emptied(CASES, settings)))
        counts[CASES.name] += 1
        for other, fk in _pointing_at(CASES):
            values = _emptied(other, settings)
            if values:
                changed = conn.execute(update(other).where(fk.parent == case_id).values(**values)).rowcount
                if changed:
                    counts[other.name] += changed
    return counts
