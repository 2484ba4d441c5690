"""Reports by neighbours, shop workers and volunteers about someone they are worried about.

A report opens a case about a described third party (never merged into another case: the person is
not identified), with its priority from how urgent the reporter says it is. Everything the reporter
wrote is sealed, the full address and postcode included (the connector visiting must find the door);
only the postcode district stays in the clear, as the case's area, which routes it to a patch. The
sealed columns go with the case (casework.privacy.removal empties or deletes every sealed column it finds).
The answers are kept as chosen ("not sure" is not "not asked") and shown in the reporter's words
(ANSWER_WORDS). When the case is closed and the reporter asked, they get a note that it was
followed up, and nothing about the person or what was done (casework/texts.yml: report_closed_*).
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.alert_settings import alert_settings
from casework.cases.connectors import postcode_district
from casework.cases.models import Case, Report
from casework.cases.opening import CaseOpened, CaseworkError, Reason, open_case
from casework.cases.triage import REPORT_FLAG
from casework.conversation.inbound import BodyVault
from casework.models import Flag, Resident, as_utc, utcnow
from casework.outbox.messages import enqueue_email, enqueue_sms
from casework.residents.identity import InvalidPhoneNumber, PhoneVault, normalise_uk_number, sms_sender_id
from casework.texts import render
from directory.geocoding import normalise_postcode
from service.settings import Settings

__all__ = [
    "REPORT_WHO",
    "REPORT_WHERE",
    "REPORT_WORRY",
    "URGENCY_PRIORITY",
    "RELATIONSHIPS",
    "PERSON_KNOWS_ANSWERS",
    "ANSWER_WORDS",
    "ReportDetails",
    "PickUpBy",
    "open_report",
    "check_reporter_contact",
    "pick_up_by",
    "notify_reporters",
]

log = logging.getLogger(__name__)

# The report form's slots whose answers describe the person reported (bot/domain/structure_report.yml).
# Named here so that actions.slots (which fills them) and jobs.subject_access (which leaves them out of
# a requester's copy) read one spelling.
REPORT_WHO = "report_who"
REPORT_WHERE = "report_where"
REPORT_WORRY = "report_worry"
# What the reporter is asked ("Is someone in danger now? / today / in the next few days") -> priority.
URGENCY_PRIORITY = {"now": "urgent", "today": "high", "soon": "routine"}
RELATIONSHIPS = ("neighbour", "family", "friend", "shop_worker", "volunteer", "professional", "other")
PERSON_KNOWS_ANSWERS = {"yes": True, "no": False, "not_sure": None}
# The answers in the words the reporter chose them in (the /report form's labels; the chat's buttons
# differ only in "Right now"), so the case shows "This week" and "Not sure", not "soon" and "not said".
# The form shows these very words (web/report.py), so the two cannot drift apart.
ANSWER_WORDS = {
    "urgency": {"now": "Now: they may be in danger", "today": "Today", "soon": "This week"},
    "person_knows": {"yes": "Yes", "no": "No", "not_sure": "Not sure"},
}
TEXT_LENGTH = 2000
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NOT_PHONE = re.compile(r"[^\d\s+().-]")


@dataclass(frozen=True)
class ReportDetails:
    relationship: str  # one of RELATIONSHIPS
    who: str  # first name or a description ("the man at number 12")
    worry: str  # what worries them
    urgency: str  # now | today | soon
    street: str | None = None  # the street or address, as the reporter wrote it
    postcode: str | None = None  # a full postcode or a district
    person_knows: bool | None = None
    # yes | no | not_sure, as the reporter answered; when not given, read from person_knows (whose None
    # is then "not asked", not "not sure").
    person_knows_answer: str | None = None
    reporter_contact: str | None = None  # a phone number or an email address
    notify_on_close: bool = False
    channel: str = "web_form"  # web_form | sms | webchat
    message_id: str | None = None
    # An SMS reporter who asked to be told: their number is copied from their resident record (it stays
    # sealed on its way), so the bot never handles it. Ignored when reporter_contact is given.
    reporter_sender_id: str | None = None


@dataclass(frozen=True)
class PickUpBy:
    """When a connector must have picked a report up (its alert's acknowledgement deadline), in local time."""

    at: datetime  # aware, in the working time zone
    time: str  # "3:45pm"
    day: str  # "Monday 7 December"
    today: bool


def _contact_kind(contact: str) -> str:
    if "@" in contact:
        return "email"
    normalise_uk_number(contact)  # raises InvalidPhoneNumber
    return "sms"


def check_reporter_contact(contact: str) -> str:
    """"sms" or "email" for a contact a reporter typed; CaseworkError if it is neither a number nor an address."""
    text = (contact or "").strip()
    if "@" in text:
        if not _EMAIL.match(text) or len(text) > 254:
            raise CaseworkError("that is not an email address")
        return "email"
    # normalise_uk_number keeps the digits of anything; a contact a connector will read must be just a number.
    if _NOT_PHONE.search(text):
        raise CaseworkError("that is not a phone number")
    try:
        normalise_uk_number(text)
    except InvalidPhoneNumber:
        raise CaseworkError("that is not a phone number") from None
    return "sms"


def _sealed_number_of(session: Session, sender_id: str, settings: Settings, vault: BodyVault) -> str | None:
    """The SMS sender's number, moved from the phone vault to the report's (never leaves casework in the clear)."""
    sealed = session.scalars(select(Resident.phone_encrypted).where(Resident.sender_id == sender_id)).first()
    if not sealed:
        return None
    return vault.seal(PhoneVault.for_settings(settings).open(sealed))


def _person_knows_answer(report: ReportDetails) -> str | None:
    """yes | no | not_sure as the reporter answered, or None when they were not asked."""
    if report.person_knows_answer is not None:
        if report.person_knows_answer not in PERSON_KNOWS_ANSWERS:
            raise CaseworkError(f"whether the person knows must be one of {', '.join(PERSON_KNOWS_ANSWERS)}")
        return report.person_knows_answer
    if report.person_knows is None:
        return None
    return "yes" if report.person_knows else "no"


def _full_postcode(postcode: str | None) -> str | None:
    """"CH41 8AB" for a full postcode; None for a district alone (the report's `area` already says it)."""
    normal = normalise_postcode(postcode or "")
    return normal if normal and " " in normal else None


def open_report(session: Session, *, report: ReportDetails, settings: Settings, actor: str = "intake",
                now: datetime | None = None) -> CaseOpened:
    """Record the report and open its case (alerting at once); the reply to the reporter quotes the reference."""
    now = as_utc(now) or utcnow()
    if report.urgency not in URGENCY_PRIORITY:
        raise CaseworkError(f"urgency must be one of {', '.join(URGENCY_PRIORITY)}")
    relationship = report.relationship if report.relationship in RELATIONSHIPS else "other"
    knows = _person_knows_answer(report)
    who, worry = report.who.strip(), report.worry.strip()
    if not who or not worry:
        raise CaseworkError("a report needs who it is about and what worries the reporter")
    contact = (report.reporter_contact or "").strip() or None
    if contact:
        try:
            _contact_kind(contact)
        except InvalidPhoneNumber:
            raise CaseworkError("the reporter's contact must be a phone number or an email address") from None
    vault = BodyVault.for_settings(settings)
    sealed_contact = vault.seal(contact) if contact else None
    if sealed_contact is None and report.reporter_sender_id:
        sealed_contact = _sealed_number_of(session, report.reporter_sender_id, settings, vault)
    if report.notify_on_close and not sealed_contact:
        raise CaseworkError("to be told when the case is closed the reporter must leave a contact")
    priority = URGENCY_PRIORITY[report.urgency]
    postcode = _full_postcode(report.postcode)
    opened = open_case(
        session,
        subject=who[:TEXT_LENGTH],
        area=report.postcode,
        priority=priority,
        reasons=[Reason(category="report", rule=f"report:{relationship}:{report.urgency}", message_id=report.message_id,
                        excerpt=worry)],
        # Acting on a report about someone at risk now protects their vital interests; otherwise it is
        # the council's public task (the person has not consented, and may not know).
        lawful_basis="vital_interests" if priority == "urgent" else "public_task",
        settings=settings,
        source="report",
        actor=actor,
        now=now,
    )
    case_id = session.scalars(select(Case.id).where(Case.reference == opened.reference)).one()
    session.add(Report(
        case_id=case_id,
        channel=report.channel[:16],
        reporter_relationship=relationship,
        reporter_contact_encrypted=sealed_contact,
        who_encrypted=vault.seal(who[:TEXT_LENGTH]),
        street_encrypted=vault.seal(report.street.strip()[:TEXT_LENGTH]) if report.street and report.street.strip() else None,
        # The full postcode is sealed with the street: the door to knock on is as private as who lives behind
        # it. The district stays in the clear (the case's area, for routing and the counts by area).
        postcode_encrypted=vault.seal(postcode) if postcode else None,
        area=postcode_district(report.postcode),
        worry_encrypted=vault.seal(worry[:TEXT_LENGTH]),
        urgency=report.urgency,
        person_knows=PERSON_KNOWS_ANSWERS[knows] if knows else None,
        person_knows_answer=knows,
        notify_on_close=bool(report.notify_on_close and sealed_contact),
        created_at=now,
    ))
    audit.record(session, actor=actor, action="report_recorded", case_reference=opened.reference, at=now,
                 detail=f"by a {relationship} via {report.channel}; urgency {report.urgency}; "
                        f"person knows: {knows or 'not asked'}; notify on close: {report.notify_on_close}")
    if report.reporter_sender_id:
        # This report is done: the reporter's next worry about someone starts a new one, with its opening.
        session.execute(update(Flag).where(Flag.sender_id == report.reporter_sender_id, Flag.reason == REPORT_FLAG, Flag.state == "open")
                        .values(state="answered").execution_options(synchronize_session=False))
    session.flush()
    return opened


def pick_up_by(opened: CaseOpened, settings: Settings, *, now: datetime | None = None) -> PickUpBy | None:
    """When the connector just alerted must pick the report up (else it goes to the next one); None when
    nobody was alerted, so a reply makes no promise (a routine report may wait for working hours)."""
    due = opened.acknowledge_by if opened.alerts_queued else None
    if due is None:
        return None
    zone = alert_settings(settings).working_hours.zone
    local, today = due.astimezone(zone), (as_utc(now) or utcnow()).astimezone(zone).date()
    hour = local.hour % 12 or 12
    return PickUpBy(at=local, time=f"{hour}:{local.minute:02d}{'am' if local.hour < 12 else 'pm'}",
                    day=f"{local:%A} {local.day} {local:%B}", today=local.date() == today)


def _reporter_sender_id(session: Session, number: str, settings: Settings) -> str:
    """The reporter as an SMS contact (the outbox texts residents by sender id and honours their STOP)."""
    sender_id = sms_sender_id(number, key=settings.phone_hash_key)
    resident = session.scalars(select(Resident).where(Resident.sender_id == sender_id)).first()
    if resident is None:
        session.add(Resident(sender_id=sender_id, channel="sms", opted_out=False,
                             phone_encrypted=PhoneVault.for_settings(settings).seal(number)))
        session.flush()
    elif not resident.phone_encrypted:
        resident.phone_encrypted = PhoneVault.for_settings(settings).seal(number)
    return sender_id


def notify_reporters(session: Session, *, case: Case, settings: Settings, now: datetime) -> int:
    """Tell each reporter of this (closed) case who asked; returns how many messages were queued."""
    vault = BodyVault.for_settings(settings)
    queued = 0
    for report in session.scalars(select(Report).where(Report.case_id == case.id, Report.notify_on_close.is_(True),
                                                        Report.reporter_notified_at.is_(None))):
        if not report.reporter_contact_encrypted:
            continue
        contact = vault.open(report.reporter_contact_encrypted)
        if _contact_kind(contact) == "email":
            enqueue_email(session, to_address=contact, subject=render("report_closed_email_subject", reference=case.reference),
                          body=render("report_closed_email_body", reference=case.reference), purpose="report_closed")
            channel = "email"
        else:
            number = normalise_uk_number(contact)
            enqueue_sms(session, sender_id=_reporter_sender_id(session, number, settings),
                        body=render("report_closed_sms", reference=case.reference), purpose="report_closed",
                        settings=settings)
            channel = "sms"
        report.reporter_notified_at = now
        queued += 1
        audit.record(session, actor="system", action="reporter_notified", case_reference=case.reference, at=now,
                     detail=f"by {channel}")
    return queued
