"""Moving around the last results (actions/refine_search.py): action_refine_search ("anything free?",
"what about thursdays", "anything closer?") and action_more_results ("more"), on the state a real
search of the sample directory left."""
from __future__ import annotations

import pytest

from actions.refine_search import ActionMoreResults, ActionRefineSearch
from tests.actions.conftest import entity, matches, searched
from tests.actions.conftest import run_on_results as run


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
    state = searched("games", "Wallasey")
    _, free = run(ActionRefineSearch(), {"search_state": state.to_slot()}, "free ones", [entity("filter", "free")])
    assert free is not None and free.filters.free
    # The sample's games clubs near Wallasey on Wednesdays all charge: "free" was asked before, so it goes.
    messages, after = run(ActionRefineSearch(), {"search_state": free.to_slot()}, "what about wednesdays", [entity("day", "wednesday")])
    assert messages[0]["response"] == "utter_filtered_none_nearest"
    assert messages[0]["filters"] == "free, on Wednesdays" and messages[0]["dropped"] == "free"
    assert after is not None and after.filters.day == "wednesday" and not after.filters.free
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


