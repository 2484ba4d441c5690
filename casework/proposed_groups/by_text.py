"""Proposing a group by text: "I run a knitting group in Deal, can you list it?" starts a few short questions,
one at a time, and the answers become a proposal exactly as the web form's (`propose_group`).

    I run a ... group / how do I get my ... on your list / we've started a ... group   (offers_a_group)
      -> what is it called? -> what happens there? -> where (town or postcode)? -> when (day and time)?
      -> what does it cost? -> a contact to show with it (or NONE)? -> your first name (for the connector)?
      -> "Reply 1 to send it to the team or 2 to leave it"
      1: propose_group (GP-12345; the area's connector emailed; sealed; the proposer is this number)
      2, or LEAVE IT at any point: nothing is kept

The answers so far wait sealed in `proposed_group_draft` (one a sender). The intake asks
`answer_group_by_text` through casework.conversation.questions for each SMS while one waits, after the safety screen,
STOP and the other keywords it settles first: a crisis or STOP in the middle is answered as everywhere
else, and the draft then lapses (nothing kept; the next message goes to the bot), as does one left
unanswered for a day, or interrupted by a report about someone else. HELP in the middle says what this is
and asks the question again. A place or time that cannot be read is asked once more, then kept as typed for
the connector (a place as the address, a time in the description: the connector asks for the rest, or
for changes through the form's private link, before it can be listed). CANCEL is one of the opt-out
words (Twilio's too), so the way out offered is LEAVE IT.

Web chat has no number to be the proposer's contact: there the same words get a link to the web form.
The words are casework/texts.yml's `group_text_*`. Runs inside the caller's transaction; plain values out.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import InvalidToken
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from casework.cases.triage import REPORT_FLAG
from casework.conversation.inbound import BodyVault
from casework.models import Flag, InboundMessage, Resident, as_utc, utcnow
from casework.proposed_groups.models import DRAFT_VALID_FOR, GroupDraft
from casework.proposed_groups.proposals import Proposer, propose_group
from casework.proposed_groups.text_answers import NO_CONTACT, national, read_contact, read_cost, read_when, read_where
from casework.residents.identity import InvalidPhoneNumber, PhoneVault, normalise_uk_number
from casework.residents.records import is_opted_out
from casework.texts import render
from directory.community_groups import GroupListing
from service.settings import Settings
from service.text import words_of, yes_or_no

__all__ = ["STEPS", "DRAFT_VALID_FOR", "LEAVE_WORDS", "GroupByText", "offers_a_group", "start_group_by_text", "answer_group_by_text",
           "web_chat_reply"]

STEPS = ("name", "about", "where", "when", "cost", "contact", "proposer", "confirm")
ACTOR = "group_text"  # the audit actor, as the web form's is "group_form"
LENGTHS = {"name": 120, "about": 1000, "where": 200, "when": 200, "cost": 80, "proposer": 120}
LEAVE_WORDS = frozenset({"leave it", "leave it thanks", "leave it please", "never mind", "nevermind", "forget it", "dont bother",
                         "not now", "no leave it", "stop this"})
_HELP_WORDS = frozenset({"help", "info"})
# Interrupted by these (since the question): a crisis answered as one, STOP, or a report about someone else.
_INTERRUPTED_STATES = ("screened", "opt_out")
_INTERRUPTED_FLAGS = (REPORT_FLAG, "opted_out")

_NOUN = (r"(group|club|choir|society|circle|meet\s?up|coffee\s+morning|lunch|luncheon|cafe|café|shed|walk|walks|natter|band|"
         r"class|classes|session|sessions|morning|afternoon|evening|social)")
_STARTED_NOUN = r"(group|club|choir|society|circle|meet\s?up|coffee\s+morning|lunch|luncheon|cafe|café|shed|walk|walks|natter|band)"
_OWN = r"(a|an|my|our|the|this|one)"
_SOME = r"(?:[\w'&-]+\s+){0,4}?"
_OFFERS = re.compile(
    # "I run a knitting group in Deal", "we run a lunch club", "i organise a coffee morning", "i help run a choir"
    r"\b(i|we)(\s*'?(m|re|ve)|\s+(am|are|have))?\s+(just\s+|also\s+|now\s+)?"
    r"(run|runs|running|organi[sz]e|organi[sz]ing|lead|host|hosting|co-?ordinate|help\s+(to\s+)?run)\s+" + _OWN + r"\s+" + _SOME + _NOUN + r"\b"
    # "we've started a walking group", "i have set up a lunch club" (not "started going to a class")
    r"|\b(i|we)(\s*'?(ve)|\s+(have))?\s+(just\s+|recently\s+)?(started|set\s+up|setup|founded)\s+" + _OWN + r"\s+" + _SOME + _STARTED_NOUN + r"\b"
    # "I'd like to start a group", "we want to add our lunch club" (not "I'd like to join a knitting group")
    r"|\b(i|we)\s*('?d|\s+would|\s+want|\s+wanna|\s+am\s+going|'?m\s+going|\s+need)\s+(like\s+|love\s+)?(to\s+)?"
    r"(start|set\s+up|add|list|register|advertise)\s+" + _OWN + r"\s+" + _SOME + _STARTED_NOUN + r"\b"
    # "how do I get my lunch club on your list", "can you put our choir in your directory"
    r"|\b(get|put|add|list|include|advertise)\s+(it|my|our|a|the|this)\b(\s+[\w'&-]+){0,5}?\s+(on|onto|to|in|into)\s+(your|the|this)\s+"
    r"(list|listings?|directory|website|site|service|database|system)\b"
    # "can you list it", "could you add our walking group" (with the group named: not "can you add my name to the group")
    r"|\b(can|could|would|will)\s+(you|u)\s+(please\s+)?(list|add|include|advertise|feature)\s+"
    r"(it|this|(my|our)\s+(?:[\w'&-]+\s+){0,2}?" + _NOUN + r")\b"
    # "add my group please", "my lunch club would like to be listed"
    r"|^\W*(please\s+)?(add|list|register)\s+(my|our)\s+" + _SOME + _NOUN + r"\b"
    r"|\b(my|our)\s+" + _SOME + _NOUN + r"\b.{0,40}\b(be\s+listed|on\s+your\s+list|in\s+your\s+directory)",
    re.IGNORECASE,
)
_A_GROUP = re.compile(r"\b" + _NOUN + r"\b", re.IGNORECASE)


@dataclass(frozen=True)
class GroupByText:
    """What to say: each text one message, in order (casework/texts.yml's words)."""

    outcome: str  # started | next (the next question) | again (the same, once more) | confirm | sent | left | help | web
    texts: tuple[str, ...]
    reference: str | None = None  # GP-12345, once sent


def offers_a_group(text: str) -> bool:
    """Someone telling us about a group they run (or want to add or start), in their own words; not someone
    looking for one ("I'd like to join a knitting group")."""
    found = _OFFERS.search(text or "")
    if found is None:
        return False
    # "can you list it" counts only beside a group ("I run a knitting group..., can you list it?").
    return bool(_A_GROUP.search(text)) if re.match(r"(can|could|would|will)\b", found.group(0), re.IGNORECASE) else True


def web_chat_reply(settings: Settings) -> GroupByText:
    return GroupByText("web", (render("group_text_web", link=f"{settings.public_base_url}/groups/new"),))


def _question(step: str, *, again: bool = False, answers: dict[str, str] | None = None) -> str:
    if step == "confirm":
        return render("group_text_confirm_again" if again else "group_text_confirm", summary=_summary(answers or {}))
    return render(f"group_text_{step}_again" if again and step in ("where", "when", "contact") else f"group_text_{step}")


def _summary(answers: dict[str, str]) -> str:
    parts = [answers.get("name", ""), answers.get("where_words", ""), answers.get("when_words", ""), answers.get("cost", "")]
    # Never the contact itself: a reply is kept in the clear (the inbound log), and a number never is.
    parts.append(render("group_text_summary_contact" if answers.get("contact") else "group_text_summary_no_contact"))
    return "; ".join(p[:45] for p in parts if p)


def _own_number(session: Session, sender_id: str, settings: Settings) -> str | None:
    sealed = session.scalars(select(Resident.phone_encrypted).where(Resident.sender_id == sender_id)).first()
    if not sealed:
        return None
    try:
        return normalise_uk_number(PhoneVault.for_settings(settings).open(sealed))
    except (InvalidToken, InvalidPhoneNumber):
        return None


def _seal(draft: GroupDraft, answers: dict[str, str], settings: Settings) -> None:
    draft.answers_encrypted = BodyVault.for_settings(settings).seal(json.dumps(answers, sort_keys=True))


def start_group_by_text(session: Session, *, sender_id: str, settings: Settings, now: datetime | None = None) -> GroupByText:
    """The first question (a draft of their own, made afresh if one was waiting)."""
    now = as_utc(now) or utcnow()
    if _own_number(session, sender_id, settings) is None:
        return web_chat_reply(settings)  # no number to hold them by: the form asks how to reach them
    session.execute(delete(GroupDraft).where(GroupDraft.sender_id == sender_id).execution_options(synchronize_session=False))
    draft = GroupDraft(sender_id=sender_id, step=STEPS[0], tries=0, started_at=now, asked_at=now)
    _seal(draft, {}, settings)
    session.add(draft)
    session.flush()
    return GroupByText("started", (render("group_text_start"),))


def _interrupted(session: Session, sender_id: str, message_id: str, asked_at: datetime) -> bool:
    messages = select(InboundMessage.id).where(InboundMessage.sender_id == sender_id, InboundMessage.received_at > asked_at,
                                               InboundMessage.message_id != message_id, InboundMessage.state.in_(_INTERRUPTED_STATES))
    flags = select(Flag.id).where(Flag.sender_id == sender_id, Flag.raised_at > asked_at, Flag.reason.in_(_INTERRUPTED_FLAGS),
                                  or_(Flag.message_id.is_(None), Flag.message_id != message_id))
    return any(session.scalars(query.limit(1)).first() is not None for query in (messages, flags))


def _drop(session: Session, draft: GroupDraft) -> None:
    session.delete(draft)
    session.flush()


def answer_group_by_text(session: Session, *, sender_id: str, message_id: str, text: str, settings: Settings,
                         now: datetime | None = None) -> GroupByText | None:
    """The reply to this message if it answers the question of a group being proposed by text; None when no
    draft waits (one index look-up) or it lapsed (see the module docstring): the message goes on as usual."""
    draft = session.scalars(select(GroupDraft).where(GroupDraft.sender_id == sender_id)).first()
    if draft is None:
        return None
    now = as_utc(now) or utcnow()
    asked_at = as_utc(draft.asked_at) or now
    if asked_at < now - DRAFT_VALID_FOR or _interrupted(session, sender_id, message_id, draft.asked_at) or is_opted_out(session, sender_id):
        _drop(session, draft)
        return None
    try:
        answers: dict[str, str] = json.loads(BodyVault.for_settings(settings).open(draft.answers_encrypted))
    except (InvalidToken, ValueError):
        _drop(session, draft)
        return None
    said = words_of(text)
    if said in LEAVE_WORDS:
        _drop(session, draft)
        return GroupByText("left", (render("group_text_left"),))
    if said in _HELP_WORDS:
        draft.asked_at = now
        return GroupByText("help", (render("group_text_help"), _question(draft.step, answers=answers)))
    typed = " ".join((text or "").split())
    if draft.step == "confirm":
        return _confirm(session, draft, answers, typed, settings, now)
    if not typed:
        return GroupByText("again", (_question(draft.step, answers=answers),))
    read = _read(draft.step, typed, answers, last_try=draft.tries > 0, own_number=_own_number(session, sender_id, settings))
    if not read:
        draft.tries, draft.asked_at = draft.tries + 1, now
        return GroupByText("again", (_question(draft.step, again=True, answers=answers),))
    step = STEPS[STEPS.index(draft.step) + 1]
    draft.step, draft.tries, draft.asked_at = step, 0, now
    _seal(draft, answers, settings)
    return GroupByText("confirm" if step == "confirm" else "next", (_question(step, answers=answers),))


def _read(step: str, typed: str, answers: dict[str, str], *, last_try: bool, own_number: str | None) -> bool:
    """Put this step's answer into `answers`; False when it is worth asking once more."""
    value = typed[:LENGTHS.get(step, 200)]
    if step == "where":
        where = read_where(value)
        if where is None and not last_try:
            return False
        answers["where_words"] = value
        if where is not None:
            answers.update(address=where.address, town=where.town, postcode=where.postcode, area=where.area or "")
        else:
            answers.update(address=value, town="", postcode="", area="")
        return True
    if step == "when":
        when = read_when(value)
        if when is None and not last_try:
            return False
        answers["when_words"] = value
        answers["when"] = json.dumps([list(when.days), when.frequency, when.week_of_month, when.start_time, when.end_time]) if when else ""
        return True
    if step == "contact":
        contact = read_contact(value, own_number=own_number)
        if contact is None and not last_try:
            return False
        answers["contact"] = contact or NO_CONTACT
        return True
    answers[step] = read_cost(value) if step == "cost" else value
    return True


def _listing(answers: dict[str, str]) -> GroupListing:
    when: list = json.loads(answers["when"]) if answers.get("when") else [[], "weekly", "", "", ""]
    about = answers.get("about", "")
    if not answers.get("when"):
        about = render("group_text_when_as_said", about=about, when=answers.get("when_words", ""))
    return GroupListing(name=answers.get("name", ""), description=about, venue="", address=answers.get("address", ""),
                        town=answers.get("town", ""), postcode=answers.get("postcode", ""), days=tuple(when[0]), frequency=when[1],
                        week_of_month=when[2], start_time=when[3], end_time=when[4], cost=answers.get("cost", ""),
                        contact=answers.get("contact", ""))


def _confirm(session: Session, draft: GroupDraft, answers: dict[str, str], typed: str, settings: Settings, now: datetime) -> GroupByText | None:
    said = yes_or_no(typed)
    if said == "no":
        _drop(session, draft)
        return GroupByText("left", (render("group_text_left"),))
    if said is None:
        if draft.tries:
            _drop(session, draft)  # twice not an answer: they have moved on, and the bot takes this one
            return None
        draft.tries, draft.asked_at = 1, now
        return GroupByText("again", (_question("confirm", again=True, answers=answers),))
    number = _own_number(session, draft.sender_id, settings)
    if number is None:
        _drop(session, draft)
        return web_chat_reply(settings)
    proposed = propose_group(session, listing=_listing(answers), proposer=Proposer(answers.get("proposer", ""), "organiser", national(number)),
                             settings=settings, actor=ACTOR, area=answers.get("area") or None, now=now)
    _drop(session, draft)
    return GroupByText("sent", (render("group_text_sent" if proposed.connector_told else "group_text_sent_nobody",
                                       reference=proposed.reference),), proposed.reference)
