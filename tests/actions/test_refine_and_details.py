"""Moving around the last results: filters, more, one of them by number, how to get there."""
from __future__ import annotations

import asyncio
from datetime import date

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.activity_details import ActionActivityDetails, ActionDirections
from actions.refine_search import ActionMoreResults, ActionRefineSearch
from actions.search_activities import ActionSearchActivities
from actions.search_state import SearchState, Shown
from channels.responses import domain_responses
from tests.actions.conftest import entity, tracker

DOMAIN = {"responses": domain_responses()}


def run(action, slots: dict, text: str = "", entities: list | None = None, intent: str = "inform") -> tuple[list[dict], SearchState | None]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots, text, entities, intent=intent, active_loop=None), DOMAIN))
    states = [e["value"] for e in events if e["name"] == "search_state"]
    return dispatcher.messages, SearchState.from_slot(states[-1]) if states else None


def searched(interest: str, place: str) -> SearchState:
    _, state = run(ActionSearchActivities(), {"interest": interest, "place": place})
    assert state is not None
    return state


def matches(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m["response"] == "utter_activity_match"]


def test_anything_free_narrows_the_last_search() -> None:
    state = searched("crafts", "Wallasey")
    messages, after = run(ActionRefineSearch(), {"search_state": state.to_slot()}, "anything free?", [entity("filter", "free")])
    assert messages[0]["response"] == "utter_searching_filtered" and messages[0]["filters"] == "free"
    assert matches(messages) and all(m["cost"] == "Free" for m in matches(messages))
    assert after is not None and after.filters.free and after.interest == "crafts"


def test_a_refinement_without_a_tagged_word_is_still_understood() -> None:
    state = searched("crafts", "Wallasey")
    messages, after = run(ActionRefineSearch(), {"search_state": state.to_slot()}, "i cant afford to pay")
    assert after is not None and after.filters.free


def test_another_day_replaces_the_day_and_keeps_the_rest() -> None:
    state = searched("coffee morning", "Wallasey")
    _, free = run(ActionRefineSearch(), {"search_state": state.to_slot()}, "free ones", [entity("filter", "free")])
    assert free is not None and free.filters.free
    said, monday = run(ActionRefineSearch(), {"search_state": free.to_slot()}, "mondays?", [entity("day", "monday")])
    assert monday is not None and monday.filters.day == "monday"
    assert_free_kept_or_said_dropped(said, monday.filters.free)
    messages, friday = run(ActionRefineSearch(), {"search_state": monday.to_slot()}, "what about fridays", [entity("day", "friday")])
    assert friday is not None and friday.filters.day == "friday", "Monday is replaced"
    if monday.filters.free:
        assert_free_kept_or_said_dropped(messages, friday.filters.free)
    else:
        assert messages[0]["filters"] == "on Fridays" and not friday.filters.free


def assert_free_kept_or_said_dropped(messages: list[dict], kept: bool) -> None:
    """A filter carried over is kept, or dropped only where nothing strong was found with it, and then said."""
    if kept:
        assert messages[0]["response"] == "utter_searching_filtered" and "free" in messages[0]["filters"]
    else:
        assert messages[0]["response"] == "utter_filtered_none_nearest" and messages[0]["dropped"] == "free"


def test_nothing_found_keeps_the_last_results_to_refine_from() -> None:
    state = searched("singing", "Heswall")
    messages, after = run(ActionRefineSearch(), {"search_state": state.to_slot()}, "free ones", [entity("filter", "free")])
    assert [m["response"] for m in messages] == ["utter_refine_no_results"] and messages[0]["filters"] == "free"
    assert after == state  # "what about thursdays" next starts from the singing groups shown


def test_a_refinement_that_finds_nothing_drops_the_earlier_filter_and_says_so() -> None:
    state = searched("knitting", "Wallasey")
    _, free = run(ActionRefineSearch(), {"search_state": state.to_slot()}, "free ones", [entity("filter", "free")])
    assert free is not None and free.filters.free
    # The sample's knitting groups near Wallasey on Thursdays all charge: "free" was asked before, so it goes.
    messages, after = run(ActionRefineSearch(), {"search_state": free.to_slot()}, "what about thursdays", [entity("day", "thursday")])
    assert messages[0]["response"] == "utter_filtered_none_nearest"
    assert messages[0]["filters"] == "free, on Thursdays" and messages[0]["dropped"] == "free"
    assert after is not None and after.filters.day == "thursday" and not after.filters.free
    assert matches(messages) and all(m["cost"] != "Free" for m in matches(messages))


def test_closer_means_nearer_than_anything_shown() -> None:
    state = searched("walking", "Wallasey")
    nearest = min(s.distance_miles for s in state.shown if s.distance_miles is not None)
    messages, after = run(ActionRefineSearch(), {"search_state": state.to_slot()}, "anything closer?", [entity("filter", "closer")])
    if after is not None and after != state:
        assert all(m.distance_miles is not None and m.distance_miles < nearest for m in after.shown), (nearest, after.shown)
    else:
        assert messages[0]["response"] == "utter_refine_no_results"


def test_time_of_day_and_step_free() -> None:
    state = searched("exercise", "Wallasey")
    messages, after = run(ActionRefineSearch(), {"search_state": state.to_slot()}, "mornings, i use a wheelchair",
                          [entity("time_of_day", "morning"), entity("filter", "wheelchair")])
    assert after is not None and after.filters.time_of_day == "morning" and after.filters.step_free
    for match in matches(messages):
        assert "am" in match["when"] or "arranged" in match["when"]


def test_refining_before_any_search_asks_what_and_where() -> None:
    messages, after = run(ActionRefineSearch(), {}, "anything free?", [entity("filter", "free")])
    assert [m["response"] for m in messages] == ["utter_search_first"] and after is None


def test_more_carries_on_the_numbering_until_there_are_no_more() -> None:
    state = searched("bowls", "Wallasey")
    seen = [(s.name, s.where) for s in state.shown]
    for _ in range(6):
        messages, after = run(ActionMoreResults(), {"search_state": state.to_slot()}, "more")
        if after is None:
            assert [m["response"] for m in messages] == ["utter_no_more_results"]
            break
        assert messages[0]["response"] == "utter_searching_more"
        assert [m["number"] for m in matches(messages)] == [str(len(seen) + i) for i in range(1, len(matches(messages)) + 1)]
        assert not {(m["name"], m["where"]) for m in matches(messages)} & set(seen)
        seen += [(m["name"], m["where"]) for m in matches(messages)]
        state = after
    else:
        pytest.fail("MORE never ran out")
    assert len(seen) > 3


def test_more_before_any_search() -> None:
    messages, _ = run(ActionMoreResults(), {}, "more")
    assert [m["response"] for m in messages] == ["utter_nothing_listed"]


def test_tell_me_about_2_and_then_how_to_get_there() -> None:
    state = searched("singing", "Heswall")
    messages, after = run(ActionActivityDetails(), {"search_state": state.to_slot()}, "tell me about 2", [entity("number", "2")])
    [details] = messages
    assert details["response"] == "utter_activity_details" and details["name"] == state.shown[1].name
    assert details["description"] and details["contact"]
    assert after is not None and after.chosen == 1
    # "how do i get there" means the one just described.
    messages, _ = run(ActionDirections(), {"search_state": after.to_slot()}, "how do i get there")
    assert messages[0]["response"] == "utter_activity_directions" and messages[0]["name"] == state.shown[1].name
    assert "miles away" in messages[0]["where"] or "close by" in messages[0]["where"]


@pytest.mark.parametrize(("text", "entities", "index"), [
    ("send me the details", [], 0),
    ("the second one", [entity("number", "2")], 1),
    ("the last one", [entity("number", "last")], -1),
    ("3", [], 2),
    ("number two", [entity("number", "two")], 1),
])
def test_which_one_they_mean(text: str, entities: list, index: int) -> None:
    state = searched("walking", "Wallasey")
    messages, _ = run(ActionActivityDetails(), {"search_state": state.to_slot()}, text, entities)
    assert messages[0]["name"] == state.shown[index].name


def test_a_number_that_was_not_listed() -> None:
    state = searched("walking", "Wallasey")
    messages, after = run(ActionActivityDetails(), {"search_state": state.to_slot()}, "tell me about 7", [entity("number", "7")])
    assert [m["response"] for m in messages] == ["utter_which_number"] and messages[0]["count"] == str(len(state.shown))
    assert after is None


def test_details_before_any_search() -> None:
    messages, _ = run(ActionDirections(), {}, "how do i get there")
    assert [m["response"] for m in messages] == ["utter_nothing_listed"]


def test_something_done_by_phone_needs_no_travel() -> None:
    remote = Shown(name="Friendly Call", when="At a time to suit you", where="By phone", cost="Free",
                   contact="0151 496 0999", description="A weekly call.", distance_miles=None)
    state = SearchState(interest="befriending", place="Wallasey", shown=(remote,), searched=True)
    messages, _ = run(ActionDirections(), {"search_state": state.to_slot()}, "how do i get there")
    assert messages[0]["response"] == "utter_activity_no_travel"


def test_weekend_today_and_tomorrow_become_weekdays() -> None:
    from actions.search_state import Filters

    wednesday = date(2026, 12, 2)
    assert Filters(day="weekend").weekdays(wednesday) == ["saturday", "sunday"]
    assert Filters(day="today").weekdays(wednesday) == ["wednesday"]
    assert Filters(day="tomorrow").weekdays(date(2026, 12, 6)) == ["monday"]
    assert Filters().weekdays(wednesday) == [None]
