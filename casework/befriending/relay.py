"""A text to a befriending number, passed on to the other side of the sender's match.

The sender is found by their keyed hash (the intake's sender id) and the match by (the number they
texted, the sender): `casework.befriending.matches.find_live`. Then:
- END ends the match for them (`end_by_text`), and the connector is told;
- a text the safety screen answered as a crisis (the door has already given its numbers and opened its
  case, as anywhere else) is *held*: recorded, not passed on (a connector is on it, not the volunteer);
- anything else is passed on through the outbox, from the match's own number, with the sender's first
  name ("Margaret: ..."), in texting hours (CHECK_IN_HOURS: at night it waits for the morning, and the
  sender is told so), a phone number in it taken out; a worrying pattern (casework.befriending.worries)
  is flagged, and the connector told at once.
A sender with no live match there is told so, without saying whose number it is.

The words go only into the outbox row (sealed: casework.outbox.messages.RELAY). Runs in the door's
transaction; plain values out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from casework.befriending.matches import end_match, find_live, names, tell_connector
from casework.befriending.tables import BefriendingMatch, BefriendingText
from casework.befriending.worries import without_numbers, worry_in
from casework.cases import audit
from casework.follow_ups.check_ins import check_in_hours
from casework.outbox.messages import MAX_SMS_BODY, RELAY, enqueue_sms
from casework.residents.flags import raise_flag
from casework.texts import render
from service.settings import Settings

__all__ = ["Relayed", "relay_text", "end_by_text"]

# A text that goes within this long is "now": no "it goes in the morning" note for the sender.
SOON = timedelta(minutes=1)


@dataclass(frozen=True)
class Relayed:
    outcome: str  # relayed | later (relayed, goes when texting hours open) | held | ended | no_match | not_live
    reply: str | None  # what to answer the sender, if anything (casework/texts.yml's words)


def _not_live(session: Session, *, number: str, sender_id: str) -> Relayed:
    """No live match here: one that ended, or none at all (said the same way whoever texts: no number, no name)."""
    ended = session.scalars(select(BefriendingMatch.id).where(
        BefriendingMatch.number == number, BefriendingMatch.state == "ended",
        or_(BefriendingMatch.resident_sender_id == sender_id, BefriendingMatch.volunteer_sender_id == sender_id)).limit(1)).first()
    return Relayed("not_live", render("relay_ended")) if ended is not None else Relayed("no_match", render("relay_no_match"))


def relay_text(session: Session, *, number: str, sender_id: str, message_id: str, text: str, settings: Settings, now: datetime,
               held: bool = False) -> Relayed:
    """Pass one text on (see the module docstring); `held`: the safety screen answered it as a crisis."""
    found = find_live(session, number=number, sender_id=sender_id)
    if found is None:
        return _not_live(session, number=number, sender_id=sender_id)
    match, side = found
    if held:
        session.add(BefriendingText(match_id=match.id, from_side=side, message_id=message_id, outcome="held", created_at=now))
        audit.record(session, actor="intake", action="befriending_text_held", case_reference=match.reference, at=now,
                     detail=f"from the {side}: answered as a crisis, not passed on")
        return Relayed("held", None)
    resident, helper = names(session, match, settings, unnamed="relay_unnamed")
    name, to = (resident, match.volunteer_sender_id) if side == "resident" else (helper, match.resident_sender_id)
    worry = worry_in(text)
    body = render("relay_body", name=name, text=without_numbers(text))[:MAX_SMS_BODY]
    texting = check_in_hours(settings).texting
    sends_at = texting.next_open(now)
    valid_for = (texting.open_until(sends_at) or sends_at) - sends_at
    outbox_id = enqueue_sms(session, sender_id=to, body=body, purpose=RELAY, settings=settings, not_before=sends_at,
                            valid_for=valid_for, from_number=match.number)
    session.add(BefriendingText(match_id=match.id, from_side=side, message_id=message_id, outbox_id=outbox_id, outcome="relayed",
                                worry=worry, created_at=now))
    if worry is not None:
        raise_flag(session, sender_id=sender_id, reason=f"befriending_{worry}", source="befriending", message_id=message_id)
        tell_connector(session, match, "match_worry_sms", settings=settings, now=now, priority="high", side=side,
                       worry=render(f"match_worry_{worry}"))
        audit.record(session, actor="intake", action="befriending_worry", case_reference=match.reference, at=now,
                     detail=f"a text from the {side}: {worry}")
    later = sends_at > now + SOON
    return Relayed("later" if later else "relayed", render("relay_later") if later else None)


def end_by_text(session: Session, *, number: str, sender_id: str, message_id: str, settings: Settings, now: datetime) -> Relayed:
    """END to a match's number: the match ends for this side, and the connector is told."""
    found = find_live(session, number=number, sender_id=sender_id)
    if found is None:
        return _not_live(session, number=number, sender_id=sender_id)
    match, side = found
    session.add(BefriendingText(match_id=match.id, from_side=side, message_id=message_id, outcome="ended", created_at=now))
    end_match(session, match, by=side, settings=settings, now=now, actor="intake")
    return Relayed("ended", render("relay_end_reply"))
