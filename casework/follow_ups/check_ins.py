"""The "did you go?" check-in: offered after an activity's details, texted the day after, answered.

1. `offer_follow_up`: after a resident reads an activity's details, the bot offers to text them the
   day after its next session (SMS residents only: a web-chat session has no number and ends within
   a day). Never to an opted-out resident, never for a group whose schedule gives no date, never
   again for 30 days after they said no.
2. `answer_offer`: their next message answers it (1/yes, 2/no). Yes records consent for follow-up
   texts (casework.privacy.consent) and schedules the check-in; anything else lapses the offer and goes on
   to the bot as an ordinary message.
3. `due_check_ins` / `mark_asked` (the worker, jobs/check_ins.py): in texting hours only
   (CHECK_IN_HOURS, 09:00-21:00 every day by default: nothing is sent at night), never into a
   conversation in progress, one at a time per resident, and only while consent stands.
4. `answer_check_in`: the resident's first message after the check-in is its answer: went, or
   didn't and why (a word the outcomes can count, their own words sealed). A first message that is
   neither is not taken for one: it goes to the bot and the check-in is closed unanswered.

Runs inside the caller's transaction; plain values out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from functools import lru_cache

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from casework.cases.alert_settings import alert_settings
from casework.conversation.inbound import BodyVault
from casework.follow_ups.models import FollowUp
from casework.models import InboundMessage, Resident, as_utc, utcnow
from casework.privacy.consent import consent_history, has_consent, record_consent
from casework.working_hours import WorkingHours
from service.settings import Settings, SettingsError
from service.text import words_of, yes_or_no

__all__ = [
    "CheckIn", "CheckInAnswer", "CheckInHours", "Offer", "OfferAnswer",
    "answer_check_in", "answer_offer", "check_in_hours", "due_check_ins", "mark_asked", "offer_follow_up", "close",
    "reason_for_not_going", "day_words",
]

DEFAULT_HOURS = "Mon-Sun 09:00-21:00"
DEFAULT_ASK_FROM = "10:00"  # on the day after the session
OFFER_VALID_FOR = timedelta(hours=12)  # an answer long after the question is not an answer to it
ANSWER_VALID_FOR = timedelta(days=3)
NOT_AGAIN_AFTER_NO = timedelta(days=30)
FURTHEST_AHEAD = timedelta(days=35)  # a session further off than this is not worth a promise now
TOO_LATE_AFTER = timedelta(days=7)  # a check-in that could not go within a week of its time is dropped
CONVERSATION_GAP = timedelta(minutes=30)  # never text a check-in into a conversation in progress


@dataclass(frozen=True)
class CheckInHours:
    texting: WorkingHours  # when check-ins may be sent (the zone is WORKING_TIMEZONE)
    ask_from: time  # local time on the day after the session


def check_in_hours(settings: Settings) -> CheckInHours:
    return _hours(settings.value("CHECK_IN_HOURS", DEFAULT_HOURS), settings.value("CHECK_IN_ASK_FROM", DEFAULT_ASK_FROM),
                  alert_settings(settings).working_hours.zone.key)


@lru_cache(maxsize=8)
def _hours(spec: str, ask_from: str, zone: str) -> CheckInHours:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", ask_from.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise SettingsError(f"CHECK_IN_ASK_FROM must be a time like 10:00, got {ask_from!r}")
    try:
        texting = WorkingHours.parse(spec, zone)
    except ValueError as error:
        raise SettingsError(f"CHECK_IN_HOURS: {error}") from None
    return CheckInHours(texting, time(int(match.group(1)), int(match.group(2))))


def day_words(when: datetime, hours: CheckInHours) -> str:
    """"Tuesday 2 December": no "tomorrow" or "yesterday", which change meaning if a text is late."""
    local = when.astimezone(hours.texting.zone)
    return f"{local:%A} {local.day} {local:%B}"


@dataclass(frozen=True)
class Offer:
    name: str
    day: str


def offer_follow_up(session: Session, *, sender_id: str, activity_id: str, activity_name: str, interest: str | None,
                    starts: datetime, ends: datetime | None, settings: Settings, place: str | None = None,
                    vault: BodyVault | None = None, now: datetime | None = None) -> Offer | None:
    """Offer a check-in after the session `starts` (local, naive, as the directory gives it), or None
    when none may be offered. The offer is a row in state `offered`; its answer is `answer_offer`."""
    now = now or utcnow()
    if not sender_id.startswith("sms:") or not activity_id:
        return None
    resident = session.scalars(select(Resident).where(Resident.sender_id == sender_id)).first()
    if resident is None or resident.opted_out or not resident.phone_encrypted:
        return None
    hours = check_in_hours(settings)
    meets_at = starts.replace(tzinfo=hours.texting.zone).astimezone(timezone.utc)
    if meets_at <= now or meets_at - now > FURTHEST_AHEAD:
        return None
    if _said_no_lately(session, sender_id, now):
        return None
    waiting = session.scalars(select(FollowUp.id).where(
        FollowUp.sender_id == sender_id, FollowUp.activity_id == activity_id, FollowUp.state.in_(("agreed", "asked")))).first()
    if waiting is not None:
        return None  # already agreed for this group: no need to ask again
    _lapse_offers(session, sender_id)
    finished = (ends or starts).replace(tzinfo=hours.texting.zone)
    ask_at = datetime.combine(finished.date() + timedelta(days=1), hours.ask_from, hours.texting.zone).astimezone(timezone.utc)
    session.add(FollowUp(sender_id=sender_id, activity_id=activity_id[:36], activity_name=activity_name[:200],
                         interest=(interest or None) and interest[:100], meets_at=meets_at, state="offered", offered_at=now,
                         ask_at=ask_at, place_encrypted=vault.seal(place[:100]) if place and vault else None))
    session.flush()
    return Offer(activity_name, day_words(meets_at, hours))


def _said_no_lately(session: Session, sender_id: str, now: datetime) -> bool:
    decisions = [d for d in consent_history(session, [sender_id]) if d.purpose == "follow_up"]
    return bool(decisions) and not decisions[-1].granted and decisions[-1].at > now - NOT_AGAIN_AFTER_NO


def _lapse_offers(session: Session, sender_id: str) -> None:
    session.execute(update(FollowUp).where(FollowUp.sender_id == sender_id, FollowUp.state == "offered")
                    .values(state="lapsed").execution_options(synchronize_session=False))


@dataclass(frozen=True)
class OfferAnswer:
    agreed: bool
    name: str
    day: str  # the day the check-in text will come
    interest: str | None  # the search it came from (for "Shall I remember...?")
    place: str | None


def answer_offer(session: Session, *, sender_id: str, text: str, settings: Settings, vault: BodyVault,
                 now: datetime | None = None) -> OfferAnswer | None:
    """The resident's answer to the offer, if this message is one (None: no offer waiting, or they
    moved on, and the offer lapses)."""
    now = now or utcnow()
    offer = session.scalars(select(FollowUp).where(FollowUp.sender_id == sender_id, FollowUp.state == "offered")
                            .order_by(FollowUp.offered_at.desc())).first()
    if offer is None:
        return None
    said = yes_or_no(text) if as_utc(offer.offered_at) > now - OFFER_VALID_FOR else None  # type: ignore[operator]
    _lapse_offers(session, sender_id)
    if said is None:
        return None
    offer.state, offer.decided_at = ("agreed" if said == "yes" else "declined"), now
    record_consent(session, sender_id=sender_id, purpose="follow_up", granted=said == "yes", source="follow_up", at=now)
    hours = check_in_hours(settings)
    return OfferAnswer(said == "yes", offer.activity_name, day_words(as_utc(offer.ask_at) or now, hours), offer.interest,
                       vault.open_or_none(offer.place_encrypted))



@dataclass(frozen=True)
class CheckIn:
    """A check-in to text now."""

    id: int
    sender_id: str
    name: str
    day: str
    send_until: datetime  # the end of the texting hours it goes in: it never arrives at night


def due_check_ins(session: Session, *, settings: Settings, now: datetime | None = None, limit: int = 50) -> list[CheckIn]:
    """Check-ins to text now. Closes (`expired`) those that may no longer go: consent withdrawn,
    opted out, no number, or more than a week late. Outside texting hours: none (nothing is read)."""
    now = now or utcnow()
    hours = check_in_hours(settings)
    until = hours.texting.open_until(now)
    if until is None:
        return []  # quiet hours: nothing goes, and nothing needs reading every second all night
    rows = list(session.scalars(select(FollowUp).where(FollowUp.state == "agreed", FollowUp.ask_at <= now)
                                .order_by(FollowUp.ask_at).limit(limit)))
    due: list[CheckIn] = []
    busy: set[str] = set()
    for row in rows:
        resident = session.scalars(select(Resident).where(Resident.sender_id == row.sender_id)).first()
        if (resident is None or resident.opted_out or not resident.phone_encrypted
                or not has_consent(session, row.sender_id, "follow_up") or as_utc(row.ask_at) < now - TOO_LATE_AFTER):  # type: ignore[operator]
            row.state = "expired"
            continue
        if row.sender_id in busy:
            continue
        last_contact = as_utc(resident.last_contact_at)
        if last_contact is not None and last_contact > now - CONVERSATION_GAP:
            continue  # they are texting us now: a check-in would be read as an answer to something else
        if _awaiting_answer(session, row.sender_id, now):
            continue
        busy.add(row.sender_id)
        due.append(CheckIn(row.id, row.sender_id, row.activity_name, day_words(as_utc(row.meets_at) or now, hours), until))
    return due


def _awaiting_answer(session: Session, sender_id: str, now: datetime) -> FollowUp | None:
    return session.scalars(select(FollowUp).where(FollowUp.sender_id == sender_id, FollowUp.state == "asked",
                                                  FollowUp.asked_at > now - ANSWER_VALID_FOR)
                           .order_by(FollowUp.asked_at.desc())).first()


def mark_asked(session: Session, check_in_id: int, *, outbox_id: int, now: datetime | None = None) -> None:
    row = session.get(FollowUp, check_in_id)
    if row is not None:
        row.state, row.asked_at, row.outbox_id = "asked", now or utcnow(), outbox_id


def close(session: Session, check_in_id: int, state: str = "expired") -> None:
    row = session.get(FollowUp, check_in_id)
    if row is not None:
        row.state = state


_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("cancelled", re.compile(r"\b(cancell?ed|called off|closed|shut|not on|wasnt on|werent there|nobody (was )?there|no one (was )?there|"
                             r"locked|moved|finished|stopped|doesnt run|didnt run)\b")),
    # Before transport: "lost my nerve in the car park", "too shy to walk in on my own".
    ("nerves", re.compile(r"\b(nervous|nerves?|anxious|anxiety|scared|frightened|worried|confidence|shy|didnt know anyone|dont know anyone|"
                          r"on my own|by myself|alone|bottled it|lost my nerve|chickened out|couldnt face|could not face|not ready|"
                          r"panic\w*|walk in)\b")),
    # "fell out with someone" is not a fall.
    ("health", re.compile(r"\b(ill|unwell|poorly|not (very )?well|sick|hospital|doctors?|gp|pain|hurt|fell(?! out)|fall(?! out)|fallen|legs?|"
                          r"hips?|knees?|back|chest|cold|flu|covid|virus|bad day|tired|exhausted|operation|wasnt (very |feeling )?(well|good|great)|"
                          r"not feeling|under the weather|dizzy|breathing|bad turn|arthritis|mobility|walker|wheelchair|infection|"
                          r"migraine|dialysis|chemo|tablets|medication|bad night|not up to it)\b")),
    ("transport", re.compile(r"\b(bus|buses|lift|taxi|car|drive|driving|transport|get there|getting there|too far|far away|walk|"
                             r"train|no way of getting|couldnt get|ring and ride|dial a ride|community transport|scooter)\b")),
    # "this time" / "next time" are not a reason.
    ("time", re.compile(r"\b(forgot|forget|busy|(?<!this )(?<!next )(?<!last )(?<!another )time|clash|appointment|weather|rain\w*|pouring|snow\w*|"
                        r"wind|storm|ice|icy|visitors?|family|grandchildren|work|overslept|missed|visiting|came round|came over|"
                        r"mixed up|wrong day|wrong time|thought it was|late|plumber|gas man|engineer|delivery|workmen|builders?)\b")),
)
# Words that say nothing about why: what is left after them is a reason of its own ("other").
_NO_REASON = re.compile(
    r"\b(2|no+|nope|nah|not yet|not this (week|time)|i didnt|didnt|i couldnt|couldnt|sadly not|afraid not|unfortunately not|sorry|"
    r"thanks|thank you|ta|i am afraid|im afraid|go|went|get there|get to it|make it|made it|i did not|did not|maybe|next (week|time)|"
    r"another (week|time)|x+|love|dear|pet|hun|duck|anyway|i will|ill|try)\b"
)
_WENT = re.compile(
    r"^((oh |well |ah )?(1|one|y|yes+|yeah|yea|yep|yup|aye|tes|i did|did|i went|went|we went|been|i have|i made it|made it|got there|"
    r"i got there|it was (lovely|great|good|nice|brilliant|fab|ok|okay|alright|fine)|(lovely|great|good|brilliant|fab) thanks|loved it|"
    r"enjoyed it|really enjoyed))\b"
)
_DIDNT = re.compile(
    r"^((sorry |oh |well |sadly |afraid )?(2|two|n|no+|nope|nah|naw|not yet|not this (week|time)|i didnt|didnt|i couldnt|couldnt|"
    r"i wasnt|wasnt|i never|never|i missed|missed|i forgot|forgot|i did not|did not|could not|sadly not|afraid not|"
    r"unfortunately not))\b"
    r"|\b(bottled it|lost my nerve|chickened out|couldnt face it|could not face it|didnt go|did not go|didnt make it|never made it)\b"
)


def went_or_not(text: str) -> bool | None:
    """True (went), False (didn't) or None (not an answer to "did you get to ...?")."""
    words = words_of(text)
    if not words:
        return None
    if _DIDNT.search(words):
        return False
    if _WENT.match(words):
        return True
    return None


def reason_for_not_going(text: str) -> str | None:
    """Why they didn't go, as a word the outcomes can count; None when they gave no reason."""
    words = words_of(text)
    for reason, pattern in _REASONS:
        if pattern.search(words):
            return reason
    rest = _NO_REASON.sub("", words).strip()
    return "other" if len(rest.split()) >= 2 else None


@dataclass(frozen=True)
class CheckInAnswer:
    went: bool
    name: str
    reason: str | None
    interest: str | None  # for "another idea": the search it came from
    place: str | None


def answer_check_in(session: Session, *, sender_id: str, message_id: str, text: str, vault: BodyVault,
                    now: datetime | None = None) -> CheckInAnswer | None:
    """The answer to the last check-in, if this message is the first since it and reads as one."""
    now = now or utcnow()
    asked = _awaiting_answer(session, sender_id, now)
    if asked is None:
        return None
    since = session.scalars(select(InboundMessage.id).where(
        InboundMessage.sender_id == sender_id, InboundMessage.received_at > asked.asked_at, InboundMessage.message_id != message_id)).first()
    went = went_or_not(text) if since is None else None
    if went is None:
        asked.state = "no_reply"  # they moved on to something else: this message goes to the bot
        return None
    reason = None if went else reason_for_not_going(text)
    asked.state, asked.answered_at, asked.went, asked.reason = "answered", now, went, reason
    asked.answer_encrypted = vault.seal(text)
    return CheckInAnswer(went, asked.activity_name, reason, asked.interest, vault.open_or_none(asked.place_encrypted))
