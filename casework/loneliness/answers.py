"""The resident's replies to the loneliness questions, for the intake (casework.conversation.questions).

1. The consent question ("Would you answer 3 quick questions...? Reply 1 for yes or 2 for no"): yes
   records consent (casework.privacy.consent, purpose `loneliness`) and the reply is question 1; no records the
   refusal, says we will not ask again, and nobody ever does (casework.loneliness.measures).
2. Each question: a short reply 1-3 ("2", "often", "id say 1") is its answer and the reply is the next
   question; after the third the score is kept (the first round's schedules the follow-up round about
   eight weeks on) and the reply thanks them, with The Silver Line and TALK when they feel lonely often.

As the check-in's question lapses (casework.follow_ups.check_ins), a question lapses, ending its round with
nothing kept, when this message is not the first from them since we asked (a crisis or STOP came first:
those were answered as themselves, and a later "2" belongs to no question), when it is no answer ("ok",
a search: the bot takes it), when it comes more than 3 days after, or when a newer question of ours was
put to them since (a check-in, a training text or a befriending match's check-in: their number answers that one).
Runs inside the caller's transaction; plain values out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from casework.befriending.tables import BefriendingCheckIn
from casework.cases.models import VolunteerTraining
from casework.follow_ups.models import FollowUp
from casework.loneliness.measures import PURPOSE, loneliness_settings
from casework.loneliness.models import LonelinessScore
from casework.loneliness.scale import HIGHEST, ITEMS, item_answer, score_of
from casework.models import InboundMessage, as_utc, utcnow
from casework.privacy.consent import record_consent
from casework.safety.numbers import SAFETY_NUMBERS
from casework.texts import render
from service.settings import Settings
from service.text import yes_or_no

__all__ = ["ANSWER_VALID_FOR", "OFTEN_LONELY_FROM", "LonelinessReply", "question_text", "answer_loneliness"]

ANSWER_VALID_FOR = timedelta(days=3)  # as a check-in's: a "2" days later is about something else
# A score this high means "often" to at least one question and "some of the time" to the rest at worst:
# worth saying where to find someone to talk to, with the thanks.
OFTEN_LONELY_FROM = HIGHEST - 2
WAITING = ("consent_asked", "asking")


@dataclass(frozen=True)
class LonelinessReply:
    outcome: str  # agreed (question 1 follows) | declined | next (the next question) | scored
    texts: tuple[str, ...]  # each one message, in order (casework/texts.yml's words)
    score: int | None = None


def question_text(number: int) -> str:
    return render(f"loneliness_question_{number}", number=number, total=len(ITEMS))


def _lapse(row: LonelinessScore) -> None:
    row.state, row.question, row.answers = "lapsed", None, None


def _spoken_since(session: Session, sender_id: str, message_id: str, asked_at: datetime) -> bool:
    return session.scalars(select(InboundMessage.id).where(
        InboundMessage.sender_id == sender_id, InboundMessage.received_at > asked_at, InboundMessage.message_id != message_id,
    ).limit(1)).first() is not None


def _newer_question(session: Session, sender_id: str, asked_at: datetime) -> bool:
    """A check-in (or its offer), a training text or a befriending match's check-in put to them after our question:
    their number is its answer."""
    check_in = select(FollowUp.id).where(FollowUp.sender_id == sender_id, or_(
        and_(FollowUp.state == "offered", FollowUp.offered_at > asked_at), and_(FollowUp.state == "asked", FollowUp.asked_at > asked_at)))
    training = select(VolunteerTraining.id).where(VolunteerTraining.sender_id == sender_id, VolunteerTraining.state == "asked",
                                                  VolunteerTraining.texted_at > asked_at)
    match_check_in = select(BefriendingCheckIn.id).where(BefriendingCheckIn.sender_id == sender_id, BefriendingCheckIn.state == "asked",
                                                         BefriendingCheckIn.asked_at > asked_at)
    return any(session.scalars(query.limit(1)).first() is not None for query in (check_in, training, match_check_in))


def answer_loneliness(session: Session, *, sender_id: str, message_id: str, text: str, settings: Settings,
                      now: datetime | None = None) -> LonelinessReply | None:
    """The reply to this message if it answers the loneliness question waiting for this sender, else None
    (no question waiting: one index look-up; or it lapsed: the bot takes the message). `message_id` is
    the inbound message's, recorded by the intake before it asks, so a redelivery is never answered twice."""
    row = session.scalars(select(LonelinessScore).where(LonelinessScore.sender_id == sender_id, LonelinessScore.state.in_(WAITING))
                          .limit(1)).first()
    if row is None:
        return None
    now = as_utc(now) or utcnow()
    asked_at = as_utc(row.asked_at)
    if asked_at is None or asked_at > now:
        return None  # queued, not yet sent
    if (asked_at < now - ANSWER_VALID_FOR or _spoken_since(session, sender_id, message_id, row.asked_at)
            or _newer_question(session, sender_id, row.asked_at)):
        _lapse(row)
        return None
    if row.state == "consent_asked":
        said = yes_or_no(text)
        if said is None:
            _lapse(row)
            return None
        record_consent(session, sender_id=sender_id, purpose=PURPOSE, granted=said == "yes", source="loneliness_question", at=now)
        if said == "no":
            row.state = "declined"
            return LonelinessReply("declined", (render("loneliness_declined"),))
        row.state, row.question, row.answers, row.asked_at = "asking", 1, "", now
        return LonelinessReply("agreed", (question_text(1),))
    value = item_answer(text)
    if value is None:
        _lapse(row)
        return None
    answers = (row.answers or "") + str(value)
    if len(answers) < len(ITEMS):
        row.answers, row.question, row.asked_at = answers, len(answers) + 1, now
        return LonelinessReply("next", (question_text(len(answers) + 1),))
    score = score_of(answers)
    if row.round == "first":
        row.first_score, row.first_at = score, now
        # The same row carries the follow-up round: its consent question is due about eight weeks on.
        row.round, row.state, row.due_at = "follow_up", "due", now + loneliness_settings(settings).follow_up_after
        thanks = "loneliness_thanks_first"
    else:
        row.follow_up_score, row.follow_up_at, row.state = score, now, "done"
        thanks = "loneliness_thanks_follow_up"
    row.question, row.answers, row.asked_at = None, None, None
    texts = [render(thanks)]
    if score >= OFTEN_LONELY_FROM:
        texts.append(render("loneliness_someone_to_talk_to", **SAFETY_NUMBERS))
    return LonelinessReply("scored", tuple(texts), score)
