"""A live match's check-ins: each side asked "how is it going?" two weeks after it went live, then monthly
(casework.befriending.check_in_schedule), and their answer: 1 going well, 2 not for me, 3 a problem.

1. `due_check_ins` / `claim` (the worker, jobs/match_check_ins.py): as the "did you go?" check-ins, only in
   texting hours (CHECK_IN_HOURS), never to an opted-out number (looked at again on later passes), never into a
   conversation in progress, never while another question of ours waits for their answer (theirs, or another
   check-in of theirs: a volunteer with two matches is asked about one at a time), and not at all if it could not
   go within a week of its day. Claiming is a compare-and-set on the row, so two passes (or two workers) never
   text one check-in twice, and it schedules the next one.
2. The text goes from the service's usual number, as the match's proposal did, never from the befriending number:
   a reply to the befriending number is passed on to the other side (casework.befriending.relay), a reply to the
   usual number reaches the intake, which asks casework.conversation.questions, which asks `answer_match_check_in`. The text says the
   answer comes to us. A bare answer ("3", "a problem") sent to the match's own number while its check-in waits is
   taken as the answer too, and not passed on (the relay's door asks casework.conversation.questions first).
3. `answer_match_check_in`: their reply, read as 1, 2 or 3 ("1", "its 2", "going well", "3 she keeps asking for money":
   the rest of their words are not kept), after the question went, within ANSWER_VALID_FOR, and not after a newer
   numbered question of ours or the bot's (then the number is that one's). "Not for me" tells the match's connector
   (working hours); "a problem" tells them at once. Anything else goes to the bot and the check-in still waits; past
   ANSWER_VALID_FOR it is *unanswered*, and never asked again (the next month's comes as usual).

Runs in the caller's transaction; plain values out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from casework.befriending.check_in_schedule import ANSWER_VALID_FOR, TOO_LATE_AFTER, schedule_next
from casework.befriending.matches import names, tell_connector
from casework.befriending.tables import BefriendingCheckIn, BefriendingMatch
from casework.cases import audit
from casework.follow_ups.check_ins import CONVERSATION_GAP, check_in_hours
from casework.good_neighbours.training import offered_since
from casework.loneliness.answers import WAITING as LONELINESS_WAITING
from casework.loneliness.asking import another_question_waits
from casework.loneliness.models import LonelinessScore
from casework.models import Resident, as_utc, utcnow
from casework.residents.records import is_opted_out
from casework.texts import render
from service.settings import Settings
from service.text import words_of

__all__ = ["ANSWER_WORDS", "DueCheckIn", "CheckInReply", "CheckInSummary", "due_check_ins", "claim", "close", "check_in_answer",
           "answer_match_check_in", "check_ins_of", "waiting_for"]

ANSWER_WORDS = {"well": "going well", "not_for_me": "not for them", "problem": "a problem"}  # for the audit trail and the console


@dataclass(frozen=True)
class DueCheckIn:
    check_in_id: int
    reference: str  # the match's
    sender_id: str
    text: str  # casework/texts.yml's match_check_in_first / match_check_in, filled in
    send_until: datetime  # the end of these texting hours: it never arrives at night


def _lapse_unanswered(session: Session, now: datetime) -> None:
    session.execute(update(BefriendingCheckIn).where(BefriendingCheckIn.state == "asked", BefriendingCheckIn.asked_at < now - ANSWER_VALID_FOR)
                    .values(state="unanswered").execution_options(synchronize_session=False))


def waiting_for(session: Session, sender_id: str, now: datetime) -> bool:
    """Whether a question of ours still waits for this person: the check-ins', training's, the screen's or a case's
    (casework.loneliness.asking), a loneliness question, or a proposed match's 1/2."""
    if another_question_waits(session, sender_id, now):
        return True
    lonely = select(LonelinessScore.id).where(LonelinessScore.sender_id == sender_id, LonelinessScore.state.in_(LONELINESS_WAITING))
    proposed = select(BefriendingMatch.id).where(BefriendingMatch.state == "proposed", (
        and_(BefriendingMatch.resident_sender_id == sender_id, BefriendingMatch.resident_answer.is_(None))
        | and_(BefriendingMatch.volunteer_sender_id == sender_id, BefriendingMatch.volunteer_answer.is_(None))))
    return any(session.scalars(query.limit(1)).first() is not None for query in (lonely, proposed))


def due_check_ins(session: Session, *, settings: Settings, now: datetime | None = None, limit: int = 50) -> list[DueCheckIn]:
    """Check-ins to text now (see the module docstring). Marks those past answering *unanswered*, and those that may
    no longer go *closed* (the match is not live) or *missed* (a week late), scheduling the next month's for a
    missed one. Outside texting hours: none, and nothing is read."""
    now = as_utc(now) or utcnow()
    until = check_in_hours(settings).texting.open_until(now)
    if until is None:
        return []
    _lapse_unanswered(session, now)
    rows = session.execute(select(BefriendingCheckIn, BefriendingMatch).join(BefriendingMatch, BefriendingMatch.id == BefriendingCheckIn.match_id)
                           .where(BefriendingCheckIn.state == "due", BefriendingCheckIn.due_at <= now)
                           .order_by(BefriendingCheckIn.due_at, BefriendingCheckIn.id).limit(limit)).all()
    due: list[DueCheckIn] = []
    busy: set[str] = set()
    for row, match in rows:
        due_at = as_utc(row.due_at) or now
        if match.state != "live":
            row.state = "closed"  # ended (or given up): no more check-ins
            continue
        resident = session.scalars(select(Resident).where(Resident.sender_id == row.sender_id)).first()
        if due_at < now - TOO_LATE_AFTER or resident is None or not resident.phone_encrypted:
            row.state = "missed"
            schedule_next(session, row, due_at=due_at, now=now)
            continue
        if resident.opted_out or row.sender_id in busy:
            continue  # nothing to an opted-out number (looked at again later, until too late); one at a time
        last_contact = as_utc(resident.last_contact_at)
        if last_contact is not None and last_contact > now - CONVERSATION_GAP:
            continue  # they are texting us now: their "1" would be read as an answer to something else
        if waiting_for(session, row.sender_id, now):
            continue
        busy.add(row.sender_id)
        resident_name, helper_name = names(session, match, settings, unnamed="match_check_in_unnamed")
        other = helper_name if row.side == "resident" else resident_name
        text = render("match_check_in_first" if row.round == 1 else "match_check_in", other=other)
        due.append(DueCheckIn(row.id, match.reference, row.sender_id, text, until))
    return due


def claim(session: Session, check_in_id: int, *, now: datetime) -> bool:
    """Mark the check-in asked, only if it is still due (False: another pass took it), and schedule the next."""
    claimed = session.execute(update(BefriendingCheckIn).where(BefriendingCheckIn.id == check_in_id, BefriendingCheckIn.state == "due")
                              .values(state="asked", asked_at=now).execution_options(synchronize_session=False)).rowcount
    if not claimed:
        return False
    row = session.get(BefriendingCheckIn, check_in_id)
    if row is not None:
        session.refresh(row)
        schedule_next(session, row, due_at=as_utc(row.due_at) or now, now=now)
    return True


def close(session: Session, check_in_id: int, *, outbox_id: int | None = None, state: str | None = None) -> None:
    """Note the text that asked (`outbox_id`), or end the check-in in `state` (it could not be queued: missed)."""
    row = session.get(BefriendingCheckIn, check_in_id)
    if row is None:
        return
    if outbox_id is not None:
        row.outbox_id = outbox_id
    if state is not None:
        row.state = state


_BEFORE = r"(its |it is |i would say |id say |i think |oh |well |so far |yes |definitely |just )*"
_AFTER = r"( so far| thanks| thank you| ta| x+| really| i think| i suppose| i am afraid| im afraid| sadly| to be honest| tbh)*"
_WORDS = (
    ("well", r"(1|one|going well|goes well|very well|well|good|very good|great|fine|lovely|brilliant|all good|all fine|ok|okay)"),
    ("not_for_me", r"(2|two|not for me|not really for me|not my thing|not for us|not really)"),
    ("problem", r"(3|three|a problem|problem|problems|theres a problem|there is a problem|a bit of a problem)"),
)
_BARE = tuple((answer, re.compile(f"^{_BEFORE}{words}{_AFTER}$")) for answer, words in _WORDS)
_LEADING = re.compile(r"^([123])\b")  # "3 she keeps asking me for money": the number first, then what they want to say


def check_in_answer(text: str, *, bare: bool = False) -> str | None:
    """"well", "not_for_me" or "problem" for a reply to the check-in, else None. `bare`: only a reply that is the
    answer and nothing else (a text to the match's own number, where anything longer is for the other side)."""
    words = words_of(text)
    if not words:
        return None
    found = next((answer for answer, pattern in _BARE if pattern.match(words)), None)
    if found is not None or bare:
        return found
    leading = _LEADING.match(words)
    return _WORDS[int(leading.group(1)) - 1][0] if leading else None


@dataclass(frozen=True)
class CheckInReply:
    answer: str  # well | not_for_me | problem
    reference: str  # the match's
    text: str  # the reply (casework/texts.yml's words)


def _asked(session: Session, sender_id: str, number: str | None) -> tuple[BefriendingCheckIn, BefriendingMatch] | None:
    query = select(BefriendingCheckIn, BefriendingMatch).join(BefriendingMatch, BefriendingMatch.id == BefriendingCheckIn.match_id).where(
        BefriendingCheckIn.sender_id == sender_id, BefriendingCheckIn.state == "asked")
    if number is not None:
        query = query.where(BefriendingMatch.number == number)
    found = session.execute(query.order_by(BefriendingCheckIn.asked_at.desc()).limit(1)).first()
    return (found[0], found[1]) if found else None


def _newer_question(session: Session, sender_id: str, asked_at: datetime) -> bool:
    """A numbered question put to them after the check-in (the bot's choices, a "did you go?" offer or check-in, a
    loneliness question, a proposed match): their number is its answer."""
    if offered_since(session, sender_id, asked_at):
        return True
    lonely = select(LonelinessScore.id).where(LonelinessScore.sender_id == sender_id, LonelinessScore.state.in_(LONELINESS_WAITING),
                                              LonelinessScore.asked_at > asked_at)
    proposed = select(BefriendingMatch.id).where(BefriendingMatch.state == "proposed", BefriendingMatch.asked_at > asked_at, (
        (BefriendingMatch.resident_sender_id == sender_id) | (BefriendingMatch.volunteer_sender_id == sender_id)))
    return any(session.scalars(query.limit(1)).first() is not None for query in (lonely, proposed))


def answer_match_check_in(session: Session, *, sender_id: str, message_id: str, text: str, settings: Settings, now: datetime | None = None,
                    relayed_on: str | None = None) -> CheckInReply | None:
    """The reply to this message if it answers the check-in waiting for this sender, else None (no check-in waiting:
    one index look-up; not an answer; see the module docstring). `relayed_on`: the message came to this befriending
    number, so only a bare answer to that match's check-in counts. `message_id` as for casework.befriending.matches
    .answer_match: the intake records each message once, by it, before asking."""
    found = _asked(session, sender_id, relayed_on)
    if found is None:
        return None
    row, match = found
    now = as_utc(now) or utcnow()
    asked_at = as_utc(row.asked_at) or now
    if asked_at > now:
        return None
    if asked_at < now - ANSWER_VALID_FOR:
        row.state = "unanswered"
        return None
    answer = check_in_answer(text, bare=relayed_on is not None)
    if answer is None or _newer_question(session, sender_id, asked_at) or is_opted_out(session, sender_id):
        return None
    row.state, row.answer, row.answered_at = "answered", answer, now
    audit.record(session, actor="intake", action="befriending_check_in", case_reference=match.reference, at=now,
                 detail=f"{match.reference}: the {row.side} answered check-in {row.round}: {ANSWER_WORDS[answer]} ({message_id[:40]})")
    if answer == "well":
        return CheckInReply(answer, match.reference, render("match_check_in_thanks_well"))
    told = tell_connector(session, match, f"match_check_in_{answer}_sms", settings=settings, now=now,
                          priority="high" if answer == "problem" else "routine", side=row.side)
    row.connector_told = "yes" if told else "nobody"
    return CheckInReply(answer, match.reference, render(f"match_check_in_thanks_{answer}" + ("" if told else "_nobody")))


@dataclass(frozen=True)
class CheckInSummary:
    side: str  # resident | volunteer
    round: int  # 1: two weeks after it went live; then monthly
    state: str  # CHECK_IN_STATES
    due_at: datetime
    asked_at: datetime | None
    answer: str | None  # well | not_for_me | problem
    answered_at: datetime | None
    connector_told: str | None  # yes | nobody


def check_ins_of(session: Session, match_id: int) -> list[CheckInSummary]:
    """A match's check-ins, oldest first, resident before volunteer (closed ones left out: they never went)."""
    rows = session.scalars(select(BefriendingCheckIn).where(BefriendingCheckIn.match_id == match_id, BefriendingCheckIn.state != "closed")
                           .order_by(BefriendingCheckIn.due_at, BefriendingCheckIn.side, BefriendingCheckIn.id))
    return [CheckInSummary(r.side, r.round, r.state, as_utc(r.due_at) or r.due_at, as_utc(r.asked_at), r.answer, as_utc(r.answered_at),
                           r.connector_told) for r in rows]
