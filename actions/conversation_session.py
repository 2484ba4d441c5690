"""Flat conversations: a long Rasa session is closed and the same conversation carries on in a new one.

Rasa's cost per turn grows with the session: RulePolicy featurizes every event of the session for
each prediction, the SQL tracker store reloads and parses every one of them each turn, and every
action call carries them all to the action server. Measured (bench/compare.py, 2026-12-06), one
resident's messages 191-200 took 4.2 times as long as messages 1-10 in one session, and Rasa's CPU a
turn went from 37 to 360 ms (README, "Performance").

So a session is kept short, with Rasa's own mechanisms:

1. When a turn ends outside any form in one of the actions that finish a step (a search, a
   refinement, more results, a group's details or the way there, a message read for a place, a
   finished sign-up or report) and the session already holds MESSAGES_PER_SESSION messages, the
   action asks for Rasa's session start next (`FollowupAction`, `new_session_when_long`). Rasa
   runs action_session_start as the turn's last action, as it does after 120 quiet minutes.
2. action_session_start (actions/remember.py) sees it was asked for (`asked_for`) and starts a
   session that carries the conversation on (`carried_over`):
   - every slot with a value: the place, the interest, `search_state` (its filters, what was shown
     and numbered, the one last talked about), what was remembered. This is Rasa's
     carry_over_slots, for this kind of session only: after 120 quiet minutes a session still starts
     afresh (bot/domain/structure.yml);
   - an outline of the last turn, without words: the resident said something (an empty message)
     and the bot answered with that action. Rasa counts its 120 quiet minutes from the latest
     message of the session, so without one a resident who texts next week would carry on last
     week's search; and the rules see a conversation under way, not a new one (a later "hello" is
     answered "Hello again!", not with the first greeting).

Rasa's SQL tracker store then reads only the events since the latest session start
(`SQLTrackerStore._event_query`), so the next turn loads one short session, not the conversation.
Every event stays stored: subject access and erasure read them all, and a replayed turn is found in
any session (channels/rasa_turns.py). A form never spans two sessions, so its question and answers
(and the report's first words, actions/open_report.py) stay together.

What this does not bound: a session of only small talk (greetings, thanks, help), which runs no
custom action, grows until the next step or 120 quiet minutes.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, FollowupAction, SessionStarted, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.slots import REQUESTED_SLOT

__all__ = ["MESSAGES_PER_SESSION", "SESSION_START", "asked_for", "carried_over", "messages_in_session", "new_session_when_long"]

SESSION_START = "action_session_start"
LISTEN = "action_listen"
# Messages 1-10 of a conversation are answered from a session of 1 to 10 messages; closing a session
# at the first step after 8 keeps every later turn's session within that (one extra action call, for
# the session start, every 8 or so messages rather than every search).
MESSAGES_PER_SESSION = 8
# Rasa's own slots: the form's question (none at the end of a step) and the channel's metadata of
# the session's first message.
NOT_CARRIED = frozenset({REQUESTED_SLOT, "session_started_metadata"})

ActionT = TypeVar("ActionT", bound=Action)
Run = Callable[[ActionT, CollectingDispatcher, Tracker, dict[str, Any]], Coroutine[Any, Any, list[EventType]]]


def messages_in_session(tracker: Tracker) -> int:
    """The resident's messages in the current session (the action server is sent that session only)."""
    return sum(1 for event in tracker.events if event.get("event") == "user")


def new_session_when_long(run: Run[ActionT]) -> Run[ActionT]:
    """For the run() of an action that finishes a step: its events, then a new session when the
    turn ends outside any form and the session holds MESSAGES_PER_SESSION messages."""

    @functools.wraps(run)
    async def run_then_maybe_a_new_session(self: ActionT, dispatcher: CollectingDispatcher, tracker: Tracker,
                                           domain: dict[str, Any]) -> list[EventType]:
        events = await run(self, dispatcher, tracker, domain)
        in_a_form = tracker.active_loop_name is not None or any(e.get("event") == "active_loop" for e in events)
        if in_a_form or messages_in_session(tracker) < MESSAGES_PER_SESSION:
            return events
        return [*events, FollowupAction(SESSION_START)]

    return run_then_maybe_a_new_session


def asked_for(tracker: Tracker) -> bool:
    """Whether this session start was asked for by the action before it (a step ending a long session),
    rather than by Rasa (a first message, 120 quiet minutes, or /session_start)."""
    for event in reversed(tracker.events):
        if event.get("event") == "followup":
            return event.get("name") == SESSION_START
        if event.get("event") in ("user", "action"):
            return False
    return False


def carried_over(tracker: Tracker) -> list[EventType]:
    """A new session going on with the conversation: every slot with a value, then the last turn in
    outline (an empty message answered by the action that ended it), listening."""
    slots = [SlotSet(name, value) for name, value in tracker.slots.items() if value is not None and name not in NOT_CARRIED]
    last_action = tracker.latest_action_name or LISTEN
    said = UserUttered(None, parse_data={"intent": {}, "entities": []}, input_channel=tracker.get_latest_input_channel())
    outline = [ActionExecuted(LISTEN), said, *([ActionExecuted(last_action)] if last_action != LISTEN else []), ActionExecuted(LISTEN)]
    return [SessionStarted(), *slots, *outline]
