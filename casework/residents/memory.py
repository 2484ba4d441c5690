"""Remembering an SMS resident's last search between conversations, with their consent.

    details of an activity shown  -> utter_offer_remember ("Shall I remember you like singing near
                                     Heswall...? Reply 1 for yes or 2 for no.")   flag remember_asked
    1 / yes                       -> utter_remember_agreed; consent `remember` granted
    2 / no                        -> utter_remember_declined; the values deleted, consent refused
    anything else                 -> the question is dropped (the values deleted) and the message
                                     goes on to the bot
    next conversation             -> "Welcome back! Last time you were looking for..." (the bot's
                                     action_session_start reads `remembered`)
    a new search                  -> replaces what is remembered ("change it" is searching again)
    CLEAR, "forget what i like"   -> utter_memory_cleared; the row deleted, consent withdrawn

SMS only: a web-chat session is anonymous and ends within a day, so there is nobody to greet later.
Asked once: after a yes, a no or a CLEAR (a standing decision on `remember`) it is never asked again,
and a question left unanswered is not asked again for `OFFER_AGAIN_AFTER`.

The interest and place are the resident's own words (a place may be a postcode): sealed with
casework.conversation.inbound.BodyVault in `resident_memory`. Runs in the caller's transaction (the intake's, or the
action server's). Plain values out. Pending state lives in the flag table, like the safety screen's
question (casework.cases.triage).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import InvalidToken
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from casework.conversation.inbound import BodyVault
from casework.models import Flag, utcnow
from casework.privacy.consent import decision_on, record_consent
from casework.residents.flags import raise_flag
from casework.residents.identity import SMS_PREFIX
from casework.residents.memory_models import ResidentMemory
from casework.residents.records import is_opted_out
from service.text import words_of, yes_or_no

__all__ = [
    "PURPOSE", "REMEMBER_FLAG", "REMEMBER_ANSWER_RESPONSES", "QUESTION_VALID_FOR", "OFFER_AGAIN_AFTER", "Remembered",
    "offer_to_remember", "answer_remember_offer", "remembered", "update_memory", "clear_memory",
    "interpret_remember_answer", "asks_to_clear_memory", "forget_unanswered_offers", "drop_question",
]

PURPOSE = "remember"  # casework.privacy.consent.PURPOSES
REMEMBER_FLAG = "remember_asked"  # we asked "Shall I remember...?"; the next message answers it
# The answers to "Shall I remember you like...? Reply 1 for yes or 2 for no."
REMEMBER_ANSWER_RESPONSES = {"yes": "utter_remember_agreed", "no": "utter_remember_declined"}
# An answer long after the question is not an answer to it (as casework.cases.triage.QUESTION_VALID_FOR).
QUESTION_VALID_FOR = timedelta(hours=12)
# Someone who let the question go by is not asked at every activity they look at.
OFFER_AGAIN_AFTER = timedelta(days=30)
# Longer than any interest or place said in a text; a longer value is cut rather than refused.
VALUE_CHARACTERS = 100

# "CLEAR", "forget what i like", "clear my details", "stop remembering me": the memory only. "FORGET ME"
# and "DELETE MY DATA" are full erasure (casework.privacy.erasure_request), taken before this in the intake.
_CLEAR = re.compile(
    r"^(please )?("
    r"clear( it| that| all| everything| the lot)?|clear (my|me) (details|info|information|interests?|area|search|memory)|"
    r"forget (what|where) i (like|said|told you|searched|was looking for|live|am)|"
    r"forget (my|me) (interests?|area|search|searches|details|likes|postcode)|forget (it|that)|"
    r"stop remembering( me| that| it)?|dont remember( me| that| it)?|do not remember( me| that| it)?"
    r")( please| thanks| thank you| ta)?$"
)


@dataclass(frozen=True)
class Remembered:
    interest: str
    place: str
    agreed_at: datetime
    updated_at: datetime


def interpret_remember_answer(text: str) -> str | None:
    """ "yes", "no" or None (not an answer) for a reply to "Shall I remember...? Reply 1 for yes or 2 for no"."""
    return yes_or_no(text)


def asks_to_clear_memory(text: str) -> bool:
    """CLEAR and its natural phrasings; never "forget me" or "delete my data" (full erasure)."""
    return bool(_CLEAR.match(words_of(text)))


def _row(session: Session, sender_id: str) -> ResidentMemory | None:
    return session.scalars(select(ResidentMemory).where(ResidentMemory.sender_id == sender_id)).first()


def _pending(session: Session, sender_id: str, now: datetime) -> bool:
    return session.scalars(
        select(Flag.id).where(Flag.sender_id == sender_id, Flag.reason == REMEMBER_FLAG, Flag.state == "open",
                              Flag.raised_at >= now - QUESTION_VALID_FOR)
    ).first() is not None


def _close(session: Session, sender_id: str) -> None:
    session.execute(
        update(Flag).where(Flag.sender_id == sender_id, Flag.reason == REMEMBER_FLAG, Flag.state == "open")
        .values(state="answered").execution_options(synchronize_session=False)
    )


def _asked_lately(session: Session, sender_id: str, now: datetime) -> bool:
    return session.scalars(
        select(Flag.id).where(Flag.sender_id == sender_id, Flag.reason == REMEMBER_FLAG, Flag.raised_at >= now - OFFER_AGAIN_AFTER)
    ).first() is not None


def _forget_unagreed(session: Session, sender_id: str) -> None:
    session.execute(delete(ResidentMemory).where(ResidentMemory.sender_id == sender_id, ResidentMemory.agreed_at.is_(None))
                    .execution_options(synchronize_session=False))


def drop_question(session: Session, sender_id: str) -> None:
    """A newer question was put to the resident (a "did you go?" check-in): their next reply answers
    that one, so "Shall I remember...?" is dropped, as if they had moved on."""
    _close(session, sender_id)
    _forget_unagreed(session, sender_id)


def offer_to_remember(session: Session, *, sender_id: str, interest: str | None, place: str | None, vault: BodyVault,
                      now: datetime | None = None) -> bool:
    """Whether to ask "Shall I remember...?" now. When True, the values are kept (sealed, not yet
    agreed) and the question is open for the resident's next message (`answer_remember_offer`).

    Only an SMS resident who has not opted out, has decided nothing about `remember` yet (a yes, a no
    or a CLEAR stands for good) and was not asked within OFFER_AGAIN_AFTER; only for a real search.
    """
    now = now or utcnow()
    interest, place = (interest or "").strip(), (place or "").strip()
    if not sender_id.startswith(SMS_PREFIX) or not interest or not place:
        return False
    if is_opted_out(session, sender_id) or decision_on(session, sender_id, PURPOSE) is not None:
        return False
    if _asked_lately(session, sender_id, now):
        return False
    _forget_unagreed(session, sender_id)  # a question never answered, long ago
    _close(session, sender_id)
    session.add(ResidentMemory(sender_id=sender_id, interest_encrypted=vault.seal(interest[:VALUE_CHARACTERS]),
                               place_encrypted=vault.seal(place[:VALUE_CHARACTERS]), offered_at=now, updated_at=now))
    raise_flag(session, sender_id=sender_id, reason=REMEMBER_FLAG, source="remember_offer").raised_at = now
    session.flush()
    return True


def answer_remember_offer(session: Session, *, sender_id: str, text: str, now: datetime | None = None) -> str | None:
    """The resident's answer to "Shall I remember...?", if this message is one: "yes" (kept, consent
    granted), "no" (deleted, consent refused), or None: no question pending, or they moved on (the
    question is dropped, what it was about deleted, and the message goes on to the bot)."""
    now = now or utcnow()
    if not _pending(session, sender_id, now):
        return None
    answer = interpret_remember_answer(text)
    _close(session, sender_id)
    if answer == "yes" and (row := _row(session, sender_id)) is not None:
        row.agreed_at = now
        row.updated_at = now
        record_consent(session, sender_id=sender_id, purpose=PURPOSE, granted=True, source="remember_offer", at=now)
        return "yes"
    _forget_unagreed(session, sender_id)
    if answer == "no":
        record_consent(session, sender_id=sender_id, purpose=PURPOSE, granted=False, source="remember_offer", at=now)
        return "no"
    return None


def remembered(session: Session, sender_id: str, vault: BodyVault) -> Remembered | None:
    """What an SMS resident agreed to have remembered, opened; None when nothing is (or it cannot be read)."""
    row = _row(session, sender_id)
    if row is None or row.agreed_at is None:
        return None
    try:
        return Remembered(vault.open(row.interest_encrypted), vault.open(row.place_encrypted), row.agreed_at, row.updated_at)
    except InvalidToken:
        return None  # sealed under a key no longer configured: as good as nothing


def update_memory(session: Session, *, sender_id: str, interest: str | None, place: str | None, vault: BodyVault,
                  now: datetime | None = None) -> bool:
    """A new search by a resident who agreed replaces what is remembered. False when they have not
    agreed (nothing is kept for them) or the search had no interest or place."""
    interest, place = (interest or "").strip(), (place or "").strip()
    row = _row(session, sender_id)
    if row is None or row.agreed_at is None or not interest or not place:
        return False
    row.interest_encrypted = vault.seal(interest[:VALUE_CHARACTERS])
    row.place_encrypted = vault.seal(place[:VALUE_CHARACTERS])
    row.updated_at = now or utcnow()
    return True


def clear_memory(session: Session, *, sender_id: str, source: str = "clear", now: datetime | None = None) -> bool:
    """Forget it (CLEAR): the row deleted, any open question dropped, consent withdrawn, so it is not
    asked again. True when something agreed had been remembered."""
    now = now or utcnow()
    row = _row(session, sender_id)
    had = row is not None and row.agreed_at is not None
    session.execute(delete(ResidentMemory).where(ResidentMemory.sender_id == sender_id).execution_options(synchronize_session=False))
    _close(session, sender_id)
    record_consent(session, sender_id=sender_id, purpose=PURPOSE, granted=False, source=source, at=now)
    return had


def forget_unanswered_offers(session: Session, *, now: datetime | None = None) -> int:
    """Delete the values of questions nobody answered (the retention purge calls this): kept only while
    the question could still be answered."""
    cutoff = (now or utcnow()) - QUESTION_VALID_FOR
    return int(session.execute(
        delete(ResidentMemory).where(ResidentMemory.agreed_at.is_(None), ResidentMemory.offered_at < cutoff)
        .execution_options(synchronize_session=False)
    ).rowcount or 0)
