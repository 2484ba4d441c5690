"""Erase a resident from every store:

    python -m jobs.erasure --phone +447700900123 --by "Sam Manager" [--reason "email of 3 May"]
    python -m jobs.erasure --sender sms:3f2a... --by "Sam Manager"

Residents ask by text or web chat ("FORGET ME", then YES: casework.erasure_request); the worker carries
out each confirmed request within a second (`carry_out_confirmed_erasures`), and the retention purge
erases residents whose period has run out through the same code (jobs.retention).

What goes, in this order (each step can be run again: a request interrupted half-way is finished by
running it again, and the worker does so because the request's flag goes last):
1. the crisis spool: records of this resident still waiting to become cases (sealed lines);
2. Rasa's tracker store(s): the whole conversation (`events` rows with their sender id) in every
   worker's SQLite file or the shared TRACKER_DATABASE_URL; a SQLite file is then rebuilt (VACUUM),
   since Rasa's own connections leave older copies of rows in free space;
3. the application database, in one transaction: every row of every table with a sender id column
   (found from the table declarations, as `jobs.rekey` does: resident, inbound messages, outbox,
   flags, SMS conversation state, consent...) with whatever points at it; their volunteering (the
   sign-up, checks and training, found also by a number they left in web chat) and its audit trail;
   groups they proposed with their number (a listed group whose published phone is theirs loses it);
   their befriending requests and matches (either side), every text relayed in them (sealed in the
   outbox, both ways), their check-ins' answers and texts (either side's) and their audit trail;
   their cases, except a case
   kept for safeguarding (casework.retention.RetentionPolicy.keeps), which stays minimised
   (casework.removal); reports they made about someone else lose the reporter's contact; Twilio's
   copies of their texts and of our replies to them (sent through the outbox or as TwiML) are queued
   for deletion through its API (casework.provider_copies); then an `Erasure` row (reference, when,
   who asked, counts; nothing that identifies the person) and an audit event;
4. the dry-run outbox file: lines to them (by pseudonym) and of the outbox rows just deleted;
5. the application database file itself, on SQLite: rebuilt and its WAL emptied (service.database
   .compact_sqlite; connections also run with secure_delete, so deleted rows are zeroed at once).
Logs never hold texts or numbers (service.log_privacy), only pseudonyms and message ids.
It prints counts only, never an id, a number or a text.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.fernet import InvalidToken
from sqlalchemy import Table, column, delete, event, inspect, select, table, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from casework import audit
from casework.befriending.held import match_outbox_ids, matches_of_people, references_of
from casework.case_models import AuditEvent, Case, CaseReason, Report, Volunteer
from casework.erasure_request import ConfirmedErasure, confirmed_erasures, new_erasure_reference
from casework.good_neighbours.volunteers import linked_sender_ids, volunteers_reached
from casework.identity import InvalidPhoneNumber, PhoneVault, normalise_uk_number, sms_sender_ids
from casework.inbound import UNANSWERED, BodyVault
from casework.models import InboundMessage, Resident, as_utc, utcnow
from casework.outbox.dry_run_file import remove_lines
from casework.outbox.messages import OutboxMessage
from casework.privacy_models import Erasure
from casework.proposed_groups.models import ProposedGroup
from casework.provider_copies import queue_deletions
from casework.removal import delete_cases, delete_rows, minimise_cases
from casework.retention import retention_policy
from casework.spool import remove_from_spool, spool_path
from directory.community_groups import published_phones, withdraw_contact
from jobs.rekey import TRACKER_TABLE, application_tables, load_models, sender_id_columns, tracker_engine
from service.database import compact_sqlite, make_engine, make_sessionmaker
from service.launch import tracker_database_urls
from service.settings import VAR, Settings, load_settings

__all__ = ["ErasureReport", "erase_resident", "erase_senders", "carry_out_confirmed_erasures", "ErasureRun",
           "tracker_urls_for", "main"]

log = logging.getLogger(__name__)

# A turn still in Rasa when the request is carried out would write the conversation back afterwards:
# wait for the resident's unanswered messages, but not for ever (recovery gives up on a turn at 330 s).
IN_FLIGHT_WAIT = timedelta(minutes=10)


@dataclass
class ErasureReport:
    """What an erasure removed, as counts (never an id, a number or a text)."""

    reference: str
    requested_at: datetime
    erased_at: datetime
    requested_by: str
    reason: str
    residents: int = 0  # sender ids erased
    rows: Counter[str] = field(default_factory=Counter)  # application table -> rows deleted
    minimised: Counter[str] = field(default_factory=Counter)  # table -> rows of kept cases emptied
    cases_deleted: int = 0
    cases_kept: int = 0
    reports_detached: int = 0  # reports they made about someone else: their contact removed
    tracker_events: int = 0
    tracker_stores: int = 0
    outbox_file_lines: int = 0
    spool_lines: int = 0
    provider_copies: int = 0  # Twilio's copies of their texts queued for deletion (casework.provider_copies)
    compacted: list[str] = field(default_factory=list)  # SQLite files rebuilt

    def counts(self) -> dict[str, object]:
        return {
            "rows": dict(sorted(self.rows.items())), "minimised": dict(sorted(self.minimised.items())),
            "cases_deleted": self.cases_deleted, "cases_kept": self.cases_kept, "reports_detached": self.reports_detached,
            "tracker_events": self.tracker_events, "tracker_stores": self.tracker_stores,
            "outbox_file_lines": self.outbox_file_lines, "spool_lines": self.spool_lines, "provider_copies": self.provider_copies,
            "compacted": self.compacted,
        }

    def lines(self) -> list[str]:
        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{name} {n}" for name, n in sorted(counter.items()) if n) or "none"

        return [
            f"erasure {self.reference} ({self.reason}, by {self.requested_by}): {self.residents} sender id(s)",
            f"application rows deleted: {counts(self.rows)}",
            f"cases deleted: {self.cases_deleted}; kept for safeguarding, minimised: {self.cases_kept} ({counts(self.minimised)})",
            f"reports they made about someone else, their contact removed: {self.reports_detached}",
            f"Rasa tracker store: {self.tracker_events} events deleted in {self.tracker_stores} store(s)",
            f"dry-run outbox file lines removed: {self.outbox_file_lines}; crisis spool records removed: {self.spool_lines}",
            f"Twilio's copies of their texts queued for deletion: {self.provider_copies}",
            f"SQLite files rebuilt: {', '.join(self.compacted) or 'none'}",
        ]


def _var(settings: Settings) -> Path:
    return Path(settings.extra.get("VAR_DIR") or os.environ.get("VAR_DIR") or VAR)


def tracker_urls_for(settings: Settings) -> list[str]:
    return tracker_database_urls(_var(settings))


def _secure_delete(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA busy_timeout=30000")  # Rasa may be mid-turn on its file
    cursor.close()


def _erase_from_tracker(url: str, app_engine: Engine, sender_ids: Sequence[str], report: ErasureReport) -> None:
    engine = tracker_engine(url, app_engine)
    if engine is None:
        return  # Rasa never ran with this store
    own = engine is not app_engine
    try:
        if own and engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _secure_delete)
        with engine.begin() as conn:
            if not inspect(conn).has_table(TRACKER_TABLE):
                return
            events = table(TRACKER_TABLE, column("sender_id"))
            deleted = conn.execute(delete(events).where(events.c.sender_id.in_(list(sender_ids)))).rowcount
        report.tracker_stores += 1
        report.tracker_events += deleted
        if deleted and own and compact_sqlite(engine):
            report.compacted.append(Path(engine.url.database or "").name)
    finally:
        if own:
            engine.dispose()


def _numbers_of(session: Session, sender_ids: Sequence[str], settings: Settings) -> set[str]:
    phones = PhoneVault.for_settings(settings)
    numbers: set[str] = set()
    for token in session.scalars(select(Resident.phone_encrypted).where(Resident.sender_id.in_(list(sender_ids)), Resident.phone_encrypted.isnot(None))):
        try:
            numbers.add(normalise_uk_number(phones.open(token)))
        except (InvalidToken, InvalidPhoneNumber):
            continue
    return numbers


def _detach_reporter(conn: Connection, message_ids: set[str], numbers: set[str], settings: Settings) -> int:
    """Reports they made about someone else stay (that person may need help) without the reporter:
    found by the message that raised them, or by the reporter's contact being their number."""
    bodies = BodyVault.for_settings(settings)
    reports: set[int] = set()
    about_others = select(Case.id).where(Case.subject_kind == "third_party").scalar_subquery()
    if message_ids:
        cases = select(CaseReason.case_id).where(CaseReason.message_id.in_(message_ids), CaseReason.case_id.in_(about_others)).scalar_subquery()
        reports |= set(conn.execute(select(Report.id).where(Report.case_id.in_(cases))).scalars())
        conn.execute(update(CaseReason).where(CaseReason.message_id.in_(message_ids)).values(message_id=None))
    if numbers:
        reporters = select(Report.id, Report.reporter_contact_encrypted).where(Report.reporter_contact_encrypted.isnot(None), Report.case_id.in_(about_others))
        for report_id, token in conn.execute(reporters):
            try:
                if normalise_uk_number(bodies.open(token)) in numbers:
                    reports.add(report_id)
            except (InvalidToken, InvalidPhoneNumber):
                continue
    if reports:
        conn.execute(update(Report).where(Report.id.in_(reports)).values(reporter_contact_encrypted=None, notify_on_close=False))
    return len(reports)


def _erase_volunteering(session: Session, sender_ids: list[str], numbers: set[str], settings: Settings, report: ErasureReport) -> None:
    """Their volunteering, with its checks and training (pointing at it) and its audit trail: found by
    their sender ids and by a number they left in web chat, which no sender id column holds. The trail
    names no one, but with the reference gone it describes nobody and goes as a deleted case's does."""
    reached = volunteers_reached(session, sender_ids=sender_ids, numbers=numbers, settings=settings)
    if not reached:
        return
    conn = session.connection()
    volunteers: Table = Volunteer.__table__  # type: ignore[assignment]
    trail: Table = AuditEvent.__table__  # type: ignore[assignment]
    references = list(conn.execute(select(volunteers.c.reference).where(volunteers.c.id.in_(reached))).scalars())
    report.rows += delete_rows(conn, volunteers, volunteers.c.id.in_(reached))
    report.rows += delete_rows(conn, trail, trail.c.case_reference.in_(references))


def _erase_proposed_groups(session: Session, sender_ids: list[str], numbers: set[str], report: ErasureReport) -> None:
    """Groups they proposed go with every row holding their sender id (below); before that, a group already
    listed whose published phone is their own number loses it (the group stays: others run it too)."""
    approved = session.scalars(select(ProposedGroup.reference).where(ProposedGroup.proposer_sender_id.in_(sender_ids),
                                                                     ProposedGroup.state == "approved")).all()
    for reference in approved:
        published: set[str] = set()
        for typed in published_phones(session, reference):
            try:
                published.add(normalise_uk_number(typed))
            except InvalidPhoneNumber:
                continue
        if published & numbers and withdraw_contact(session, reference):
            report.rows["directory_phone (a listed group's contact)"] += 1
def _erase_befriending(session: Session, sender_ids: list[str], numbers: set[str], settings: Settings, report: ErasureReport,
                       now: datetime) -> set[int]:
    """Their befriending (casework.befriending.held): the outbox rows of every text relayed in their matches and of
    every check-in texted in them (those addressed to the other side, which name them, the sweep by sender id does
    not reach), Twilio's copies of them, and the audit trail of their requests and matches. The requests, matches,
    texts and check-ins themselves go with the sweep (their sender ids) or their volunteering. Returns the outbox
    ids deleted."""
    volunteer_ids = volunteers_reached(session, sender_ids=sender_ids, numbers=numbers, settings=settings)
    match_ids = matches_of_people(session, sender_ids=sender_ids, volunteer_ids=volunteer_ids)
    relayed = match_outbox_ids(session, match_ids)
    conn = session.connection()
    outbox: Table = OutboxMessage.__table__  # type: ignore[assignment]
    trail: Table = AuditEvent.__table__  # type: ignore[assignment]
    if relayed:
        sids = session.scalars(select(OutboxMessage.provider_sid).where(OutboxMessage.id.in_(relayed), OutboxMessage.provider_sid.isnot(None)))
        report.provider_copies += queue_deletions(session, list(sids), reason="erasure", settings=settings, now=now)
        report.rows += delete_rows(conn, outbox, outbox.c.id.in_(relayed))
    references = references_of(session, sender_ids=sender_ids, match_ids=match_ids)
    if references:
        report.rows += delete_rows(conn, trail, trail.c.case_reference.in_(references))
    return relayed


def _erase_application_rows(session: Session, sender_ids: list[str], numbers: set[str], settings: Settings, report: ErasureReport,
                            now: datetime) -> set[int]:
    """Step 3 (see the module docstring), in the caller's transaction; returns the outbox ids deleted."""
    conn = session.connection()
    numbers = numbers | _numbers_of(session, sender_ids, settings)
    # Locked (on PostgreSQL): a reply SID Twilio reports meanwhile (channels.sms_webhook) is either seen
    # here, or finds the message gone once this commits and queues its copy itself.
    inbound = session.execute(select(InboundMessage.message_id, InboundMessage.reply_sid)
                              .where(InboundMessage.sender_id.in_(sender_ids)).with_for_update()).all()
    message_ids = {row.message_id for row in inbound}
    reply_sids = {row.reply_sid for row in inbound if row.reply_sid}
    policy = retention_policy(settings)
    cases = session.execute(select(Case.id, Case.reference, Case.state, Case.lawful_basis, Case.closed_at).where(Case.sender_id.in_(sender_ids))).all()
    kept = [c for c in cases if policy.keeps(state=c.state, lawful_basis=c.lawful_basis, closed_at=c.closed_at, now=now)]
    gone = [c.id for c in cases if c not in kept]
    report.minimised += minimise_cases(conn, [c.id for c in kept], settings)
    for case in kept:
        audit.record(session, actor=report.requested_by, action="minimised", case_reference=case.reference, at=now,
                     detail=f"erasure {report.reference}: who it is about and what was said removed; "
                            f"kept for safeguarding (basis {case.lawful_basis})")
    # Before their cases: a case's deletion takes its befriending request, and the request its matches.
    relayed = _erase_befriending(session, sender_ids, numbers, settings, report, now)
    counts, outbox_ids = delete_cases(conn, gone)
    outbox_ids |= relayed
    report.rows += counts
    report.cases_kept += len(kept)
    report.cases_deleted += len(gone)
    report.reports_detached += _detach_reporter(conn, message_ids, numbers, settings)
    # Twilio's own copies of their texts go too, and of our replies, whether sent through the outbox or
    # as TwiML (the worker deletes them through its API).
    sent = session.scalars(select(OutboxMessage.provider_sid).where(OutboxMessage.recipient_sender_id.in_(sender_ids)))
    report.provider_copies += queue_deletions(session, [*message_ids, *reply_sids, *sent], reason="erasure", settings=settings, now=now)
    _erase_volunteering(session, sender_ids, numbers, settings, report)
    _erase_proposed_groups(session, sender_ids, numbers, report)
    for tbl in application_tables(conn):
        for col in sender_id_columns(tbl):
            if tbl.name == OutboxMessage.__tablename__:
                outbox_ids |= set(conn.execute(select(tbl.c.id).where(col.in_(sender_ids))).scalars())
            report.rows += delete_rows(conn, tbl, col.in_(sender_ids))
    return outbox_ids


def erase_senders(
    sender_ids: Collection[str],
    settings: Settings,
    *,
    requested_by: str,
    reason: str,
    numbers: Collection[str] = (),
    sessions: sessionmaker | None = None,
    tracker_urls: Sequence[str] | None = None,
    reference: str | None = None,
    requested_at: datetime | None = None,
    now: datetime | None = None,
    compact_database: bool = True,
) -> ErasureReport:
    """Erase these sender ids (one person's, or a retention run's many) from every store; one Erasure row."""
    load_models()
    now = as_utc(now) or utcnow()
    engine: Engine | None = None
    if sessions is None:
        engine = make_engine(settings.database_url)
        sessions = make_sessionmaker(engine)
    app_engine: Engine = sessions.kw["bind"]
    try:
        # A volunteer's web chat and the number they are texted at are one person's: erasing one erases both.
        with sessions() as session:
            ids = sorted({*sender_ids, *linked_sender_ids(session, sender_ids=list(sender_ids), numbers=numbers, settings=settings)})
        report = ErasureReport(reference=reference or new_erasure_reference(), requested_at=as_utc(requested_at) or now, erased_at=now,
                               requested_by=requested_by[:64], reason=reason[:64], residents=len(ids))
        report.spool_lines = remove_from_spool(spool_path(settings), set(ids), vault=BodyVault.for_settings(settings))
        for url in tracker_urls if tracker_urls is not None else tracker_urls_for(settings):
            _erase_from_tracker(url, app_engine, ids, report)
        with sessions.begin() as session:
            outbox_ids = _erase_application_rows(session, ids, set(numbers), settings, report, now)
            if session.scalars(select(Erasure.id).where(Erasure.reference == report.reference)).first() is None:
                session.add(Erasure(reference=report.reference, requested_at=report.requested_at, erased_at=now,
                                    requested_by=report.requested_by, reason=report.reason, residents=report.residents,
                                    cases_kept=report.cases_kept, counts=json.dumps(report.counts())))
            audit.record(session, actor=report.requested_by, action="erasure", at=now,
                         detail=f"erasure {report.reference} ({report.reason}): {report.cases_deleted} cases deleted, "
                                f"{report.cases_kept} kept minimised")
        report.outbox_file_lines = remove_lines(settings.outbox_path, recipients=ids, outbox_ids=outbox_ids)
        if compact_database and compact_sqlite(app_engine):
            report.compacted.append(Path(app_engine.url.database or "").name)
        with sessions.begin() as session:
            session.execute(update(Erasure).where(Erasure.reference == report.reference).values(counts=json.dumps(report.counts())))
    finally:
        if engine is not None:
            engine.dispose()
    log.warning("erasure %s (%s): %s sender id(s), %s cases deleted, %s kept minimised, %s tracker events",
                report.reference, report.reason, report.residents, report.cases_deleted, report.cases_kept, report.tracker_events)
    return report


def _same_person(sessions: sessionmaker, sender_id: str, settings: Settings) -> tuple[list[str], set[str]]:
    """An SMS resident's sender ids under every configured hash key (a re-key may be pending), and their number."""
    with sessions() as session:
        numbers = _numbers_of(session, [sender_id], settings)
    ids = {sender_id}
    for number in numbers:
        ids.update(sms_sender_ids(number, settings))
    return sorted(ids), numbers


def erase_resident(sender_id: str, settings: Settings, *, requested_by: str, reason: str, sessions: sessionmaker | None = None,
                   tracker_urls: Sequence[str] | None = None, reference: str | None = None, requested_at: datetime | None = None,
                   now: datetime | None = None) -> ErasureReport:
    """Erase one resident (all their sender ids) from every store. Counts only in the report."""
    engine: Engine | None = None
    if sessions is None:
        engine = make_engine(settings.database_url)
        sessions = make_sessionmaker(engine)
    try:
        ids, numbers = _same_person(sessions, sender_id, settings)
        return erase_senders(ids, settings, requested_by=requested_by, reason=reason, numbers=numbers, sessions=sessions,
                             tracker_urls=tracker_urls, reference=reference, requested_at=requested_at, now=now)
    finally:
        if engine is not None:
            engine.dispose()


@dataclass
class ErasureRun:
    erased: int = 0
    waiting: int = 0  # a turn of theirs is still in Rasa: next pass

    @property
    def handled(self) -> int:
        return self.erased

    def __str__(self) -> str:
        return f"{self.erased} confirmed erasures carried out, {self.waiting} waiting for a turn to finish"


def _turn_in_flight(session: Session, sender_id: str) -> bool:
    return session.scalars(
        select(InboundMessage.id).where(InboundMessage.sender_id == sender_id, InboundMessage.state.in_(UNANSWERED)).limit(1)
    ).first() is not None


def carry_out_confirmed_erasures(sessions: sessionmaker, settings: Settings, *, tracker_urls: Sequence[str] | None = None,
                                 now: datetime | None = None) -> ErasureRun:
    """The worker's job: every request confirmed by YES, erased (casework.erasure_request)."""
    run = ErasureRun()
    now = as_utc(now) or utcnow()
    with sessions() as session:
        queue: list[ConfirmedErasure] = confirmed_erasures(session)
        waiting = {r.sender_id for r in queue if _turn_in_flight(session, r.sender_id)}
    for request in queue:
        if request.sender_id in waiting and (as_utc(request.confirmed_at) or now) > now - IN_FLIGHT_WAIT:
            run.waiting += 1
            continue
        channel = "webchat" if request.sender_id.startswith("web:") else "sms"
        erase_resident(request.sender_id, settings, sessions=sessions, requested_by=f"resident:{channel}", reason="resident_request",
                       tracker_urls=tracker_urls, reference=request.reference, requested_at=request.confirmed_at)
        run.erased += 1
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--sender", help="the resident's sender id (sms:... or web:...)")
    who.add_argument("--phone", help="the resident's phone number (E.164, or a UK number)")
    parser.add_argument("--by", required=True, help="who asked for or authorised the erasure (recorded, e.g. your name)")
    parser.add_argument("--reason", default="resident_request", help="why, in a few words without personal data (default: resident_request)")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    args = parser.parse_args(argv)
    settings = load_settings()
    settings.check()
    numbers: set[str] = set()
    if args.phone:
        try:
            number = normalise_uk_number(args.phone)
        except InvalidPhoneNumber:
            parser.error("--phone is not a phone number")
        numbers.add(number)
        sender_ids = list(sms_sender_ids(number, settings))
    else:
        sender_ids = [args.sender]
    if not args.yes and input("This deletes everything held about this resident and cannot be undone. Type ERASE to go on: ").strip() != "ERASE":
        print("nothing erased")
        return 1
    engine = make_engine(settings.database_url)
    sessions = make_sessionmaker(engine)
    try:
        ids = set(sender_ids)
        for sender_id in sender_ids:
            more, found = _same_person(sessions, sender_id, settings)
            ids.update(more)
            numbers |= found
        report = erase_senders(ids, settings, requested_by=f"cli:{args.by}", reason=args.reason, numbers=numbers, sessions=sessions)
    finally:
        engine.dispose()
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
