"""What casework does with one resident's message, beyond the bot: the safety screen's decision, the
answer to the screen's "are you thinking about ending your life?", a request for a person, and how a
web-chat resident can be reached.

Runs inside the intake's transaction (the case, its reasons and its alerts are written together with
the message, or not at all). Plain values out; the channels turn them into the domain's responses.

The promise rule: a reply may say a connector will be in touch only when `Triage.alerted` is true,
which means an alert to a connector was queued in this transaction (or is already pending for the
resident's open case).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.models import Case
from casework.cases.opening import EXCERPT_LENGTH, CaseOpened, Reason, open_case, place_case
from casework.conversation.inbound import BodyVault
from casework.models import Flag, utcnow
from casework.privacy.consent import record_consent
from casework.residents.flags import raise_flag
from casework.safety.check_answer import interpret_check_answer
from casework.safety.decisions import Screening
from directory import district_of, locate, place_named
from service.settings import Settings

__all__ = [
    "Triage", "act_on_screening", "answer_to_check", "request_a_person", "asks_for_a_person", "take_contact", "report_in_progress",
    "take_area", "CHECK_FLAG", "CONTACT_FLAG", "REPORT_FLAG", "AREA_FLAG",
]

# Open flags that say what the resident's next message answers.
CHECK_FLAG = "despair_check"  # the screen asked "are you thinking about ending your life?"
CONTACT_FLAG = "contact_asked"  # a web-chat resident was asked how a connector can reach them
REPORT_FLAG = "report_started"  # the intake started the neighbour's report flow for this sender
AREA_FLAG = "area_asked"  # a resident whose case has no area was asked which town or postcode they are in
# How long after starting a report its questions are probably still being answered.
REPORT_IN_PROGRESS_FOR = timedelta(minutes=30)
# An answer long after the question is not an answer to it.
QUESTION_VALID_FOR = timedelta(hours=12)

LAWFUL_BASIS = {
    # Safeguarding someone whose life or health is at risk goes ahead without consent.
    "clear": "vital_interests",
    "possible": "vital_interests",
    # Protecting residents from scams and doorstep crime, and following up a report, is the council's task.
    "scam": "public_task",
    "report": "public_task",
    # A lonely resident and a request for a call are followed up because they said so.
    "loneliness": "consent",
    "request": "consent",
}

_ASKS_FOR_A_PERSON = re.compile(
    r"\b(can|could|would|will)\s+(some\s?one|some\s?body|a\s+(real\s+)?person|a\s+connector|you|u)\s+"
    r"(please\s+)?(call|ring|phone|visit|come\s+(round|over|and\s+see)|pop\s+round|talk\s+to|speak\s+to)\s+(me|us)\b"
    r"|\b(i\s+(want|would\s+like|need|d\s+like)\s+(to\s+)?(talk|speak)\s+to\s+(a\s+(real\s+)?person|some\s?one|a\s+human|a\s+connector))\b"
    r"|\b(please\s+)?(call|ring|phone)\s+me(\s+back)?(\s+please)?\s*[.!]*$"
    r"|^\s*(talk|speak)\s+to\s+(some\s?one|some\s?body|a\s+(real\s+)?person|a\s+human|a\s+connector)\b",
    re.IGNORECASE,
)
_PHONE = re.compile(r"(?:\+44\s?7|07)(?:[\s-]?\d){9}\b|(?:\+44\s?|0)(?:[\s-]?\d){9,10}\b")
_RING_BACK_TIME = re.compile(
    r"\b(morning|afternoon|evening|tomorrow|tmrw|today|tonight|any\s?time|after\s+\d|before\s+\d|\d{1,2}\s?(am|pm)|\d{1,2}[:.]\d{2}|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thurs?|fri|sat|sun)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Triage:
    """What happened: a case (its reference), whether a connector was alerted, what to ask next."""

    reference: str | None = None
    alerted: bool = False
    ask_for_contact: bool = False
    check_answer: str | None = None  # "yes" | "no" for the answer to the screen's question
    notes: list[str] = field(default_factory=list)
    ask_for_area: bool = False  # the case has no area: ask where they are, after the safety answer

    @classmethod
    def of(cls, opened: CaseOpened, *, ask_for_contact: bool = False, check_answer: str | None = None,
           ask_for_area: bool = False) -> Triage:
        return cls(opened.reference, opened.connector_alerted, ask_for_contact, check_answer, ask_for_area=ask_for_area)


def asks_for_a_person(text: str) -> bool:
    """ "can someone call me", "could you ring me", "i want to talk to a real person", "TALK" (the keyword)."""
    words = (text or "").strip()
    return words.upper().strip(" .!") == "TALK" or bool(_ASKS_FOR_A_PERSON.search(words))


def area_in(text: str) -> str | None:
    """The postcode district a message says its writer is in ("... on my own in birkenhead", "CH41 2PX"),
    read strictly (directory.place_named): a case opened from it alerts that patch's connectors."""
    place = place_named(text)
    return district_of(place) if place is not None else None


def _open(session: Session, *, sender_id: str, channel: str, priority: str, tier: str, reasons: list[Reason], settings: Settings,
          source: str, text: str = "") -> Triage:
    opened = open_case(session, sender_id=sender_id, priority=priority, reasons=reasons, lawful_basis=LAWFUL_BASIS[tier],
                       settings=settings, source=source, area=area_in(text))
    ask = channel == "webchat" and not _has_contact(session, opened.reference)
    if ask:
        raise_flag(session, sender_id=sender_id, reason=CONTACT_FLAG, source=source)
    # Where they are decides whose patch the case is; not known, they are asked (once, after the answer).
    ask_area = session.scalars(select(Case.area).where(Case.reference == opened.reference)).first() is None
    if ask_area and _pending(session, sender_id, AREA_FLAG) is None:
        raise_flag(session, sender_id=sender_id, reason=AREA_FLAG, source=source)
    else:
        ask_area = False
    return Triage.of(opened, ask_for_contact=ask, ask_for_area=ask_area)


def act_on_screening(session: Session, *, screening: Screening, sender_id: str, channel: str, message_id: str, text: str,
                     settings: Settings) -> Triage:
    """Open (or add to) a case when the screen says a person is needed; ask the question for possible risk.

    A report about someone else is not a case about the sender: the report flow collects the details
    and opens the case about that person (casework.cases.reports).
    """
    if not screening.flagged:
        return Triage()
    if screening.tier == "possible":
        raise_flag(session, sender_id=sender_id, reason=CHECK_FLAG, source="safety_screen", message_id=message_id)
        return Triage()
    if not screening.needs_person or screening.tier == "report" or not screening.priority:
        return Triage()
    reasons = [
        Reason(m.category, m.rule, message_id, text[:EXCERPT_LENGTH], *_layer(screening, m.rule)) for m in screening.matches
    ] or [Reason(screening.category or "", screening.rule or "", message_id, text[:EXCERPT_LENGTH], *_layer(screening, screening.rule or ""))]
    return _open(session, sender_id=sender_id, channel=channel, priority=screening.priority, tier=screening.tier or "clear",
                 reasons=reasons, settings=settings, source="safety_screen", text=text)


def _layer(screening: Screening, rule: str) -> tuple[str, float | None]:
    """The model's reason carries its layer and score; the rules' reasons beside it are the rules'."""
    return ("model", screening.score) if screening.layer == "model" and rule == screening.rule else ("rules", None)


def _pending(session: Session, sender_id: str, reason: str) -> Flag | None:
    return session.scalars(
        select(Flag).where(Flag.sender_id == sender_id, Flag.reason == reason, Flag.state == "open",
                           Flag.raised_at >= utcnow() - QUESTION_VALID_FOR).order_by(Flag.raised_at.desc())
    ).first()


def report_in_progress(session: Session, sender_id: str) -> bool:
    """The intake started a report for this sender recently: their next worried words are answers."""
    found = session.scalars(
        select(Flag.id).where(Flag.sender_id == sender_id, Flag.reason == REPORT_FLAG, Flag.state == "open",
                              Flag.raised_at >= utcnow() - REPORT_IN_PROGRESS_FOR)
    ).first()
    if found is None:
        _close(session, sender_id, REPORT_FLAG)  # an old one: the next worry starts a new report
    return found is not None


def _close(session: Session, sender_id: str, reason: str) -> None:
    session.execute(
        update(Flag).where(Flag.sender_id == sender_id, Flag.reason == reason, Flag.state == "open")
        .values(state="answered").execution_options(synchronize_session=False)
    )


def answer_to_check(session: Session, *, sender_id: str, channel: str, message_id: str, text: str, settings: Settings) -> Triage | None:
    """The resident's answer to "are you thinking about ending your life?", if this message is one.

    Yes (or unsure) opens a high-priority case at once; no is heard and the conversation goes on;
    anything else means they moved on, and the question is dropped (the screen still reads every message).
    """
    if _pending(session, sender_id, CHECK_FLAG) is None:
        return None
    answer = interpret_check_answer(text)
    _close(session, sender_id, CHECK_FLAG)
    if answer == "yes":
        reasons = [Reason("despair", "despair.confirmed_by_answer", message_id, text[:EXCERPT_LENGTH])]
        triage = _open(session, sender_id=sender_id, channel=channel, priority="high", tier="possible", reasons=reasons,
                       settings=settings, source="safety_check", text=text)
        return Triage(triage.reference, triage.alerted, triage.ask_for_contact, "yes", ask_for_area=triage.ask_for_area)
    if answer == "no":
        return Triage(check_answer="no")
    return None


def request_a_person(session: Session, *, sender_id: str, channel: str, message_id: str, text: str, settings: Settings) -> Triage:
    """ "TALK", "can someone ring me": a case, so a connector calls (SMS) or gets in touch as the resident says (web)."""
    reasons = [Reason("request", "request.call_or_visit", message_id, text[:EXCERPT_LENGTH])]
    # Asking for a person is asking us to pass their details to a connector.
    record_consent(session, sender_id=sender_id, purpose="sharing", granted=True, source="request")
    return _open(session, sender_id=sender_id, channel=channel, priority="routine", tier="request", reasons=reasons,
                 settings=settings, source="request", text=text)


def _has_contact(session: Session, reference: str) -> bool:
    return bool(session.scalars(select(Case.contact_encrypted).where(Case.reference == reference)).first())


def take_contact(session: Session, *, sender_id: str, text: str, settings: Settings) -> bool | None:
    """A web-chat resident's answer to "how can a connector reach you?": a phone number or a time to
    ring back, kept (sealed) on their open case. None when no such question is pending; False when the
    answer holds neither (the question is dropped, the conversation goes on)."""
    if _pending(session, sender_id, CONTACT_FLAG) is None:
        return None
    _close(session, sender_id, CONTACT_FLAG)
    if not (_PHONE.search(text) or _RING_BACK_TIME.search(text)):
        return False
    case = session.scalars(
        select(Case).where(Case.sender_id == sender_id, Case.state != "closed").order_by(Case.created_at.desc())
    ).first()
    if case is None:
        return False
    now = utcnow()
    case.contact_encrypted = BodyVault.for_settings(settings).seal(text.strip()[:200])
    case.updated_at = now
    audit.record(session, actor="intake", action="contact_added", case_reference=case.reference, at=now,
                 detail="how to reach the resident, given in the web chat")
    return True


def take_area(session: Session, *, sender_id: str, text: str, settings: Settings) -> str | None:
    """A resident's answer to "which town or postcode are you in?": their open case gets that district
    and the patch's connector is alerted (casework.cases.opening.place_case). The district, or None when no
    such question is pending or the answer names no place (the question is dropped, the conversation
    goes on: the screen still reads every message)."""
    if _pending(session, sender_id, AREA_FLAG) is None:
        return None
    _close(session, sender_id, AREA_FLAG)
    district = area_in(text) or _district_alone(text)
    case = session.scalars(
        select(Case).where(Case.sender_id == sender_id, Case.state != "closed").order_by(Case.created_at.desc())
    ).first()
    if district is None or case is None:
        return None
    return place_case(session, reference=case.reference, area=district, settings=settings)


def _district_alone(text: str) -> str | None:
    """An answer that is only a town ("Wallasey", "birkenhed"): said on its own, no "in" is needed."""
    place = locate(None, text) if len(text.split()) <= 4 else None
    return district_of(place) if place is not None else None
