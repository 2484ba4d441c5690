"""A first text read by meaning where the model found no interest (issue 15): its place and its wish,
open requests, a filter that finds nothing, and a search for someone else. Against the sample
directory in a real SQLite database, with the real sentence encoder."""
from __future__ import annotations

import asyncio

from rasa_sdk.executor import CollectingDispatcher

from actions.activity_details import ActionActivityDetails
from actions.search_activities import ActionAskInterest, ActionReadWish, ActionSearchActivities
from actions.search_state import SearchState
from actions.validate_search_form import ValidateActivitySearchForm
from actions.wish import for_whom, is_open, said_interest, wish_in, words_to_match
from channels.responses import domain_responses
from tests.actions.conftest import entity, tracker

DOMAIN = {"responses": domain_responses()}


def run(action, slots: dict, text: str, entities: list | None = None, intent: str = "nlu_fallback",
        active_loop: str | None = None) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots, text, entities, intent=intent, active_loop=active_loop), DOMAIN))
    return dispatcher.messages, events


def responses(messages: list[dict]) -> list[str]:
    return [m["response"] for m in messages]


def slot(events: list[dict], name: str) -> object:
    return next((e["value"] for e in reversed(events) if e.get("name") == name), None)


def test_an_unclassified_text_naming_a_place_is_searched_by_meaning_not_sorry() -> None:
    messages, events = run(ActionReadWish(), {}, "growing veg with other people would be lovely, i live in wallasey")
    assert "utter_default" not in responses(messages)
    assert responses(messages)[0] == "utter_searching_for" and messages[0]["interest"] == "gardening"
    assert slot(events, "place") == "Wallasey"
    names = [m["name"] for m in messages if m["response"] == "utter_activity_match"]
    assert names and any("Garden" in n or "Allotment" in n or "Grow" in n for n in names), names


def test_an_unclassified_text_without_a_place_still_gets_the_fallback() -> None:
    messages, events = run(ActionReadWish(), {}, "flibbertigibbet")
    assert responses(messages) == ["utter_default"] and events == []


def test_out_of_scope_with_an_interest_and_a_place_is_a_search_and_without_one_is_not() -> None:
    messages, _ = run(ActionReadWish(), {}, "HELLO I WOULD LIKE TO PLAY BOWLS IN DEAL PLEASE THANK YOU", intent="out_of_scope")
    assert responses(messages)[0] == "utter_searching_for"
    messages, _ = run(ActionReadWish(), {}, "can you get me a taxi in deal", intent="out_of_scope")
    assert responses(messages) == ["utter_out_of_scope"]


def test_an_open_request_gets_welcoming_groups_of_different_kinds_then_the_question() -> None:
    messages, events = run(ActionReadWish(), {}, "whats on in Birkenhead")
    assert responses(messages)[0] == "utter_welcoming_groups" and responses(messages)[-1] == "utter_welcoming_or_tell_me"
    shown = [m for m in messages if m["response"] == "utter_activity_match"]
    assert len(shown) == 3 and len({m["name"] for m in shown}) == 3
    state = SearchState.from_slot(slot(events, "search_state"))
    assert state.place == "Birkenhead" and len(state.shown) == 3, "a number then tells them about one"


def test_the_forms_question_shows_welcoming_groups_once_when_the_place_is_known() -> None:
    messages, _ = run(ActionAskInterest(), {"place": "Deal"}, "just moved to deal", intent="need_new_to_area")
    assert responses(messages)[0] == "utter_welcoming_groups"
    searched = SearchState(place="Deal", searched=True).to_slot()
    messages, _ = run(ActionAskInterest(), {"place": "Deal", "search_state": searched}, "hmm")
    assert responses(messages) == ["utter_ask_interest"]
    messages, _ = run(ActionAskInterest(), {}, "hello")
    assert responses(messages) == ["utter_ask_interest"]


def test_a_number_before_anything_was_listed_that_names_a_place_is_a_search() -> None:
    messages, _ = run(ActionActivityDetails(), {}, "hi what can i do round CT9 2", [entity("number", "2")], intent="activity_details")
    assert responses(messages)[0] == "utter_welcoming_groups"


def test_the_form_takes_a_first_texts_own_words_when_a_group_fits_them() -> None:
    form = ValidateActivitySearchForm()
    text = "a good old knees up round Liscard"  # no word the interest map knows
    dispatcher = CollectingDispatcher()
    found = asyncio.run(form.extract_interest(dispatcher, tracker({}, text, [entity("place", "Liscard")], intent="inform",
                                                                       active_loop="activity_search_form"), DOMAIN))
    assert found == {"interest": "a good old knees up"}
    nothing = asyncio.run(form.extract_interest(dispatcher, tracker({}, "hello im in liscard", [entity("place", "Liscard")],
                                                                         intent="inform", active_loop="activity_search_form"), DOMAIN))
    assert nothing == {}


def test_a_filter_that_finds_nothing_offers_the_closest_without_it() -> None:
    dispatcher = CollectingDispatcher()
    from actions.search_activities import show_first_page
    from actions.search_state import Filters

    asked = SearchState(interest="tea dance", place="Neston", filters=Filters(day="wednesday"), searched=True)
    events = asyncio.run(show_first_page(dispatcher, tracker({}, "a tea dance in neston on a wednesday", intent="inform",
                                                             active_loop=None), DOMAIN, asked, previous=None))
    said = responses(dispatcher.messages)
    assert said[0] == "utter_filtered_none_nearest" and dispatcher.messages[0]["filters"] == "on Wednesdays"
    assert dispatcher.messages[0]["dropped"] == "on Wednesdays"
    assert "utter_activity_match" in said
    after = SearchState.from_slot(slot(events, "search_state"))
    assert not after.filters.any(), "the search goes on without the filter that found nothing"


def test_a_search_for_someone_else_is_worded_for_them() -> None:
    messages, _ = run(ActionSearchActivities(), {"interest": "tea dance", "place": "New Brighton"},
                      "me nan lives in new brighton, she loves a tea dance", intent="inform")
    assert messages[0]["response"] == "utter_searching_for_someone" and messages[0]["who"] == "your nan"


def test_reading_the_wish() -> None:
    assert wish_in("Hiya, bowls CH45 3NH please") == "bowls"
    assert wish_in("a good old knees up round Liscard") == "a good old knees up"
    assert is_open(wish_in("whats on in Birkenhead")) and is_open(wish_in("just moved to Herne Bay, dont know a soul"))
    assert not is_open(wish_in("choir CT5?"))
    assert words_to_match("is there somewhere people get together to talk about books") == "together talk books"
    assert said_interest("knitting") == "knitting"
    assert said_interest("i used to love growing my own vegetables and flowers") == "gardening"
    assert for_whom("my dad would love a shed in moreton") == "your dad"
    assert for_whom("since my wife passed i'd like a lunch club") is None
    assert for_whom("I care for my husband and need a carers group for me") is None
