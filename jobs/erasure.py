"""Erase a resident from every store: the run and its order, the worker's job and the staff command.

    python -m jobs.erasure --phone +447700900123 --by "Sam Manager" [--reason "email of 3 May"]
    python -m jobs.erasure --sender sms:3f2a... --by "Sam Manager"
    python -m jobs.erasure --email sue@example.org --by "Sam Manager"   (a volunteer or a group's proposer who gave only an email)

Residents ask by text or web chat ("FORGET ME", then YES: casework.privacy.erasure_request); the worker carries
out each confirmed request within a second (`carry_out_confirmed_erasures`), and the retention purge
erases residents whose period has run out through the same code (jobs.retention).

What goes, in this order (each step can be run again: a request interrupted half-way is finished by
running it again, and the worker does so because the request's flag goes last):
1. the crisis spool: records of this resident still waiting to become cases (sealed lines);
2. Rasa's tracker store(s): the whole conversation (`events` rows with their sender id) in every
   worker's SQLite file or the shared TRACKER_DATABASE_URL; a SQLite file is then rebuilt (VACUUM),
   since Rasa's own connections leave older copies of rows in free space;
3. the application database, in one transaction (jobs.erasure_rows says what: every row with their
   sender id and what points at it, their volunteering, the groups they proposed, their befriending,
   their cases but those kept for safeguarding, found by their sender ids, numbers and email addresses);
   then an `Erasure` row (reference, when, who asked, counts: jobs.erasure_report; nothing that
   identifies the person) and an audit event;
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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import column, delete, event, inspect, select, table, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from casework.cases import audit
from casework.cases.spool import remove_from_spool, spool_path
from casework.conversation.inbound import UNANSWERED, BodyVault
from casework.good_neighbours.volunteers import linked_sender_ids
from casework.models import InboundMessage, as_utc, utcnow
from casework.outbox.dry_run_file import remove_lines
from casework.privacy.erasure_request import ConfirmedErasure, confirmed_erasures, new_erasure_reference
from casework.privacy.models import Erasure
from casework.residents.identity import InvalidPhoneNumber, normalise_uk_number, sms_sender_ids
from jobs.erasure_report import ErasureReport
from jobs.erasure_rows import erase_application_rows, numbers_of
from jobs.rekey import TRACKER_TABLE, load_models, tracker_engine
from service.database import compact_sqlite, make_engine, make_sessionmaker
from service.launch import tracker_database_urls
from service.settings import VAR, Settings, load_settings

__all__ = ["ErasureReport", "erase_resident", "erase_senders", "carry_out_confirmed_erasures", "ErasureRun",
           "tracker_urls_for", "main"]

log = logging.getLogger(__name__)

# A turn still in Rasa when the request is carried out would write the conversation back afterwards:
# wait for the resident's unanswered messages, but not for ever (recovery gives up on a turn at 330 s).
IN_FLIGHT_WAIT = timedelta(minutes=10)


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


def erase_senders(
    sender_ids: Collection[str],
    settings: Settings,
    *,
    requested_by: str,
    reason: str,
    numbers: Collection[str] = (),
    emails: Collection[str] = (),
    sessions: sessionmaker | None = None,
    tracker_urls: Sequence[str] | None = None,
    reference: str | None = None,
    requested_at: datetime | None = None,
    now: datetime | None = None,
    compact_database: bool = True,
) -> ErasureReport:
    """Erase these sender ids (one person's, or a retention run's many) from every store, with what holds their
    `numbers` or `emails` without a sender id (a volunteer's or a proposer's contact); one Erasure row."""
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
            linked = linked_sender_ids(session, sender_ids=list(sender_ids), numbers=numbers, settings=settings, emails=emails)
            ids = sorted({*sender_ids, *linked})
        report = ErasureReport(reference=reference or new_erasure_reference(), requested_at=as_utc(requested_at) or now, erased_at=now,
                               requested_by=requested_by[:64], reason=reason[:64], residents=len(ids))
        report.spool_lines = remove_from_spool(spool_path(settings), set(ids), vault=BodyVault.for_settings(settings))
        for url in tracker_urls if tracker_urls is not None else tracker_urls_for(settings):
            _erase_from_tracker(url, app_engine, ids, report)
        with sessions.begin() as session:
            outbox_ids = erase_application_rows(session, ids, set(numbers), settings, report, now, emails)
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
        numbers = numbers_of(session, [sender_id], settings)
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
    """The worker's job: every request confirmed by YES, erased (casework.privacy.erasure_request)."""
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
    who.add_argument("--email", help="an email address they gave (a web-chat volunteer's contact, a group's proposer)")
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
    elif args.email:
        if "@" not in args.email:
            parser.error("--email is not an email address")
        sender_ids = []
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
        report = erase_senders(ids, settings, requested_by=f"cli:{args.by}", reason=args.reason, numbers=numbers,
                               emails=[args.email] if args.email else [], sessions=sessions)
    finally:
        engine.dispose()
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
