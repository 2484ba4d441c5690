"""Subject access: finding everything the application database holds about a resident, decrypted for them, by
their sender ids, their numbers and the email addresses they gave (a volunteer or a group's proposer who left only
an email). The records it fills are casework.privacy.subject_access_records'.

Rasa's conversation is added by jobs.subject_access (casework never touches Rasa's store), which
also writes the JSON and HTML. Plain dataclasses out.

Other people are left out (UK GDPR Art. 15(4); DPA 2018 Sch. 2 para 16):
- a concern someone else reported about them: only that it was reported, when and how urgent; never
  who reported it, how to reach them, or what they said;
- a report they made about someone else: when, their relationship and the urgency they gave; not
  what they said about that person, nor who it was;
- staff: what was done and when, not which connector (the service answers for its staff); a
  volunteer's checks say what was seen and when, not who recorded them;
- a befriending match: their own side (casework.befriending.held): the other person by role only, and
  a text relayed to them by when, not its words.
"""
from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from cryptography.fernet import InvalidToken
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.befriending.held import befriending_records
from casework.cases.models import Alert, AuditEvent, Case, CaseNote, CaseReason, Report, Volunteer, VolunteerCheck, VolunteerTraining
from casework.conversation.inbound import BodyVault
from casework.follow_ups.models import FollowUp
from casework.good_neighbours.volunteers import roles_words, volunteers_reached
from casework.loneliness.models import LonelinessScore
from casework.models import Flag, InboundMessage, Resident, as_utc, utcnow
from casework.outbox.messages import RELAY, OutboxMessage
from casework.privacy.consent import consent_history
from casework.privacy.subject_access_records import (
    RELAYED_TO_THEM,
    CaseRecord,
    CheckInRecord,
    ConcernReported,
    FlagRecord,
    GroupProposedRecord,
    LonelinessRecord,
    MessageRecord,
    NoteRecord,
    ReasonRecord,
    RememberedRecord,
    ReportMade,
    ResidentRecord,
    SentRecord,
    StepRecord,
    SubjectAccess,
    TrainingRecord,
    VolunteerCheckRecord,
    VolunteerRecord,
)
from casework.proposed_groups.held import emailed_to, group_drafts, plain_emails, proposals_reached
from casework.proposed_groups.models import ProposedGroup
from casework.residents.identity import InvalidPhoneNumber, PhoneVault, normalise_uk_number
from casework.residents.memory_models import ResidentMemory
from service.settings import Settings

__all__ = ["RELAYED_TO_THEM", "SubjectAccess", "subject_access"]


def _at(value: datetime | None) -> datetime | None:
    return as_utc(value)


def _opened(vault: BodyVault, token: str | None) -> str | None:
    if not token:
        return None
    try:
        return vault.open(token)
    except InvalidToken:
        return "[sealed under a key no longer configured]"


def _case(session: Session, case: Case, bodies: BodyVault) -> CaseRecord:
    reasons = session.scalars(select(CaseReason).where(CaseReason.case_id == case.id).order_by(CaseReason.raised_at, CaseReason.id))
    notes = session.scalars(select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.at, CaseNote.id))
    alerts = session.scalars(select(Alert).where(Alert.case_id == case.id).order_by(Alert.created_at, Alert.id))
    history = session.scalars(select(AuditEvent).where(AuditEvent.case_reference == case.reference).order_by(AuditEvent.at, AuditEvent.id))
    concerns = session.scalars(select(Report).where(Report.case_id == case.id).order_by(Report.created_at))
    return CaseRecord(
        reference=case.reference, state=case.state, priority=case.priority, area=case.area, lawful_basis=case.lawful_basis,
        outcome=case.outcome, opened_at=_at(case.created_at) or case.created_at, acknowledged_at=_at(case.acknowledged_at),
        visit_planned_for=_at(case.visit_planned_for), visited_at=_at(case.visited_at), closed_at=_at(case.closed_at),
        contact=_opened(bodies, case.contact_encrypted),
        reasons=[ReasonRecord(_at(r.raised_at) or r.raised_at, r.category, _opened(bodies, r.excerpt_encrypted)) for r in reasons],
        notes=[NoteRecord(_at(n.at) or n.at, _opened(bodies, n.text_encrypted) or "") for n in notes],
        connectors_alerted=[StepRecord(_at(a.created_at) or a.created_at, f"{a.channel} alert to a community connector: {a.state}") for a in alerts],
        history=[StepRecord(_at(e.at) or e.at, e.action) for e in history],
        concerns_reported=[ConcernReported(_at(r.created_at) or r.created_at, r.urgency) for r in concerns],
    )


def _left_their_number(session: Session, numbers: set[str], bodies: BodyVault, about_others: Any, emails: Collection[str] = ()) -> set[int]:
    """The reports whose reporter's contact is one of these numbers (or addresses). A sealed contact cannot be looked
    up, so every report that has one is opened and compared: for a number nobody has used this is most
    of the export's time (bench/subject_access.py), so only the id and the sealed contact are read."""
    found: set[int] = set()
    contacts = select(Report.id, Report.reporter_contact_encrypted).where(Report.reporter_contact_encrypted.isnot(None),
                                                                          Report.case_id.in_(about_others))
    for report_id, sealed in session.execute(contacts):
        try:
            contact = bodies.open(sealed)
            if "@" in contact:
                if contact.strip().lower() in emails:
                    found.add(report_id)
            elif normalise_uk_number(contact) in numbers:
                found.add(report_id)
        except (InvalidToken, InvalidPhoneNumber):
            continue
    return found


def _reports_made(session: Session, message_ids: set[str], numbers: set[str], bodies: BodyVault, emails: set[str]) -> list[ReportMade]:
    """Reports on cases about someone else (a concern raised about them is not one of theirs) that
    their own message raised, or that left their number as the reporter's."""
    about_others = select(Case.id).where(Case.subject_kind == "third_party").scalar_subquery()
    ids: set[int] = set()
    if message_ids:
        cases = select(CaseReason.case_id).where(CaseReason.message_id.in_(message_ids), CaseReason.case_id.in_(about_others)).scalar_subquery()
        ids |= set(session.scalars(select(Report.id).where(Report.case_id.in_(cases))))
    if numbers or emails:
        ids |= _left_their_number(session, numbers, bodies, about_others, emails)
    if not ids:
        return []
    reports = session.scalars(select(Report).where(Report.id.in_(ids)).order_by(Report.created_at, Report.id))
    return [ReportMade(_at(r.created_at) or r.created_at, r.reporter_relationship, r.urgency, r.notify_on_close) for r in reports]


def _volunteering(session: Session, volunteer_ids: list[int], bodies: BodyVault) -> list[VolunteerRecord]:
    records = []
    for v in session.scalars(select(Volunteer).where(Volunteer.id.in_(volunteer_ids)).order_by(Volunteer.created_at, Volunteer.id)):
        checks = session.scalars(select(VolunteerCheck).where(VolunteerCheck.volunteer_id == v.id).order_by(VolunteerCheck.kind))
        training = session.scalars(select(VolunteerTraining).where(VolunteerTraining.volunteer_id == v.id).order_by(VolunteerTraining.id))
        records.append(VolunteerRecord(
            reference=v.reference, signed_up_at=_at(v.created_at) or v.created_at, name=_opened(bodies, v.name_encrypted),
            area=v.area_label, availability=_opened(bodies, v.availability_encrypted), interests=_opened(bodies, v.interests_encrypted),
            offers=roles_words(filter(None, v.roles.split(","))), contact=_opened(bodies, v.contact_encrypted), state=v.state,
            state_changed_at=_at(v.state_changed_at) or v.created_at, approved_at=_at(v.approved_at),
            training_completed_at=_at(v.training_completed_at),
            checks=[VolunteerCheckRecord(c.kind, c.seen_on) for c in checks],
            training=[TrainingRecord(t.module, t.state, _at(t.texted_at) or t.texted_at, _at(t.done_at)) for t in training],
        ))
    return records


def _groups_proposed(session: Session, proposal_ids: list[int], bodies: BodyVault) -> list[GroupProposedRecord]:
    """Groups proposed with their number (held as its pseudonym) or their email address as the proposer's contact."""
    records = []
    for g in session.scalars(select(ProposedGroup).where(ProposedGroup.id.in_(proposal_ids))
                             .order_by(ProposedGroup.created_at, ProposedGroup.id)):
        listing = _opened(bodies, g.listing_encrypted)
        try:
            group = json.loads(listing) if listing else {}
        except ValueError:
            group = {"details": listing}
        records.append(GroupProposedRecord(
            reference=g.reference, proposed_at=_at(g.created_at) or g.created_at, group=group, name=_opened(bodies, g.proposer_name_encrypted),
            role=g.proposer_role, contact=_opened(bodies, g.proposer_contact_encrypted), state=g.state,
            state_changed_at=_at(g.state_changed_at) or g.created_at, note=_opened(bodies, g.change_note_encrypted), approved_at=_at(g.approved_at),
        ))
    return records


def subject_access(session: Session, sender_ids: Sequence[str], *, settings: Settings, numbers: Collection[str] = (),
                   emails: Collection[str] = (), now: datetime | None = None) -> SubjectAccess:
    """What the application database holds about the resident behind these sender ids (all of one
    person's: an SMS resident under every configured hash key, `casework.residents.identity.sms_sender_ids`), and
    what holds their numbers or email addresses without a sender id (a web-chat volunteer's contact, a
    proposer's email, a reporter's contact, the emails sent to them)."""
    ids = list(dict.fromkeys(sender_ids))
    phones, bodies = PhoneVault.for_settings(settings), BodyVault.for_settings(settings)
    residents = list(session.scalars(select(Resident).where(Resident.sender_id.in_(ids)).order_by(Resident.first_contact_at)))
    known_numbers = set(numbers)
    records = []
    for r in residents:
        phone = None
        if r.phone_encrypted:
            try:
                phone = phones.open(r.phone_encrypted)
                known_numbers.add(normalise_uk_number(phone))
            except (InvalidToken, InvalidPhoneNumber):
                phone = None
        records.append(ResidentRecord(r.channel, phone, _at(r.first_contact_at) or r.first_contact_at, _at(r.last_contact_at) or r.last_contact_at,
                                      r.opted_out, _at(r.opted_out_at), _at(r.privacy_notice_at)))
    inbound = list(session.scalars(select(InboundMessage).where(InboundMessage.sender_id.in_(ids)).order_by(InboundMessage.received_at, InboundMessage.id)))
    addresses = plain_emails(emails)
    sent = session.scalars(select(OutboxMessage).where(or_(OutboxMessage.recipient_sender_id.in_(ids),
                                                           OutboxMessage.id.in_(emailed_to(session, addresses))))
                           .order_by(OutboxMessage.created_at, OutboxMessage.id))
    flags = session.scalars(select(Flag).where(Flag.sender_id.in_(ids)).order_by(Flag.raised_at, Flag.id))
    cases = session.scalars(select(Case).where(Case.sender_id.in_(ids)).order_by(Case.created_at, Case.id))
    volunteer_ids = volunteers_reached(session, sender_ids=ids, numbers=known_numbers, settings=settings, emails=addresses)
    requests, matches = befriending_records(session, sender_ids=ids, volunteer_ids=volunteer_ids, bodies=bodies)
    return SubjectAccess(
        generated_at=as_utc(now) or utcnow(),
        residents=records,
        consent=consent_history(session, ids),
        messages=[MessageRecord(_at(m.received_at) or m.received_at, m.channel, _opened(bodies, m.body_encrypted), m.reply_text, m.state)
                  for m in inbound],
        # A text relayed to them is another person's words: listed, its words left out (their befriending match says when).
        sent=[SentRecord(_at(m.created_at) or m.created_at, m.purpose, m.body if m.purpose != RELAY else RELAYED_TO_THEM, m.state,
                         _at(m.sent_at)) for m in sent],
        flags=[FlagRecord(_at(f.raised_at) or f.raised_at, f.reason, f.state) for f in flags],
        cases=[_case(session, c, bodies) for c in cases],
        reports_made=_reports_made(session, {m.message_id for m in inbound}, known_numbers, bodies, addresses),
        remembered=[RememberedRecord(_opened(bodies, m.interest_encrypted), _opened(bodies, m.place_encrypted), _at(m.offered_at) or m.offered_at,
                                     _at(m.agreed_at), _at(m.updated_at) or m.updated_at)
                    for m in session.scalars(select(ResidentMemory).where(ResidentMemory.sender_id.in_(ids)).order_by(ResidentMemory.id))],
        check_ins=[CheckInRecord(f.activity_name, _at(f.meets_at) or f.meets_at, f.state, _at(f.offered_at) or f.offered_at, _at(f.asked_at),
                                 _at(f.answered_at), f.went, f.reason, _opened(bodies, f.answer_encrypted), f.interest,
                                 _opened(bodies, f.place_encrypted))
                   for f in session.scalars(select(FollowUp).where(FollowUp.sender_id.in_(ids)).order_by(FollowUp.offered_at, FollowUp.id))],
        volunteering=_volunteering(session, volunteer_ids, bodies),
        groups_proposed=_groups_proposed(session, proposals_reached(session, sender_ids=ids, emails=addresses, settings=settings), bodies),
        groups_being_proposed=group_drafts(session, ids, bodies),
        befriending_requests=requests,
        befriending_matches=matches,
        loneliness=[LonelinessRecord(s.support, s.area, _at(s.supported_at) or s.supported_at, s.state, s.round, s.first_score, _at(s.first_at),
                                     s.follow_up_score, _at(s.follow_up_at), _at(s.due_at) if s.state == "due" else None)
                    for s in session.scalars(select(LonelinessScore).where(LonelinessScore.sender_id.in_(ids)).order_by(LonelinessScore.id))],
    )
