"""The answer to what we last asked a sender, if this message is one: which questions are open (one
read a message, not one a question) and each open question's room asked to take the answer.

Each question lives in its own room and keeps its own state there: where they are and how to reach
them, and the direct question about ending their life (casework.cases.triage, as open flags); "Shall I
remember...?" (casework.residents.memory, a flag); the offer of a check-in and the check-in itself
(casework.follow_ups.check_ins, a follow-up row "offered" or "asked"); a volunteer's training question
(casework.good_neighbours.training, a module "asked"); "would you like that? 1 yes, 2 no" to either side
of a proposed befriending match (casework.befriending.matches, a match "proposed" and their answer
missing); "how is it going? 1, 2 or 3" to either side of a live match (casework.befriending.check_ins, a
check-in "asked"); the loneliness questions (casework.loneliness, a score row "consent_asked" or "asking"); the
questions about a group someone is proposing by text (casework.proposed_groups.by_text, a draft row).
"Reply DELETE to delete..." after FORGET ME (casework.privacy.erasure_request, a flag) is named too, so
the intake reads every open question once, before the erasure step that answers this one; it is not
answered here.
Each room's answer function still decides
whether this message answers its question (and drops a question gone stale); this module only says
which rooms to ask, in one indexed read over the flag and follow-up rows, so a message that answers
nothing (most of them) costs one statement here instead of seven (bench/profile_web.py).

What it returns is a superset: an open flag older than its question's validity is still named, and its
room drops it when asked, exactly as before.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, literal, or_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import CompoundSelect

from casework.befriending.check_ins import answer_match_check_in
from casework.befriending.matches import answer_match
from casework.befriending.tables import BefriendingCheckIn, BefriendingMatch
from casework.cases.models import VolunteerTraining
from casework.cases.triage import AREA_FLAG, CHECK_FLAG, CONTACT_FLAG, answer_to_check, take_area, take_contact
from casework.conversation.inbound import BodyVault
from casework.conversation.said import Line, Said, WhatNext, Written, case_lines
from casework.follow_ups.check_ins import answer_check_in, answer_offer
from casework.follow_ups.models import FollowUp
from casework.good_neighbours.training import answer_training
from casework.loneliness.answers import WAITING as LONELINESS_WAITING
from casework.loneliness.answers import answer_loneliness
from casework.loneliness.measures import measure_loneliness
from casework.loneliness.models import LonelinessScore
from casework.models import Flag
from casework.privacy.erasure_request import ERASURE_ASKED
from casework.proposed_groups.by_text import answer_group_by_text
from casework.proposed_groups.models import GroupDraft
from casework.residents.memory import REMEMBER_ANSWER_RESPONSES, REMEMBER_FLAG, answer_remember_offer, offer_to_remember
from casework.safety.decisions import CHECK_ANSWER_RESPONSES
from directory import district_of, locate
from service.settings import Settings

__all__ = ["AREA", "CONTACT", "DIRECT_QUESTION", "REMEMBER", "CHECK_IN_OFFER", "CHECK_IN", "TRAINING", "MATCH", "MATCH_CHECK_IN", "LONELINESS",
           "GROUP", "ERASURE", "Answered", "open_questions", "answer_open_question"]

AREA = AREA_FLAG
CONTACT = CONTACT_FLAG
DIRECT_QUESTION = CHECK_FLAG
REMEMBER = REMEMBER_FLAG
CHECK_IN_OFFER = "check_in_offered"
CHECK_IN = "check_in_asked"
TRAINING = "training_asked"
MATCH = "match_asked"
MATCH_CHECK_IN = "match_check_in_asked"
LONELINESS = "loneliness_asked"
GROUP = "group_asked"
ERASURE = ERASURE_ASKED

_ASKED_AS_FLAGS = (AREA, CONTACT, DIRECT_QUESTION, REMEMBER, ERASURE)
_FOLLOW_UP_STATES = {"offered": CHECK_IN_OFFER, "asked": CHECK_IN}


def _open_questions_statement() -> CompoundSelect:
    sender_id = bindparam("sender_id")
    flags = select(Flag.reason.label("kind")).where(
        Flag.sender_id == sender_id, Flag.state == "open", Flag.reason.in_(_ASKED_AS_FLAGS))
    follow_ups = select(FollowUp.state.label("kind")).where(
        FollowUp.sender_id == sender_id, FollowUp.state.in_(tuple(_FOLLOW_UP_STATES)))
    training = select(literal(TRAINING).label("kind")).where(
        VolunteerTraining.sender_id == sender_id, VolunteerTraining.state == "asked")
    match = select(literal(MATCH).label("kind")).where(
        BefriendingMatch.state == "proposed",
        or_(and_(BefriendingMatch.resident_sender_id == sender_id, BefriendingMatch.resident_answer.is_(None)),
            and_(BefriendingMatch.volunteer_sender_id == sender_id, BefriendingMatch.volunteer_answer.is_(None))))
    match_check_in = select(literal(MATCH_CHECK_IN).label("kind")).where(
        BefriendingCheckIn.sender_id == sender_id, BefriendingCheckIn.state == "asked")
    loneliness = select(literal(LONELINESS).label("kind")).where(
        LonelinessScore.sender_id == sender_id, LonelinessScore.state.in_(LONELINESS_WAITING))
    group = select(literal(GROUP).label("kind")).where(GroupDraft.sender_id == sender_id)
    return union_all(flags, follow_ups, training, match, match_check_in, loneliness, group)


# Built once: building this union took longer than running it (about 0.5 of 0.9 ms, bench/profile_web.py).
_OPEN_QUESTIONS = _open_questions_statement()


def open_questions(session: Session, sender_id: str) -> frozenset[str]:
    """The questions this sender has open (AREA, CONTACT, DIRECT_QUESTION, REMEMBER, CHECK_IN_OFFER, CHECK_IN, TRAINING, MATCH,
    MATCH_CHECK_IN, LONELINESS, GROUP, ERASURE)."""
    kinds = set(session.scalars(_OPEN_QUESTIONS, {"sender_id": sender_id}))
    return frozenset(_FOLLOW_UP_STATES.get(kind, kind) for kind in kinds)


@dataclass(frozen=True)
class Answered:
    """This message answered one of our questions: what to say, and the message's state ("screened"
    for yes to the direct question, whose answer, like the screen's own, carries nothing else)."""

    state: str
    lines: list[Line]


def answer_open_question(session: Session, *, sender_id: str, channel: str, message_id: str, text: str,
                         settings: Settings, vault: BodyVault, sms_questions: bool, match_number: str | None = None,
                         asked: frozenset[str] | None = None) -> Answered | None:
    """The answer to what we last asked, if this message is one; None sends it on to the bot.

    Asked in this order: where they are (when their case had no area) and, in web chat, how to reach
    them (one message may answer both: "07700 900123, im in wallasey"); the screen's direct question;
    then, only when `sms_questions` (an SMS that is not MORE: after long details a question may be in
    the part MORE brings), the questions about a group they are proposing, the loneliness questions, a volunteer's training question, either side's answer
    to a proposed befriending match, the check-in's offer, "Shall I remember...?" and the check-in itself.
    A check-in answered "went" is a suggestion taken up: support whose effect on loneliness is measured
    (casework.loneliness).
    The caller has already answered a message that is itself a crisis as one. `asked`: `open_questions`
    as the caller read them earlier in this transaction, when nothing since could have put a question."""
    asked = (open_questions(session, sender_id) if asked is None else asked) - {ERASURE}
    if not asked:
        return None
    placed = AREA in asked and take_area(session, sender_id=sender_id, text=text, settings=settings)
    took = CONTACT in asked and channel == "webchat" and take_contact(session, sender_id=sender_id, text=text, settings=settings)
    if placed or took:
        return Answered("answered", [*([Said("utter_area_noted")] if placed else []), *([Said("utter_contact_noted")] if took else [])])
    check = answer_to_check(session, sender_id=sender_id, channel=channel, message_id=message_id, text=text,
                            settings=settings) if DIRECT_QUESTION in asked else None
    if check is not None and check.check_answer is not None:
        return Answered("screened" if check.check_answer == "yes" else "answered",
                        [Said(CHECK_ANSWER_RESPONSES[check.check_answer]), *case_lines(check)])
    if match_number is not None:
        relayed = answer_match_check_in(session, sender_id=sender_id, message_id=message_id, text=text, settings=settings,
                                  relayed_on=match_number) if MATCH_CHECK_IN in asked else None
        return Answered("answered", [Written(relayed.text)]) if relayed is not None else None
    if not sms_questions:
        return None
    # A group they are telling us about: they started it themselves and each answer brings the next question
    # at once, so nothing of ours is newer (the worker texts nothing into a conversation under way).
    group = answer_group_by_text(session, sender_id=sender_id, message_id=message_id, text=text, settings=settings) if GROUP in asked else None
    if group is not None:
        return Answered("answered", [Written(body) for body in group.texts])
    # First: it is put only when no other question waits, and stands down (lapses) when a newer one was put.
    lonely = answer_loneliness(session, sender_id=sender_id, message_id=message_id, text=text, settings=settings) if LONELINESS in asked else None
    if lonely is not None:
        return Answered("answered", [Written(body) for body in lonely.texts])
    # A volunteer's training question, before the check-in's: answer_training stands down when an offer
    # or a check-in was put to them after it (the newer question is the one answered).
    trained = answer_training(session, sender_id=sender_id, message_id=message_id, text=text, settings=settings) if TRAINING in asked else None
    if trained is not None:
        return Answered("answered", [Written(body) for body in trained.bodies()])
    # As training's: answer_match stands down when a newer numbered question was put to them after it.
    matched = answer_match(session, sender_id=sender_id, message_id=message_id, text=text, settings=settings) if MATCH in asked else None
    if matched is not None:
        return Answered("answered", [Written(matched.text)])
    # As the match's: answer_match_check_in stands down when a newer numbered question was put to them after it.
    checked_in = answer_match_check_in(session, sender_id=sender_id, message_id=message_id, text=text,
                                       settings=settings) if MATCH_CHECK_IN in asked else None
    if checked_in is not None:
        return Answered("answered", [Written(checked_in.text)])
    offer = answer_offer(session, sender_id=sender_id, text=text, settings=settings, vault=vault) if CHECK_IN_OFFER in asked else None
    if offer is not None:
        lines: list[Line] = [Said("utter_follow_up_agreed" if offer.agreed else "utter_follow_up_declined",
                                  {"day": offer.day, "name": offer.name})]
        # The next question, one at a time: "Shall I remember...?" waited for this answer (actions/activity_details.py).
        if offer_to_remember(session, sender_id=sender_id, interest=offer.interest, place=offer.place, vault=vault):
            lines.append(Said("utter_offer_remember", {"interest": offer.interest or "", "place": offer.place or ""}))
        return Answered("answered", lines)
    remember = answer_remember_offer(session, sender_id=sender_id, text=text) if REMEMBER in asked else None
    if remember is not None:
        return Answered("answered", [Said(REMEMBER_ANSWER_RESPONSES[remember])])
    checked = answer_check_in(session, sender_id=sender_id, message_id=message_id, text=text, vault=vault) if CHECK_IN in asked else None
    if checked is None:
        return None
    if checked.went:
        place = locate(None, checked.place) if checked.place else None
        measure_loneliness(session, sender_id=sender_id, support="suggestion", area=district_of(place) if place else None)
        return Answered("answered", [Said("utter_check_in_went")])
    # Didn't go: that's all right, a word on why if it was getting there or nerves, and the choice of
    # another idea (their last search again) or a call from a connector (TALK).
    reason = [Said(f"utter_check_in_{checked.reason}")] if checked.reason in ("transport", "nerves") else []
    return Answered("answered", [Said("utter_check_in_not_went"), *reason, WhatNext(checked.interest, checked.place)])
