"""The crisis spool: a crisis that arrives while the database is down is kept on disk, then made a case.

The intake answers a crisis from the safety screen alone when the database is down; `spool_case`
then appends one line to CRISIS_SPOOL_PATH (default VAR_DIR/crisis-spool.jsonl) holding the record
sealed with the body vault (no clear text on disk), fsynced before it returns. The worker's
`drain_spool` job turns each line into an urgent case and its alert once the database answers.

Exactly once, by message id: a record whose message id is already a case reason is skipped, so a
drain that dies half-way (or a message the intake recorded itself after all) is never doubled.

Safe with several writers and one or more drainers, without losing a line:
- writers append under an exclusive flock and, holding it, check that the file they opened is still
  the spool (not one a drainer renamed away meanwhile); if not, they reopen and try again;
- a drainer renames the spool to `<spool>.draining` (atomic), takes the same lock (so a writer caught
  mid-append finishes first), works through it, and deletes it only when every line is done. A
  leftover `.draining` file from a drainer that died is worked through first on the next pass.
Lines that cannot be read (torn by a crash, sealed with a key since rotated) go, still sealed, to
`<spool>.rejected` and are logged: kept for a person to look at, never dropped.
"""
from __future__ import annotations

import dataclasses
import fcntl
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.cases import audit
from casework.cases.alert_settings import alert_settings
from casework.cases.models import CaseReason
from casework.cases.opening import Reason, open_case
from casework.cases.triage import area_in
from casework.conversation.inbound import BodyVault
from casework.models import Resident
from casework.shared_file import append_line, fsync_folder, rewrite_lines
from service.settings import Settings

__all__ = ["SpooledCrisis", "DrainReport", "spool_case", "drain_spool", "spool_path", "remove_from_spool"]

log = logging.getLogger(__name__)

FORMAT = 1


@dataclass(frozen=True)
class SpooledCrisis:
    """What the intake knew when it could not reach the database."""

    message_id: str  # Twilio's MessageSid or the web message id: the key of "exactly once"
    sender_id: str  # "sms:<hash>" or "web:<id>"
    channel: str  # sms | webchat
    category: str  # the safety screen's category
    rule: str  # the rule that fired
    text: str  # the message (sealed on disk, kept as the case reason's excerpt)
    received_at: str  # ISO 8601
    priority: str = "urgent"
    phone_encrypted: str | None = None  # PhoneVault token, so an SMS resident unknown so far can be reached
    area: str | None = None
    layer: str = "rules"  # the safety screen's layer that decided (older lines lack it: the rules)
    score: float | None = None


@dataclass
class DrainReport:
    opened: int = 0
    duplicates: int = 0
    rejected: int = 0

    @property
    def handled(self) -> int:
        return self.opened + self.rejected

    def __str__(self) -> str:
        return f"{self.opened} spooled crises made cases, {self.duplicates} already known, {self.rejected} unreadable"


def spool_path(settings: Settings) -> Path:
    return alert_settings(settings).crisis_spool_path


def spool_case(path: Path, record: SpooledCrisis, *, vault: BodyVault) -> None:
    """Append one sealed crisis record and fsync it (works without the database, never logs the text)."""
    line = (json.dumps({"v": FORMAT, "sealed": vault.seal(json.dumps(dataclasses.asdict(record)))}) + "\n").encode()
    # Under the file's lock, onto whichever file is current if a drainer has just taken the old one away.
    append_line(Path(path), line, fsync=True)
    log.warning("crisis %s spooled to disk (database unavailable)", record.message_id)


def _reject(rejected: Path, raw: bytes, why: str) -> None:
    # Sealed, but still someone's crisis: this user only, like the spool itself.
    with os.fdopen(os.open(rejected, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab") as out:
        out.write(raw if raw.endswith(b"\n") else raw + b"\n")
        out.flush()
        os.fsync(out.fileno())
    log.error("crisis spool: a line could not be read (%s); kept in %s for a person to check", why, rejected)


def drain_spool(sessions: sessionmaker, settings: Settings, *, path: Path | None = None) -> DrainReport:
    """Turn every spooled crisis into an urgent case with its alert, once each; then remove the spool."""
    spool = Path(path or spool_path(settings))
    draining = spool.with_name(spool.name + ".draining")
    report = DrainReport()
    if not draining.exists():
        if not spool.exists():
            return report
        os.rename(spool, draining)
        fsync_folder(spool.parent)
    vault = BodyVault.for_settings(settings)
    with open(draining, "rb") as source:
        try:
            # Held for the whole drain: a second worker on this machine skips this pass instead of
            # racing us to open the same cases. Blocking only on a writer still appending.
            fcntl.flock(source.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return report
        if not draining.exists() or os.stat(draining).st_ino != os.fstat(source.fileno()).st_ino:
            return report  # drained and removed by another worker while we waited
        lines = source.read().splitlines(keepends=True)
        for raw in lines:
            _drain_line(raw, sessions, settings, vault, spool, report)
        os.unlink(draining)
    fsync_folder(spool.parent)
    return report


def _drain_line(raw: bytes, sessions: sessionmaker, settings: Settings, vault: BodyVault, spool: Path,
                report: DrainReport) -> None:
    if not raw.strip():
        return
    try:
        envelope = json.loads(raw)
        record = SpooledCrisis(**json.loads(vault.open(envelope["sealed"])))
    except (ValueError, KeyError, TypeError, InvalidToken) as error:
        _reject(spool.with_name(spool.name + ".rejected"), raw, type(error).__name__)
        report.rejected += 1
        return
    with sessions.begin() as session:
        if session.scalars(select(CaseReason.id).where(CaseReason.message_id == record.message_id)).first():
            report.duplicates += 1
            return
        if record.phone_encrypted and session.scalars(
                select(Resident.id).where(Resident.sender_id == record.sender_id)).first() is None:
            session.add(Resident(sender_id=record.sender_id, channel=record.channel, opted_out=False,
                                 phone_encrypted=record.phone_encrypted))
            session.flush()
        opened = open_case(
            session,
            sender_id=record.sender_id,
            area=record.area or area_in(record.text),  # where the message says, as when the database is up
            priority=record.priority,
            reasons=[Reason(category=record.category, rule=record.rule, message_id=record.message_id, layer=record.layer, score=record.score,
                            excerpt=record.text)],
            lawful_basis="vital_interests",
            settings=settings,
            source="spool",
            actor="spool",
        )
        audit.record(session, actor="spool", action="from_spool", case_reference=opened.reference,
                     detail=f"{record.channel} message received {record.received_at} while the database was down")
    report.opened += 1
    log.warning("spooled crisis %s is now case %s", record.message_id, opened.reference)


def remove_from_spool(path: Path, sender_ids: set[str], *, vault: BodyVault) -> int:
    """Drop these senders' records from the spool and from a drain left unfinished (an erasure);
    returns how many went. Same lock and rename protocol as the writers and drainers
    (casework.shared_file), so a crisis spooled meanwhile is never lost. Lines that cannot be opened
    are kept: they cannot be told apart (and `.rejected` lines wait for a person anyway)."""

    def theirs(raw: bytes) -> bool:
        try:
            return json.loads(vault.open(json.loads(raw)["sealed"])).get("sender_id") in sender_ids
        except (ValueError, KeyError, TypeError, AttributeError, InvalidToken):
            return False

    spool = Path(path)
    return sum(rewrite_lines(candidate, theirs) for candidate in (spool, spool.with_name(spool.name + ".draining")))
