"""Remembering an SMS resident's last search between conversations (casework.residents.memory), in the bot:

- `remember_question`: after an activity's details, "Shall I remember you like singing near
  Heswall...? Reply 1 for yes or 2 for no." (the intake reads the answer; after a check-in's offer the
  intake asks it itself, casework.residents.memory.offer_to_remember);
- `remember_search`: a new search by a resident who agreed replaces what is remembered;
- action_session_start: a new conversation of a resident who agreed starts with their area in `place`
  (so "any walking groups?" searches there without asking) and what they looked for last time in
  `remembered_interest` / `remembered_place`, with `returning` set for the greeting's rule;
- action_greet_returning: "Welcome back! Last time you were looking for..." with "1" (a button: the
  SMS renderer numbers it) searching it again.

SMS only (casework.residents.memory checks the sender): web chat is anonymous and over within a day. The
database is asked on a thread (the action server is one event loop); if it is unavailable the
conversation goes on as if nothing were remembered.
"""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.conversation_session import asked_for, carried_over
from actions.database import sessions, settings
from actions.slots import INTEREST, PLACE, REMEMBERED_INTEREST, REMEMBERED_PLACE, RETURNING
from casework.conversation.inbound import BodyVault
from casework.residents.identity import SMS_PREFIX
from casework.residents.memory import Remembered, offer_to_remember, remembered, update_memory

__all__ = ["remember_question", "remember_search", "ActionSessionStart", "ActionGreetReturning", "search_again_payload"]

logger = logging.getLogger(__name__)


def _vault() -> BodyVault:
    return BodyVault.for_settings(settings())


def _offer(sender_id: str, interest: str, place: str) -> bool:
    with sessions().begin() as session:
        return offer_to_remember(session, sender_id=sender_id, interest=interest, place=place, vault=_vault())


def _update(sender_id: str, interest: str, place: str) -> bool:
    with sessions().begin() as session:
        return update_memory(session, sender_id=sender_id, interest=interest, place=place, vault=_vault())


def _remembered(sender_id: str) -> Remembered | None:
    with sessions().begin() as session:
        return remembered(session, sender_id, _vault())


async def remember_question(tracker: Tracker, interest: str | None, place: str | None) -> tuple[str, dict[str, str]] | None:
    """ "Shall I remember...?" when casework says to ask it (an SMS resident, asked once): the question is
    recorded and returned (response, values) for the caller to say; None when it is not to be asked."""
    if not tracker.sender_id.startswith(SMS_PREFIX) or not interest or not place:
        return None
    try:
        asked = await asyncio.get_running_loop().run_in_executor(None, _offer, tracker.sender_id, interest, place)
    except SQLAlchemyError:
        logger.exception("the offer to remember a search could not be recorded; not asked")
        return None
    return ("utter_offer_remember", {"interest": interest, "place": place}) if asked else None


async def remember_search(tracker: Tracker, interest: str | None, place: str | None) -> None:
    """A new search replaces what a resident who agreed has remembered ("change it" is searching again)."""
    if not tracker.sender_id.startswith(SMS_PREFIX) or not interest or not place:
        return
    try:
        await asyncio.get_running_loop().run_in_executor(None, _update, tracker.sender_id, interest, place)
    except SQLAlchemyError:
        logger.exception("a remembered search could not be updated")


def search_again_payload(interest: str, place: str) -> str:
    """The intent the greeting's "1" sends: the same search, both slots filled (entities of the message)."""
    return "/search_activities" + json.dumps({INTEREST: interest, PLACE: place})


class ActionSessionStart(Action):
    """A new session. Rasa's (a first message, or after 120 minutes of quiet, bot/domain/structure.yml):
    slots are not carried over, but what a resident agreed to have remembered is set again. Or one
    asked for by a step that ended a long session (actions/conversation_session.py): the same
    conversation going on, every slot carried over."""

    def name(self) -> str:
        return "action_session_start"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        if asked_for(tracker):
            return carried_over(tracker)
        events: list[EventType] = [SessionStarted()]
        memory = None
        if tracker.sender_id.startswith(SMS_PREFIX):
            try:
                memory = await asyncio.get_running_loop().run_in_executor(None, _remembered, tracker.sender_id)
            except SQLAlchemyError:
                logger.exception("what a resident agreed to have remembered could not be read; starting afresh")
        if memory is not None:
            events += [SlotSet(PLACE, memory.place), SlotSet(REMEMBERED_INTEREST, memory.interest),
                       SlotSet(REMEMBERED_PLACE, memory.place), SlotSet(RETURNING, True)]
        events.append(ActionExecuted("action_listen"))
        return events


class ActionGreetReturning(Action):
    """ "hi" from a resident we remember: last time's search, to look again with "1", or something new."""

    def name(self) -> str:
        return "action_greet_returning"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        interest, place = tracker.get_slot(REMEMBERED_INTEREST), tracker.get_slot(REMEMBERED_PLACE)
        if not interest or not place:
            dispatcher.utter_message(response="utter_greet_again")
            return []
        dispatcher.utter_message(response="utter_greet_returning", interest=interest, place=place,
                                 buttons=[{"title": "the same search", "payload": search_again_payload(interest, place)}])
        return []
