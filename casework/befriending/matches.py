"""A befriending match, from a connector's proposal to live, and its end.

1. `propose` (the console's button, or `python -m casework matches propose`): a request and a ready
   volunteer offering what it asks for. Both are asked by text, each through the outbox in texting
   hours (CHECK_IN_HOURS, as volunteers' training), "Reply 1 for yes or 2 for no": the resident from
   the service's usual number (a web-chat resident at the number they left), the volunteer likewise.
   Nothing is proposed to a number that texted STOP, or to someone with no number to text.
2. `answer_match` (the intake, through casework.conversation.questions, exactly as a training answer): each side's
   first reply that reads as yes or no, after the question went out, is their answer. A no declines
   the match (the connector is told); a yes waits for the other side.
3. Both yes: the match takes a free befriending number (casework.befriending.numbers) and is *live*:
   each side gets a first text *from that number*, so replying to it reaches the relay, and the
   connector is told. With no number free it is *agreed* and waits (the connector is told; the
   console's "Give it a number" tries again). Going live schedules both sides' check-ins, two weeks on
   (casework.befriending.check_ins).
4. `end_match`: END to the match's number (casework.befriending.relay), or a connector in the console.

The connector told is the one who proposed it; for a proposal from the command line, whoever owns or
took the request's case, else the connector told about the volunteer. Runs in the caller's
transaction; plain values out.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from casework.befriending.check_in_schedule import schedule_first
from casework.befriending.numbers import free_number
from casework.befriending.requests import UnknownRequest, first_name_of, normalise_reference
from casework.befriending.suggestions import ROLES_FOR
from casework.befriending.tables import BefriendingMatch, BefriendingMatchText, BefriendingRequest, BefriendingText
from casework.cases import audit
from casework.cases.alert_settings import alert_settings
from casework.cases.models import Case, Connector, Volunteer
from casework.cases.opening import CaseworkError
from casework.conversation.inbound import BodyVault
from casework.follow_ups.check_ins import check_in_hours
from casework.good_neighbours.texting import phone_in, sender_for_number, texting_sender
from casework.good_neighbours.training import first_name, offered_since
from casework.good_neighbours.volunteers import UnknownVolunteer, find_by_phone
from casework.good_neighbours.volunteers import normalise_reference as normalise_volunteer_reference
from casework.loneliness.measures import measure_loneliness
from casework.models import Resident, as_utc, utcnow
from casework.outbox.messages import enqueue_connector_sms, enqueue_sms
from casework.residents.identity import sms_sender_ids
from casework.residents.records import is_opted_out
from casework.texts import render
from service.settings import Settings
from service.text import yes_or_no

__all__ = ["PREFIX", "WrongMatch", "MatchProposed", "MatchReply", "MatchSummary", "propose", "propose_by_phone", "answer_match",
           "give_number", "end_match", "find_live", "matches_of", "console_link", "names", "tell_connector"]

PREFIX = "BM"
_ASKED_OR_LIVE = ("proposed", "agreed", "live")


class WrongMatch(CaseworkError):
    """A match that cannot be proposed, or a step it is not at; the message says why."""


def console_link(settings: Settings, reference: str) -> str:
    return f"{settings.public_base_url}/console/befriending/{reference}"


@dataclass(frozen=True)
class MatchProposed:
    reference: str
    request: str
    volunteer: str
    asks_at: datetime  # when the two questions go (texting hours)


def _new_reference(session: Session) -> str:
    while True:
        reference = f"{PREFIX}-{secrets.randbelow(90000) + 10000}"
        if session.scalars(select(BefriendingMatch.id).where(BefriendingMatch.reference == reference)).first() is None:
            return reference


def _resident_sender(session: Session, request: BefriendingRequest, settings: Settings) -> str | None:
    """Whom to text the resident as: their SMS conversation, or the number a web-chat resident left on their case."""
    if request.sender_id.startswith("sms:"):
        has_number = session.scalars(select(Resident.phone_encrypted).where(Resident.sender_id == request.sender_id)).first()
        return request.sender_id if has_number else None
    contact = session.scalars(select(Case.contact_encrypted).where(Case.id == request.case_id)).first() if request.case_id else None
    number = phone_in(BodyVault.for_settings(settings).open_or_none(contact))
    return sender_for_number(session, number, settings) if number else None


def names(session: Session, match: BefriendingMatch, settings: Settings, *, unnamed: str = "match_someone") -> tuple[str, str]:
    """(the resident's first name, the volunteer's), as each other reads them: a resident whose name no
    connector noted yet is `unnamed`'s words (casework/texts.yml: "them"), never their number."""
    request = session.get(BefriendingRequest, match.request_id)
    volunteer = session.get(Volunteer, match.volunteer_id)
    resident = (first_name_of(request, settings) if request else None) or render(unnamed)
    helper = first_name(BodyVault.for_settings(settings).open_or_none(volunteer.name_encrypted) or "") if volunteer else render("match_someone")
    return resident, helper


def _shared(words: str) -> dict[str, str]:
    return {"shared": render("match_shared", interests=words) if words else ""}


def propose(session: Session, *, request_reference: str, volunteer_reference: str, actor: str, settings: Settings,
            connector_id: int | None = None, shared_interests: str = "", now: datetime | None = None) -> MatchProposed:
    """Propose this volunteer for this request: both asked 1/2 by text (see the module docstring)."""
    now = as_utc(now) or utcnow()
    request = session.scalars(select(BefriendingRequest).where(BefriendingRequest.reference == normalise_reference(request_reference))).first()
    if request is None:
        raise UnknownRequest(request_reference)
    volunteer = session.scalars(select(Volunteer).where(Volunteer.reference == normalise_volunteer_reference(volunteer_reference))).first()
    if volunteer is None:
        raise UnknownVolunteer(volunteer_reference)
    if request.state != "open":
        raise WrongMatch(f"request {request.reference} is {request.state}, not waiting for a match")
    if volunteer.state != "ready":
        raise WrongMatch(f"volunteer {volunteer.reference} is not ready (trained and approved): they are {volunteer.state.replace('_', ' ')}")
    offers = [role for role in ROLES_FOR.get(request.wants, ROLES_FOR["either"]) if role in volunteer.roles.split(",")]
    if not offers:
        raise WrongMatch(f"volunteer {volunteer.reference} does not offer what the request asks for (a {request.wants})")
    waiting = session.scalars(select(BefriendingMatch.reference).where(BefriendingMatch.request_id == request.id,
                                                                      BefriendingMatch.volunteer_id == volunteer.id,
                                                                      BefriendingMatch.state.in_(_ASKED_OR_LIVE))).first()
    if waiting is not None:
        raise WrongMatch(f"they are already matched or asked: {waiting}")
    resident_sender = _resident_sender(session, request, settings)
    volunteer_sender = texting_sender(session, volunteer, settings)
    if resident_sender is None or volunteer_sender is None:
        who = "the resident" if resident_sender is None else "the volunteer"
        raise WrongMatch(f"there is no number to text {who}: ring them instead, and note a number on the case for a web-chat resident")
    if resident_sender == volunteer_sender:
        raise WrongMatch("the resident and the volunteer are the same person")
    if is_opted_out(session, resident_sender) or is_opted_out(session, volunteer_sender):
        raise WrongMatch("one of them has texted STOP, so nothing can be sent: ring them instead")
    texting = check_in_hours(settings).texting
    asks_at = texting.next_open(now)
    valid_for = (texting.open_until(asks_at) or asks_at) - asks_at
    match = BefriendingMatch(reference=_new_reference(session), request_id=request.id, volunteer_id=volunteer.id,
                             resident_sender_id=resident_sender, volunteer_sender_id=volunteer_sender, state="proposed", asked_at=asks_at,
                             proposed_by=actor, connector_id=connector_id, created_at=now)
    session.add(match)
    session.flush()
    resident, helper = names(session, match, settings)
    how = "visit" if offers == ["visits"] else "call"
    area = render("match_area", area=volunteer.area_label) if volunteer.area_label else ""
    asked = (
        enqueue_sms(session, sender_id=resident_sender, purpose="befriending", settings=settings, not_before=asks_at, valid_for=valid_for,
                    body=render(f"match_ask_resident_{how}", volunteer=helper, area=area, **_shared(shared_interests))),
        enqueue_sms(session, sender_id=volunteer_sender, purpose="befriending", settings=settings, not_before=asks_at, valid_for=valid_for,
                    body=render(f"match_ask_volunteer_{how}", name=helper, resident=resident, **_shared(shared_interests))),
    )
    session.add_all(BefriendingMatchText(match_id=match.id, outbox_id=outbox_id, kind="asked", created_at=now) for outbox_id in asked)
    for reference in (request.reference, volunteer.reference, match.reference):
        audit.record(session, actor=actor, action="befriending_proposed", case_reference=reference, at=now,
                     detail=f"{match.reference}: {request.reference} with {volunteer.reference}, asked for {asks_at.isoformat(timespec='minutes')}")
    return MatchProposed(match.reference, request.reference, volunteer.reference, asks_at)


def propose_by_phone(session: Session, *, resident_phone: str, volunteer_phone: str, actor: str, settings: Settings,
                     now: datetime | None = None) -> MatchProposed:
    """The command line's proposal: the resident's open request found by the number they texted from (or left in
    web chat, on its case), the volunteer by theirs (casework.good_neighbours.volunteers.find_by_phone)."""
    ids = sms_sender_ids(resident_phone, settings)
    request = session.scalars(select(BefriendingRequest.reference).where(BefriendingRequest.sender_id.in_(ids), BefriendingRequest.state == "open")
                              .order_by(BefriendingRequest.created_at.desc())).first()
    if request is None:
        request = _web_request_left(session, resident_phone, settings)
    if request is None:
        raise UnknownRequest("no open befriending request from that number")
    volunteer = find_by_phone(session, volunteer_phone, settings)
    if volunteer is None:
        raise UnknownVolunteer("no volunteer signed up from that number, or left it to be reached on")
    return propose(session, request_reference=request, volunteer_reference=volunteer, actor=actor, settings=settings, now=now)


def _web_request_left(session: Session, phone: str, settings: Settings) -> str | None:
    """An open web-chat request whose case holds this number as how to reach them (sealed: opened and compared)."""
    vault = BodyVault.for_settings(settings)
    wanted = phone_in(phone)
    rows = session.execute(select(BefriendingRequest.reference, Case.contact_encrypted).join(Case, Case.id == BefriendingRequest.case_id)
                           .where(BefriendingRequest.state == "open", BefriendingRequest.channel == "webchat"))
    return next((reference for reference, sealed in rows if wanted and phone_in(vault.open_or_none(sealed)) == wanted), None)


def _connector_for(session: Session, match: BefriendingMatch) -> Connector | None:
    candidates = [match.connector_id]
    request = session.get(BefriendingRequest, match.request_id)
    if request is not None and request.case_id is not None:
        case = session.get(Case, request.case_id)
        if case is not None:
            candidates += [case.owner_id, case.acknowledged_by_id]
    volunteer = session.get(Volunteer, match.volunteer_id)
    candidates.append(volunteer.connector_id if volunteer else None)
    for connector_id in candidates:
        connector = session.get(Connector, connector_id) if connector_id else None
        if connector is not None and connector.active:
            return connector
    return None


def tell_connector(session: Session, match: BefriendingMatch, text: str, *, settings: Settings, now: datetime, priority: str = "routine",
                   **values: str) -> bool:
    """A text to the match's connector (see the module docstring) in working hours, or at once for `high`; False when there is nobody."""
    connector = _connector_for(session, match)
    if connector is None:
        return False
    enqueue_connector_sms(session, connector_id=connector.id, phone_encrypted=connector.mobile_encrypted, purpose="befriending",
                          body=render(text, reference=match.reference, console_url=console_link(settings, match.reference), **values),
                          not_before=alert_settings(settings).sends_at(priority, now))
    return True


@dataclass(frozen=True)
class MatchReply:
    outcome: str  # declined | waiting (the other side not yet) | live | agreed (no number free yet)
    reference: str
    text: str  # the reply, in casework/texts.yml's words


def _waiting_for(session: Session, sender_id: str) -> BefriendingMatch | None:
    return session.scalars(select(BefriendingMatch).where(
        BefriendingMatch.state == "proposed",
        or_(and_(BefriendingMatch.resident_sender_id == sender_id, BefriendingMatch.resident_answer.is_(None)),
            and_(BefriendingMatch.volunteer_sender_id == sender_id, BefriendingMatch.volunteer_answer.is_(None))),
    ).order_by(BefriendingMatch.created_at.desc()).limit(1)).first()


def answer_match(session: Session, *, sender_id: str, message_id: str, text: str, settings: Settings,
                 now: datetime | None = None) -> MatchReply | None:
    """The reply to one side's answer to "would you like that? 1 yes, 2 no", or None when this message is not one
    (no question waiting: one index look-up; not yet asked; not a yes or no; or a newer numbered question
    came after ours, as for training). `message_id` as for casework.good_neighbours.training.answer_training."""
    match = _waiting_for(session, sender_id)
    if match is None:
        return None
    now = as_utc(now) or utcnow()
    asked_at = as_utc(match.asked_at) or now
    said = yes_or_no(text)
    if asked_at > now or said is None or offered_since(session, sender_id, asked_at) or is_opted_out(session, sender_id):
        return None
    side = "resident" if match.resident_sender_id == sender_id and match.resident_answer is None else "volunteer"
    setattr(match, f"{side}_answer", said)
    audit.record(session, actor="intake", action=f"befriending_{side}_answered", case_reference=match.reference, at=now,
                 detail=f"{match.reference}: the {side} said {said} ({message_id[:40]})")
    resident, helper = names(session, match, settings)
    other = helper if side == "resident" else resident
    if said == "no":
        match.state = "declined"
        tell_connector(session, match, "match_declined_sms", settings=settings, now=now, side=side)
        return MatchReply("declined", match.reference, render("match_no"))
    if (match.volunteer_answer if side == "resident" else match.resident_answer) is None:
        return MatchReply("waiting", match.reference, render("match_yes_waiting", other=other))
    live = give_number(session, match, settings=settings, now=now)
    return MatchReply("live" if live else "agreed", match.reference,
                      render("match_live_reply", other=other) if live else render("match_agreed_no_number"))


def give_number(session: Session, match: BefriendingMatch, *, settings: Settings, now: datetime, actor: str = "intake") -> bool:
    """Both said yes: a free befriending number makes it live (a first text to each from that number, the connector
    told); with none free it is `agreed` (the connector told once). Whether it went live."""
    number = free_number(session, resident_sender_id=match.resident_sender_id, volunteer_sender_id=match.volunteer_sender_id,
                         settings=settings)
    if number is None:
        if match.state != "agreed":
            match.state = "agreed"
            tell_connector(session, match, "match_no_number_sms", settings=settings, now=now)
        audit.record(session, actor=actor, action="befriending_agreed", case_reference=match.reference, at=now,
                     detail=f"{match.reference}: both said yes; no befriending number free")
        return False
    match.state, match.number, match.live_at = "live", number, now
    request = session.get(BefriendingRequest, match.request_id)
    if request is not None:
        request.state, request.updated_at = "matched", now
    # Support whose effect on loneliness is measured: the questions now, and again in about eight weeks.
    case = session.get(Case, request.case_id) if request is not None and request.case_id is not None else None
    measure_loneliness(session, sender_id=match.resident_sender_id, support="befriending", area=case.area if case is not None else None, now=now)
    resident, helper = names(session, match, settings)
    texting = check_in_hours(settings).texting
    sends_at = texting.next_open(now + timedelta(seconds=15))  # after the reply to this answer
    valid_for = (texting.open_until(sends_at) or sends_at) - sends_at
    for sender_id, other in ((match.resident_sender_id, helper), (match.volunteer_sender_id, resident)):
        intro = enqueue_sms(session, sender_id=sender_id, purpose="befriending", settings=settings, not_before=sends_at, valid_for=valid_for,
                            from_number=number, body=render("match_live_intro", other=other))
        session.add(BefriendingMatchText(match_id=match.id, outbox_id=intro, kind="live", created_at=now))
    tell_connector(session, match, "match_live_sms", settings=settings, now=now)
    schedule_first(session, match, live_at=now)  # "how is it going?" to each, two weeks on (casework.befriending.check_ins)
    audit.record(session, actor=actor, action="befriending_live", case_reference=match.reference, at=now,
                 detail=f"{match.reference}: both said yes; texts go through a befriending number")
    return True


def end_match(session: Session, match: BefriendingMatch, *, by: str, settings: Settings, now: datetime, actor: str) -> None:
    """The match ends (`by`: resident | volunteer for END, or a connector's actor); the connector is told of an END."""
    if match.state in ("declined", "ended"):
        return
    match.state, match.ended_at, match.ended_by = "ended", now, by
    request = session.get(BefriendingRequest, match.request_id)
    if request is not None and request.state == "matched":
        request.state, request.updated_at = "open", now  # they may still like company: a connector decides
    if by in ("resident", "volunteer"):
        tell_connector(session, match, "match_ended_sms", settings=settings, now=now, side=by)
    audit.record(session, actor=actor, action="befriending_ended", case_reference=match.reference, at=now,
                 detail=f"{match.reference}: ended by the {by}" if by in ("resident", "volunteer") else f"{match.reference}: ended")


def find_live(session: Session, *, number: str, sender_id: str) -> tuple[BefriendingMatch, str] | None:
    """The live match this sender has on this befriending number, and their side; None when there is none."""
    for column, side in ((BefriendingMatch.resident_sender_id, "resident"), (BefriendingMatch.volunteer_sender_id, "volunteer")):
        match = session.scalars(select(BefriendingMatch).where(column == sender_id, BefriendingMatch.number == number,
                                                                BefriendingMatch.state == "live")).first()
        if match is not None:
            return match, side
    return None


@dataclass(frozen=True)
class MatchSummary:
    reference: str
    request: str
    volunteer: str
    state: str
    resident_answer: str | None
    volunteer_answer: str | None
    asked_at: datetime
    number_ending: str | None  # the befriending number's last 4 digits: enough to tell them apart, never a whole number on a page
    created_at: datetime
    live_at: datetime | None
    ended_at: datetime | None
    ended_by: str | None
    texts_relayed: int
    texts_held: int
    worries: tuple[str, ...]


def matches_of(session: Session, *, request_id: int | None = None, reference: str | None = None) -> list[MatchSummary]:
    """The matches of one request (newest first), or the one match with this reference."""
    query = select(BefriendingMatch, BefriendingRequest.reference, Volunteer.reference).join(
        BefriendingRequest, BefriendingRequest.id == BefriendingMatch.request_id).join(Volunteer, Volunteer.id == BefriendingMatch.volunteer_id)
    if request_id is not None:
        query = query.where(BefriendingMatch.request_id == request_id)
    if reference is not None:
        query = query.where(BefriendingMatch.reference == normalise_reference(reference))
    found = []
    for match, request, volunteer in session.execute(query.order_by(BefriendingMatch.created_at.desc(), BefriendingMatch.id.desc())):
        texts = list(session.execute(select(BefriendingText.outcome, BefriendingText.worry).where(BefriendingText.match_id == match.id)))
        found.append(MatchSummary(
            match.reference, request, volunteer, match.state, match.resident_answer, match.volunteer_answer,
            as_utc(match.asked_at) or match.asked_at, match.number[-4:] if match.number else None, as_utc(match.created_at) or match.created_at,
            as_utc(match.live_at), as_utc(match.ended_at), match.ended_by, sum(o == "relayed" for o, _ in texts),
            sum(o == "held" for o, _ in texts), tuple(w for _, w in texts if w)))
    return found
