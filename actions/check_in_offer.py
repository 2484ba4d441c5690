"""After an activity's details: offer to text the resident the day after its next session ("did you
go?"). The rules are casework's (casework.follow_ups.check_ins.offer_follow_up: SMS only, not opted out, a date
the directory gives, not again soon after a no); this module finds the date and records the offer."""
from __future__ import annotations

import asyncio
from datetime import datetime

from rasa_sdk import Tracker

from actions.database import sessions, settings
from actions.search_state import SearchState, Shown
from casework.conversation.inbound import BodyVault
from casework.follow_ups.check_ins import Offer, check_in_hours, offer_follow_up
from casework.models import utcnow
from directory.meetings import next_meeting

__all__ = ["check_in_question"]


async def check_in_question(tracker: Tracker, state: SearchState, item: Shown) -> tuple[str, dict[str, str]] | None:
    """Record the offer when one may be made, and return the question to ask (response, values)."""
    if not tracker.sender_id.startswith("sms:") or not item.service_id:
        return None
    offer = await asyncio.get_running_loop().run_in_executor(None, _offer, tracker.sender_id, state, item)
    return ("utter_offer_follow_up", {"name": offer.name, "day": offer.day}) if offer is not None else None


def _offer(sender_id: str, state: SearchState, item: Shown) -> Offer | None:
    configured = settings()
    now = utcnow()
    local_now = now.astimezone(check_in_hours(configured).texting.zone).replace(tzinfo=None)
    with sessions().begin() as session:
        meeting = next_meeting(session, item.service_id or "", datetime.combine(local_now.date(), local_now.time()))
        if meeting is None:
            return None
        return offer_follow_up(session, sender_id=sender_id, activity_id=item.service_id or "", activity_name=item.name,
                               interest=state.interest, place=state.place, vault=BodyVault.for_settings(configured),
                               starts=meeting.starts, ends=meeting.ends, settings=configured, now=now)
