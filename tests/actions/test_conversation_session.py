"""Flat conversations (actions/conversation_session.py): a step that ends a long session asks for Rasa's
session start, and that session start carries the conversation on; Rasa's own (a first message, 120
quiet minutes) still starts afresh. Trackers built inline, as the action server receives them (the
current session's events only). The same with the trained model and Rasa's stores:
tests/conversations/test_long_conversations.py."""
from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, FollowupAction, SessionStarted, SlotSet, UserUttered
from rasa_sdk.executor import CollectingDispatcher

from actions.activity_details import ActionDirections
from actions.conversation_session import MESSAGES_PER_SESSION, asked_for, carried_over
from actions.refine_search import ActionRefineSearch
from actions.remember import ActionSessionStart
from actions.search_state import Filters, SearchState, Shown

pytestmark = pytest.mark.usefixtures("sms_keys")

SHOWN = tuple(
    Shown(name=name, when="Thursdays 10am", where=f"{name} Hall, CH60 0AA (0.{n} miles away)", cost="Free", contact="0151 496 0000",
          description="Friendly singing.", distance_miles=n / 10, service_id=f"svc-{n}")
    for n, name in enumerate(("Sing for Joy", "Silver Voices Choir", "Heswall Harmonies"), start=1)
)
STATE = SearchState(interest="singing", place="Heswall", filters=Filters(day="thursday"), searched=True, shown=SHOWN, listed=3, chosen=1)
SLOTS: dict[str, Any] = {"interest": "singing", "place": "Heswall", "search_state": STATE.to_slot(), "returning": None,
                         "remembered_interest": None, "remembered_place": None, "requested_slot": None, "session_started_metadata": None}


def turn(text: str, *, action: str = "action_directions") -> list[dict[str, Any]]:
    """One earlier turn of the session as Rasa records it: the message, the action, listening again."""
    return [{"event": "user", "text": text, "parse_data": {"intent": {"name": "inform"}, "entities": []}, "input_channel": "sms"},
            {"event": "action", "name": action}, {"event": "action", "name": "action_listen"}]


def session_of(messages: int, *, active_loop: str | None = None, after: list[dict[str, Any]] | None = None,
               latest_action: str = "action_listen", slots: dict[str, Any] | None = None) -> Tracker:
    """A session holding `messages` messages from the resident, the latest "how do i get there"."""
    events: list[dict[str, Any]] = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"},
                                    {"event": "action", "name": "action_listen"}]
    for n in range(messages - 1):
        events += turn(f"message {n}")
    latest = {"text": "how do i get there", "intent": {"name": "directions"}, "entities": []}
    events.append({"event": "user", "text": latest["text"], "parse_data": latest, "input_channel": "sms"})
    return Tracker(sender_id="sms:flat", slots=SLOTS if slots is None else slots, latest_message=latest, events=events + (after or []),
                   paused=False, followup_action=None, active_loop={"name": active_loop} if active_loop else {},
                   latest_action_name=latest_action)


def directions(tracker: Tracker) -> list[dict[str, Any]]:
    return asyncio.run(ActionDirections().run(CollectingDispatcher(), tracker, {}))


def test_a_step_that_ends_a_long_session_asks_for_a_new_one() -> None:
    events = directions(session_of(MESSAGES_PER_SESSION))
    assert events[-1] == FollowupAction("action_session_start")
    assert events[:-1] == [SlotSet("search_state", STATE.to_slot())], "the step's own events first, unchanged"


def test_a_short_session_goes_on_as_it_is() -> None:
    assert FollowupAction("action_session_start") not in directions(session_of(MESSAGES_PER_SESSION - 1))


def test_a_form_never_spans_two_sessions() -> None:
    # "how do i get there" while the search form asks where: the form's question and its answer stay together.
    assert FollowupAction("action_session_start") not in directions(session_of(3 * MESSAGES_PER_SESSION, active_loop="activity_search_form"))


def test_every_path_of_a_step_may_end_the_session() -> None:
    """"what about thursdays" with no day the bot can read still ends the step (and so may the session)."""
    dispatcher = CollectingDispatcher()
    tracker = session_of(MESSAGES_PER_SESSION)
    tracker.latest_message = {"text": "hmm", "intent": {"name": "refine_search"}, "entities": []}
    events = asyncio.run(ActionRefineSearch().run(dispatcher, tracker, {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_search_again"]
    assert events == [FollowupAction("action_session_start")]


def asked(latest_action: str = "action_directions", slots: dict[str, Any] | None = None) -> Tracker:
    """The tracker action_session_start gets when a step asked for it: the step's events, then the request."""
    return session_of(MESSAGES_PER_SESSION, latest_action=latest_action, slots=slots, after=[
        {"event": "action", "name": latest_action}, {"event": "slot", "name": "search_state", "value": STATE.to_slot()},
        {"event": "followup", "name": "action_session_start"}])


def start(tracker: Tracker) -> list[dict[str, Any]]:
    return asyncio.run(ActionSessionStart().run(CollectingDispatcher(), tracker, {}))


def test_the_new_session_carries_every_slot_and_the_last_turn_in_outline() -> None:
    events = start(asked())
    assert events == [
        SessionStarted(),
        SlotSet("interest", "singing"), SlotSet("place", "Heswall"), SlotSet("search_state", STATE.to_slot()),
        # The last turn without its words: Rasa's 120 quiet minutes count from this message, and the
        # rules see a conversation under way.
        ActionExecuted("action_listen"),
        UserUttered(None, parse_data={"intent": {}, "entities": []}, input_channel="sms"),
        ActionExecuted("action_directions"),
        ActionExecuted("action_listen"),
    ]
    carried = SearchState.from_slot(next(e["value"] for e in events if e.get("name") == "search_state"))
    assert carried == STATE, "the filters, what was shown and numbered, the one last talked about: all of it"


def test_a_remembered_search_and_an_sms_residents_welcome_are_carried_like_any_slot() -> None:
    slots = {**SLOTS, "remembered_interest": "singing", "remembered_place": "Heswall", "returning": True}
    events = start(asked(slots=slots))
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"} == {
        "interest": "singing", "place": "Heswall", "search_state": STATE.to_slot(),
        "remembered_interest": "singing", "remembered_place": "Heswall", "returning": True}


def test_rasas_own_session_start_still_starts_afresh() -> None:
    """A first message, 120 quiet minutes or /session_start: nothing carried over (what a resident agreed
    to have remembered aside, tests/actions/test_remember.py)."""
    later = session_of(MESSAGES_PER_SESSION, after=[{"event": "action", "name": "action_directions"},
                                                    {"event": "action", "name": "action_listen"}])
    assert not asked_for(later)
    assert start(later) == [SessionStarted(), ActionExecuted("action_listen")]
    # A request from an earlier turn is not this one's: the resident spoke since.
    assert not asked_for(session_of(2, after=[{"event": "followup", "name": "action_session_start"},
                                              {"event": "action", "name": "action_session_start"}, {"event": "user", "text": "hi"}]))


def test_after_a_step_with_no_action_before_it_the_outline_is_the_message_alone() -> None:
    events = carried_over(asked(latest_action="action_listen"))
    assert [e["event"] for e in events[-3:]] == ["action", "user", "action"]
