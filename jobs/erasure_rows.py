"""Erasure's step 3: a person's rows in the application database, in one transaction (jobs.erasure runs the
other stores around it and says the order).

Every row of every table with a sender id column (found from the table declarations, as `jobs.rekey`
does: resident, inbound messages, outbox, flags, SMS conversation state, consent, loneliness scores, a
group being proposed by text...) with whatever points at it; their volunteering (the sign-up, checks and
training, found also by a number or an email address they left in web chat) and its audit trail; groups
they proposed with their number or their email address, and the emails sent to that address (a listed
group whose published phone or email is theirs loses it); their befriending requests and matches (either
side), every text relayed in them (sealed in the outbox, both ways), their check-ins' answers and texts
(either side's) and their audit trail; their cases,
except a case kept for safeguarding (casework.privacy.retention.RetentionPolicy.keeps), which stays minimised
(casework.privacy.removal); reports they made about someone else lose the reporter's contact; Twilio's copies of
their texts and of our replies to them (sent through the outbox or as TwiML) are queued for deletion
through its API (casework.privacy.provider_copies).
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from cryptography.fernet import InvalidToken
from sqlalchemy import Table, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from casework.befriending.held import match_outbox_ids, matches_of_people, references_of
from casework.cases import audit
from casework.cases.models import AuditEvent, Case, CaseReason, Report, Volunteer
from casework.conversation.inbound import BodyVault
from casework.good_neighbours.volunteers import volunteers_reached
from casework.models import InboundMessage, Resident
from casework.outbox.messages import OutboxMessage
from casework.privacy.provider_copies import queue_deletions
from casework.privacy.removal import delete_cases, delete_rows, minimise_cases
from casework.privacy.retention import retention_policy
from casework.proposed_groups.held import emailed_to, plain_emails, proposals_reached
from casework.proposed_groups.models import ProposedGroup
from casework.residents.identity import InvalidPhoneNumber, PhoneVault, normalise_uk_number
from directory.community_groups import published_email, published_phones, withdraw_contact
from jobs.erasure_report import ErasureReport
from jobs.rekey import application_tables, sender_id_columns
from service.settings import Settings

__all__ = ["numbers_of", "erase_application_rows"]


def numbers_of(session: Session, sender_ids: Sequence[str], settings: Settings) -> set[str]:
    phones = PhoneVault.for_settings(settings)
    numbers: set[str] = set()
    for token in session.scalars(select(Resident.phone_encrypted).where(Resident.sender_id.in_(list(sender_ids)), Resident.phone_encrypted.isnot(None))):
        try:
            numbers.add(normalise_uk_number(phones.open(token)))
        except (InvalidToken, InvalidPhoneNumber):
            continue
    return numbers


def _detach_reporter(conn: Connection, message_ids: set[str], numbers: set[str], settings: Settings, emails: set[str]) -> int:
    """Reports they made about someone else stay (that person may need help) without the reporter:
    found by the message that raised them, or by the reporter's contact being their number or address."""
    bodies = BodyVault.for_settings(settings)
    reports: set[int] = set()
    about_others = select(Case.id).where(Case.subject_kind == "third_party").scalar_subquery()
    if message_ids:
        cases = select(CaseReason.case_id).where(CaseReason.message_id.in_(message_ids), CaseReason.case_id.in_(about_others)).scalar_subquery()
        reports |= set(conn.execute(select(Report.id).where(Report.case_id.in_(cases))).scalars())
        conn.execute(update(CaseReason).where(CaseReason.message_id.in_(message_ids)).values(message_id=None))
    if numbers or emails:
        reporters = select(Report.id, Report.reporter_contact_encrypted).where(Report.reporter_contact_encrypted.isnot(None), Report.case_id.in_(about_others))
        for report_id, token in conn.execute(reporters):
            try:
                contact = bodies.open(token)
                if contact.strip().lower() in emails if "@" in contact else normalise_uk_number(contact) in numbers:
                    reports.add(report_id)
            except (InvalidToken, InvalidPhoneNumber):
                continue
    if reports:
        conn.execute(update(Report).where(Report.id.in_(reports)).values(reporter_contact_encrypted=None, notify_on_close=False))
    return len(reports)


def _erase_volunteering(session: Session, sender_ids: list[str], numbers: set[str], emails: set[str], settings: Settings,
                        report: ErasureReport) -> None:
    """Their volunteering, with its checks and training (pointing at it) and its audit trail: found by
    their sender ids and by a number or address they left in web chat, which no sender id column holds. The trail
    names no one, but with the reference gone it describes nobody and goes as a deleted case's does."""
    reached = volunteers_reached(session, sender_ids=sender_ids, numbers=numbers, settings=settings, emails=emails)
    if not reached:
        return
    conn = session.connection()
    volunteers: Table = Volunteer.__table__  # type: ignore[assignment]
    trail: Table = AuditEvent.__table__  # type: ignore[assignment]
    references = list(conn.execute(select(volunteers.c.reference).where(volunteers.c.id.in_(reached))).scalars())
    report.rows += delete_rows(conn, volunteers, volunteers.c.id.in_(reached))
    report.rows += delete_rows(conn, trail, trail.c.case_reference.in_(references))


def _erase_proposed_groups(session: Session, sender_ids: list[str], numbers: set[str], emails: set[str], settings: Settings,
                           report: ErasureReport) -> set[int]:
    """Groups they proposed: with their number, the rows go with every row holding their sender id (below); with
    their email address (no sender id), here, with the emails the service sent them. Before that, a group already
    listed whose published phone or email is their own loses it (the group stays: others run it too). Returns the
    outbox ids deleted."""
    proposals = proposals_reached(session, sender_ids=sender_ids, emails=emails, settings=settings)
    approved = session.scalars(select(ProposedGroup.reference).where(ProposedGroup.id.in_(proposals), ProposedGroup.state == "approved")).all()
    for reference in approved:
        published: set[str] = set()
        for typed in published_phones(session, reference):
            try:
                published.add(normalise_uk_number(typed))
            except InvalidPhoneNumber:
                continue
        email = (published_email(session, reference) or "").strip().lower()
        if (published & numbers or (email and email in emails)) and withdraw_contact(session, reference):
            report.rows["directory_phone (a listed group's contact)"] += 1
    conn = session.connection()
    groups: Table = ProposedGroup.__table__  # type: ignore[assignment]
    outbox: Table = OutboxMessage.__table__  # type: ignore[assignment]
    report.rows += delete_rows(conn, groups, groups.c.id.in_(proposals))
    emailed = set(emailed_to(session, emails))
    report.rows += delete_rows(conn, outbox, outbox.c.id.in_(emailed))
    return emailed


def _erase_befriending(session: Session, sender_ids: list[str], numbers: set[str], emails: set[str], settings: Settings,
                       report: ErasureReport, now: datetime) -> set[int]:
    """Their befriending (casework.befriending.held): the outbox rows of every text relayed in their matches and of
    every check-in texted in them (those addressed to the other side, which name them, the sweep by sender id does
    not reach), Twilio's copies of them, and the audit trail of their requests and matches. The requests, matches,
    texts and check-ins themselves go with the sweep (their sender ids) or their volunteering. Returns the outbox
    ids deleted."""
    volunteer_ids = volunteers_reached(session, sender_ids=sender_ids, numbers=numbers, settings=settings, emails=emails)
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


def erase_application_rows(session: Session, sender_ids: list[str], numbers: set[str], settings: Settings, report: ErasureReport,
                           now: datetime, emails: Collection[str] = ()) -> set[int]:
    """Step 3 of jobs.erasure (see the module docstring), in the caller's transaction; returns the outbox ids deleted."""
    conn = session.connection()
    numbers = numbers | numbers_of(session, sender_ids, settings)
    addresses = plain_emails(emails)
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
    relayed = _erase_befriending(session, sender_ids, numbers, addresses, settings, report, now)
    counts, outbox_ids = delete_cases(conn, gone)
    outbox_ids |= relayed
    report.rows += counts
    report.cases_kept += len(kept)
    report.cases_deleted += len(gone)
    report.reports_detached += _detach_reporter(conn, message_ids, numbers, settings, addresses)
    # Twilio's own copies of their texts go too, and of our replies, whether sent through the outbox or
    # as TwiML (the worker deletes them through its API).
    sent = session.scalars(select(OutboxMessage.provider_sid).where(OutboxMessage.recipient_sender_id.in_(sender_ids)))
    report.provider_copies += queue_deletions(session, [*message_ids, *reply_sids, *sent], reason="erasure", settings=settings, now=now)
    _erase_volunteering(session, sender_ids, numbers, addresses, settings, report)
    outbox_ids |= _erase_proposed_groups(session, sender_ids, numbers, addresses, settings, report)
    for tbl in application_tables(conn):
        for col in sender_id_columns(tbl):
            if tbl.name == OutboxMessage.__tablename__:
                outbox_ids |= set(conn.execute(select(tbl.c.id).where(col.in_(sender_ids))).scalars())
            report.rows += delete_rows(conn, tbl, col.in_(sender_ids))
    return outbox_ids
