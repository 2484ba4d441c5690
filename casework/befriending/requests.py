"""A resident who would like company says so in their own words, and a connector sees it as a request.

The bot already hands "TALK" and "can someone ring me" to casework as a request for a person
(casework.cases.triage.request_a_person: a routine case, so a connector rings them). A wish for *regular*
company ("could someone ring me for a chat now and then", "id love a befriender", "someone to visit
me once a week") is that same request and more: `request_company` opens (or adds to) the same case and
records beside it a befriending request (BF-12345) with what they named (interests, when they are
free, a call or a visit), which the console shows with suggested volunteers. A search for befriending
groups ("any befriending near heswall") is not a request: it names no wish for someone to come to them.

Runs in the intake's transaction; plain values out.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import InvalidToken
from sqlalchemy import select
from sqlalchemy.orm import Session

from casework.befriending.free_times import times_said
from casework.befriending.tables import BefriendingRequest
from casework.cases import audit
from casework.cases.models import Case
from casework.cases.opening import CaseworkError
from casework.cases.triage import Triage, request_a_person
from casework.conversation.inbound import BodyVault
from casework.conversation.said import Line, Written, case_lines
from casework.models import as_utc, utcnow
from casework.texts import render
from directory.interests import concepts_in
from service.settings import Settings

__all__ = ["PREFIX", "UnknownRequest", "CompanyRequested", "RequestDetails", "asks_for_company", "wants_of", "request_company",
           "request_details", "note_request", "normalise_reference", "first_name_of", "said_to_them"]

PREFIX = "BF"
# Interests that say only that they want company, which every request shares: nothing to match on.
_NOT_AN_INTEREST = {"befriending", "social", "volunteering"}

_SOMEONE = r"(some\s?one|some\s?body|a\s+volunteer|a\s+(good\s+)?neighbour|a\s+befriender|a\s+friend|any\s?one|a\s+person)"
_COMES = r"(call|ring|phone|visit|talk\s+to|chat\s+(to|with)|come\s+(round|over|and\s+see)|pop\s+(round|in)|keep\s+(me\s+)?company|check\s+in\s+on)"
_REGULAR = (r"(for\s+a\s+(chat|natter|cuppa|brew|bit\s+of\s+company|catch\s?up)|now\s+and\s+(then|again)|every\s+(week|day|few\s+days|so\s+often|now)|"
            r"each\s+week|once\s+a\s+(week|fortnight|month)|twice\s+a\s+week|regular(ly)?|sometimes|weekly|from\s+time\s+to\s+time|"
            r"for\s+company|to\s+keep\s+me\s+company)")
_COMPANY = re.compile(
    # "id love a befriender", "can i have a befriender", "is there a befriending service that could ring me"
    r"\b(i\s*(would|d|'d)\s*(like|love)|i\s+(want|need)|can\s+i\s+(have|get)|could\s+i\s+(have|get)|looking\s+for)\s+(a\s+)?"
    r"(befriender|befriending|telephone\s+befriend\w*|phone\s+befriend\w*|volunteer\s+to\s+" + _COMES + r"|some\s+company|company)\b"
    # "could someone ring me for a chat now and then", "would a volunteer visit me once a week"
    r"|\b(can|could|would|will)\s+" + _SOMEONE + r"\s+(please\s+)?" + _COMES + r"\s+(me|us)\b.{0,40}?\b" + _REGULAR +
    # "i would like someone to ring me for a chat", "id love someone to talk to every week", "someone to visit me regularly"
    r"|\b" + _SOMEONE + r"\s+(to|who\s+(could|would|can|will))\s+" + _COMES + r"(\s+(me|us))?\b.{0,40}?\b" + _REGULAR +
    r"|\b(like|love|want|need)\s+" + _SOMEONE + r"\s+to\s+(talk|chat)\s+to\b"
    # "i would like a regular phone call", "id love a weekly visit"
    r"|\b(like|love|want|need)\s+(a\s+)?(regular|weekly|friendly)\s+(phone\s+)?(call|chat|visit|visitor|natter)",
    re.IGNORECASE,
)
_VISIT = re.compile(r"\b(visit\w*|come\s+(round|over|and\s+see)|pop\s+(round|in)|in\s+person|at\s+home|cuppa|brew)\b", re.IGNORECASE)
_CALL = re.compile(r"\b(call|calls|ring|phone|telephone|on\s+the\s+phone)\b", re.IGNORECASE)


class UnknownRequest(CaseworkError):
    """No befriending request with that reference (or, in the console, none this connector may see)."""


def asks_for_company(text: str) -> bool:
    """A wish for regular company in the writer's own words (see the module docstring)."""
    return bool(_COMPANY.search(text or ""))


def wants_of(text: str) -> str:
    """call | visit | either, as far as their words say."""
    visit, call = bool(_VISIT.search(text or "")), bool(_CALL.search(text or ""))
    return "visit" if visit and not call else "call" if call and not visit else "either"


def normalise_reference(reference: str) -> str:
    return " ".join(reference.split()).upper()[:16]


@dataclass(frozen=True)
class CompanyRequested:
    reference: str
    triage: Triage  # the case a request for a person opens: its reference, and whether a connector was told
    wants: str


def _new_reference(session: Session) -> str:
    while True:
        reference = f"{PREFIX}-{secrets.randbelow(90000) + 10000}"
        if session.scalars(select(BefriendingRequest.id).where(BefriendingRequest.reference == reference)).first() is None:
            return reference


def _interests(text: str) -> str | None:
    named = sorted(concepts_in(text) - _NOT_AN_INTEREST)
    return ", ".join(named) or None


def request_company(session: Session, *, sender_id: str, channel: str, message_id: str, text: str, settings: Settings,
                    now: datetime | None = None) -> CompanyRequested:
    """The resident's request for company: the case a request for a person opens (or their open one), and a
    befriending request beside it. A resident with a request still open adds to it rather than making another."""
    now = now or utcnow()
    triage = request_a_person(session, sender_id=sender_id, channel=channel, message_id=message_id, text=text, settings=settings)
    case_id = session.scalars(select(Case.id).where(Case.reference == triage.reference)).first() if triage.reference else None
    vault = BodyVault.for_settings(settings)
    interests, times, wants = _interests(text), times_said(text), wants_of(text)
    request = session.scalars(select(BefriendingRequest).where(BefriendingRequest.sender_id == sender_id,
                                                               BefriendingRequest.state == "open")).first()
    if request is None:
        request = BefriendingRequest(reference=_new_reference(session), sender_id=sender_id, case_id=case_id, channel=channel,
                                     wants=wants, message_id=message_id, state="open", created_at=now)
        session.add(request)
        action = "befriending_requested"
    else:
        request.case_id = request.case_id or case_id
        request.wants = wants if request.wants == "either" else request.wants
        action = "befriending_request_added_to"
    # What they said now is kept beside what they said before (a connector tidies it on the request's page).
    if interests:
        request.interests_encrypted = vault.seal(_joined(vault.open_or_none(request.interests_encrypted), interests))
    if times:
        request.free_times_encrypted = vault.seal(_joined(vault.open_or_none(request.free_times_encrypted), times))
    request.updated_at = now
    session.flush()
    audit.record(session, actor="intake", action=action, case_reference=request.reference, at=now,
                 detail=f"{request.reference}: a {wants}" + (f"; case {triage.reference}" if triage.reference else ""))
    return CompanyRequested(request.reference, triage, request.wants)


def said_to_them(requested: CompanyRequested) -> list[Line]:
    """The answer: the case's line (a connector will call only when one was told: casework.conversation.said's promise
    rule), then that a volunteer will be looked for, which is what the request's page is for."""
    return [*case_lines(requested.triage, told="utter_person_requested"), Written(render("befriending_requested"))]


def _joined(before: str | None, now: str) -> str:
    return now if not before or now in before else f"{before}; {now}"[:200]


@dataclass(frozen=True)
class RequestDetails:
    reference: str
    state: str
    sender_id: str
    channel: str
    wants: str
    first_name: str  # as a connector noted it ("" when not yet)
    interests: str
    free_times: str
    area: str | None  # the case's postcode district
    case_reference: str | None
    created_at: datetime


def _opened(vault: BodyVault, token: str | None) -> str:
    if not token:
        return ""
    try:
        return vault.open(token)
    except InvalidToken:
        return "[sealed under a key no longer configured]"


def request_details(session: Session, *, reference: str, settings: Settings) -> RequestDetails | None:
    found = session.execute(select(BefriendingRequest, Case.area, Case.reference).outerjoin(Case, Case.id == BefriendingRequest.case_id)
                            .where(BefriendingRequest.reference == normalise_reference(reference))).first()
    if found is None:
        return None
    request, area, case_reference = found
    vault = BodyVault.for_settings(settings)
    return RequestDetails(request.reference, request.state, request.sender_id, request.channel, request.wants,
                          _opened(vault, request.first_name_encrypted), _opened(vault, request.interests_encrypted),
                          _opened(vault, request.free_times_encrypted), area, case_reference,
                          as_utc(request.created_at) or request.created_at)


def first_name_of(request: BefriendingRequest, settings: Settings) -> str | None:
    """The resident's first name as a connector noted it, for the volunteer to read; None when not noted."""
    name = BodyVault.for_settings(settings).open_or_none(request.first_name_encrypted)
    words = (name or "").split()
    return words[0] if words else None


def note_request(session: Session, *, reference: str, actor: str, settings: Settings, first_name: str, interests: str, free_times: str,
                 wants: str, now: datetime | None = None) -> None:
    """What a connector noted when they rang them: the first name the volunteer will see, interests, when
    free, and a call or a visit. Audited (without the words)."""
    request = session.scalars(select(BefriendingRequest).where(BefriendingRequest.reference == normalise_reference(reference))).first()
    if request is None:
        raise UnknownRequest(reference)
    vault = BodyVault.for_settings(settings)
    request.first_name_encrypted = vault.seal(first_name.strip()[:40]) if first_name.strip() else None
    request.interests_encrypted = vault.seal(interests.strip()[:200]) if interests.strip() else None
    request.free_times_encrypted = vault.seal(free_times.strip()[:200]) if free_times.strip() else None
    if wants in ("call", "visit", "either"):
        request.wants = wants
    request.updated_at = now or utcnow()
    audit.record(session, actor=actor, action="befriending_request_noted", case_reference=request.reference, at=request.updated_at,
                 detail="their name, interests, free times or what they would like")
