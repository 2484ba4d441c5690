"""The search actions (actions/search_activities.py): action_search_activities, action_new_search,
action_note_filters, action_read_wish (a message read without the model: its place and wish) and
action_ask_interest, with trackers built inline, against a real SQLite database holding the sample
directory (tests/actions/conftest.py) and the real sentence encoder."""
from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import database
from actions.search_activities import (
    ActionAskInterest,
    ActionNewSearch,
    ActionNoteFilters,
    ActionReadWish,
    ActionSearchActivities,
    show_first_page,
)
from actions.search_state import Filters, SearchState
from directory import import_source
from tests.actions.conftest import entity, real_domain, tracker

DOMAIN = real_domain()


def run_search(slots: dict, text: str = "", entities: list | None = None, domain: dict | None = None,
               channel: str = "webchat") -> tuple[list[dict], list]:
    dispatcher = CollectingDispatcher()
    domain = domain or DOMAIN
    events = asyncio.run(ActionSearchActivities().run(dispatcher, tracker(slots, text, entities, channel=channel), domain))
    return dispatcher.messages, events


def state_of(events: list) -> SearchState:
    [event] = [e for e in events if e["name"] == "search_state"]
    return SearchState.from_slot(event["value"])


def run(action, slots: dict, text: str, entities: list | None = None, intent: str = "nlu_fallback",
        active_loop: str | None = None) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker(slots, text, entities, intent=intent, active_loop=active_loop), DOMAIN))
    return dispatcher.messages, events


def responses(messages: list[dict]) -> list[str]:
    return [m["response"] for m in messages]


def slot(events: list[dict], name: str) -> object:
    return next((e["value"] for e in reversed(events) if e.get("name") == name), None)


def test_search_utters_up_to_three_numbered_matches_and_keeps_them() -> None:
    messages, events = run_search({"interest": "walking", "place": "CH44 5TN"})
    names = [m["response"] for m in messages]
    assert names[0] == "utter_searching_for"
    assert names[-1] == "utter_search_again"
    matches = [m for m in messages if m["response"] == "utter_activity_match"]
    assert 1 <= len(matches) <= 3
    assert [m["number"] for m in matches] == [str(i) for i in range(1, len(matches) + 1)]
    for match in matches:
        assert all(match[k] for k in ("name", "when", "where", "cost", "contact"))
    state = state_of(events)
    # The interest is kept, so "no i meant Wallasey" searches walking again.
    assert all(e["name"] != "interest" for e in events)
    assert state.searched and state.interest == "walking" and [s.name for s in state.shown] == [m["name"] for m in matches]


def test_a_first_search_with_nothing_like_it_nearby_says_so_and_offers_friendly_groups() -> None:
    messages, _ = run_search({"interest": "underwater basket weaving", "place": "CH44 5TN"})
    responses = [m["response"] for m in messages]
    assert responses[0] == "utter_welcoming_instead" and responses[-1] == "utter_welcoming_or_tell_me"
    assert 1 <= responses.count("utter_activity_match") <= 3


def test_a_first_search_where_nothing_at_all_is_near_says_so() -> None:
    messages, _ = run_search({"interest": "underwater basket weaving", "place": "TR19 7AA"})
    assert [m["response"] for m in messages] == ["utter_search_no_results"]
    assert messages[0]["interest"] == "underwater basket weaving"


def test_filters_in_the_first_text_are_used_at_once() -> None:
    said = "any singing on thursdays nr heswall"
    messages, events = run_search({"interest": "singing", "place": "Heswall"}, said, [entity("day", "thursday")])
    assert messages[0]["response"] == "utter_searching_filtered" and messages[0]["filters"] == "on Thursdays"
    assert all("Thursday" in m["when"] for m in messages if m["response"] == "utter_activity_match")
    assert state_of(events).filters == Filters(day="thursday")


def test_a_corrected_place_keeps_the_filters_and_a_new_interest_drops_them() -> None:
    before = SearchState(interest="walking", place="Margate", filters=Filters(free=True), searched=True).to_slot()
    _, moved = run_search({"interest": "walking", "place": "Wallasey", "search_state": before}, "no i meant wallasey")
    assert state_of(moved).filters == Filters(free=True)
    _, changed = run_search({"interest": "singing", "place": "Margate", "search_state": before}, "actually singing")
    assert state_of(changed).filters == Filters()


def test_filters_noted_while_the_form_asked_apply_to_its_search() -> None:
    dispatcher = CollectingDispatcher()
    noted = asyncio.run(ActionNoteFilters().run(dispatcher, tracker({}, "free ones please", [entity("filter", "free")]), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_filters_noted"]
    slot = SearchState.from_slot(noted[0]["value"])
    assert slot.filters.free and slot.noted
    messages, events = run_search({"interest": "walking", "place": "CH44 5TN", "search_state": slot.to_slot()}, "ch44 5tn")
    assert messages[0]["response"] == "utter_searching_filtered"
    assert all(m["cost"] == "Free" for m in messages if m["response"] == "utter_activity_match")
    assert not state_of(events).noted


def test_a_place_the_directory_cannot_find_is_asked_again() -> None:
    messages, events = run_search({"interest": "walking", "place": "Atlantis"})
    assert [m["response"] for m in messages] == ["utter_place_not_found"]
    assert events == [SlotSet("place", None)]


def test_nothing_close_by_looks_further_and_says_so() -> None:
    # The sample's Kent groups are in East Kent: nothing within the usual radius of Maidstone.
    messages, events = run_search({"interest": "walking", "place": "Maidstone"})
    assert messages[0]["response"] == "utter_searching_further"
    matches = [m for m in messages if m["response"] == "utter_activity_match"]
    assert matches and all("miles away)" in m["where"] for m in matches)
    assert state_of(events).within_miles == 25.0  # MORE keeps looking as far


def test_each_match_says_how_far_away_it_is() -> None:
    messages, _ = run_search({"interest": "walking", "place": "CH44 5TN"})
    matches = [m for m in messages if m["response"] == "utter_activity_match"]
    assert all(re.search(r"\((very close by|[\d.]+ miles? away)\)$", m["where"]) for m in matches)


def test_missing_details_are_filled_with_the_domains_words_for_the_channel(tmp_path: Path) -> None:
    # A real group from a spreadsheet that gives only its name, activity and postcode.
    sheet = tmp_path / "bare.csv"
    sheet.write_text("name,activity,postcode\nOrigami Circle,origami,CH44 5TN\n")
    with database.sessions().begin() as session:
        import_source(session, str(sheet), progress=False)
    domain = {"responses": {"utter_when_unknown": [{"text": "Ask them when"}, {"channel": "sms", "text": "Ask when"}],
                            "utter_cost_unknown": [{"text": "Ask cost"}], "utter_contact_unknown": [{"text": "ask us"}]}}
    web, _ = run_search({"interest": "origami", "place": "CH44 5TN"}, domain=domain)
    sms, _ = run_search({"interest": "origami", "place": "CH44 5TN"}, domain=domain, channel="sms")
    match = next(m for m in web if m["response"] == "utter_activity_match")
    assert match["name"] == "Origami Circle"
    assert (match["when"], match["cost"], match["contact"]) == ("Ask them when", "Ask cost", "ask us")
    assert next(m for m in sms if m["response"] == "utter_activity_match")["when"] == "Ask when"


@pytest.mark.parametrize(("text", "intent", "entities", "cleared"), [
    ("whats on near me", "search_activities", [], True),
    ("any singing groups", "search_activities", [entity("interest", "singing")], False),
    ("i'm lonely", "need_company", [], False),
    ("yes please", "affirm", [], True),
])
def test_a_new_search_asks_afresh_unless_the_message_says_what(text: str, intent: str, entities: list, cleared: bool) -> None:
    events = asyncio.run(ActionNewSearch().run(CollectingDispatcher(), tracker({"interest": "walking"}, text, entities, intent=intent), {}))
    assert (events == [SlotSet("interest", None)]) is cleared


def test_a_first_answer_by_text_mostly_fits_one_reply() -> None:
    """Three suggestions and the question after them, as SMS, within the reply's three segments
    (the rest would wait for MORE): measured on the held-out first texts' interests and places."""
    import yaml

    from channels.responses import render_response
    from channels.sms_render import render_for_sms
    from service.settings import ROOT

    cases = yaml.safe_load((ROOT / "tests" / "conversations" / "first_texts.yml").read_text())["first_texts"]
    fits = 0
    for case in cases:
        messages, _ = run_search({"interest": case["interest"], "place": case["place"]}, channel="sms")
        texts = [{"text": render_response(m["response"], channel="sms", values={k: v for k, v in m.items() if k != "response"})}
                 for m in messages]
        fits += not render_for_sms(texts, budget=3).more
    assert fits >= 0.9 * len(cases)


def test_an_unclassified_text_naming_a_place_is_searched_by_meaning_not_sorry() -> None:
    messages, events = run(ActionReadWish(), {}, "growing veg with other people would be lovely, i live in wallasey")
    assert "utter_default" not in responses(messages)
    assert responses(messages)[0] == "utter_searching_for" and messages[0]["interest"] == "gardening"
    assert slot(events, "place") == "Wallasey"
    names = [m["name"] for m in messages if m["response"] == "utter_activity_match"]
    assert names and any("Garden" in n or "Allotment" in n or "Grow" in n for n in names), names


def test_a_text_naming_several_things_is_searched_for_the_one_the_model_marked() -> None:
    """ "mornings only as i take tablets that knock me out after dinner. coffee morning in moreton?" (blind15's tune half):
    the word map also reads dinner (lunch) and tablets (computers); the model marked the coffee morning."""
    text = "mornings only as i take tablets that knock me out after dinner. coffee morning in moreton?"
    marks = [entity("interest", "coffee morning", "coffee morning", text.index("coffee")), entity("place", "Moreton", "moreton", text.index("moreton"))]
    messages, _ = run(ActionReadWish(), {}, text, marks)
    assert responses(messages)[0] == "utter_searching_for" and messages[0]["interest"] == "coffee morning"
    names = [m["name"] for m in messages if m["response"] == "utter_activity_match"]
    assert names and "Coffee Morning" in names[0], names
    # part of a thing marked is not the thing: "walking" of "walking football"
    football = "Walking football Birkenhead? Knees are shot but I miss the game"
    part = [entity("interest", "walking", "Walking", 0), entity("place", "Birkenhead", "Birkenhead", football.index("Birkenhead"))]
    messages, _ = run(ActionReadWish(), {}, football, part)
    assert messages[0]["interest"] != "walking"


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


def test_a_story_that_means_only_company_is_an_open_request() -> None:
    """blind17's tune half: a story naming nothing to do, whose nearest interest by meaning is company, gets welcoming groups
    near them, not "nothing for social close to Margate" and groups eleven miles off."""
    messages, _ = run(ActionReadWish(), {}, "65 and just retired off the buses. Wife says get out from under her feet. Margate")
    assert responses(messages)[0] == "utter_welcoming_groups" and responses(messages)[-1] == "utter_welcoming_or_tell_me"
    # a story that means volunteering is a wish of its own
    messages, _ = run(ActionReadWish(), {}, "Got time on my hands and two good hands, want to give something back. Ashford")
    assert responses(messages)[0] != "utter_welcoming_groups"


def test_a_group_that_is_what_was_asked_a_bit_further_beats_a_mention_nearby() -> None:
    """blind17's tune half: the ukulele group 11 miles from Deal, not a seated exercise class 8 miles away that mentions music."""
    messages, _ = run_search({"interest": "ukulele", "place": "Deal"})
    assert messages[0]["response"] == "utter_searching_further"
    first = next(m for m in messages if m["response"] == "utter_activity_match")
    assert first["name"].startswith("Strum Along")


def test_the_forms_question_shows_welcoming_groups_once_when_the_place_is_known() -> None:
    messages, _ = run(ActionAskInterest(), {"place": "Deal"}, "just moved to deal", intent="need_new_to_area")
    assert responses(messages)[0] == "utter_welcoming_groups"
    searched = SearchState(place="Deal", searched=True).to_slot()
    messages, _ = run(ActionAskInterest(), {"place": "Deal", "search_state": searched}, "hmm")
    assert responses(messages) == ["utter_ask_interest"]
    messages, _ = run(ActionAskInterest(), {}, "hello")
    assert responses(messages) == ["utter_ask_interest"]


def test_a_filter_that_finds_nothing_offers_the_closest_without_it() -> None:
    dispatcher = CollectingDispatcher()
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




def test_days_they_cannot_do_are_left_out_said_and_kept() -> None:
    said = "a walking group near ch44 5tn, but not on a tuesday"  # two of the three nearest walk on Tuesdays
    day = entity("day", "tuesday", "tuesday", said.index("tuesday"))
    messages, events = run_search({"interest": "walking", "place": "CH44 5TN"}, said, [day])
    assert messages[0]["filters"] == "not on Tuesdays"
    matches = [m for m in messages if m["response"] == "utter_activity_match"]
    assert matches and not any("Tuesday" in m["when"] for m in matches)
    assert state_of(events).filters == Filters(not_days=("tuesday",))


@pytest.mark.parametrize("text", [
    "my husband had a stroke and his speech is affected, any stroke groups? we're in Deal",
    "dad has COPD and gets breathless, is there a group for people with lung problems in Deal",
])
def test_a_condition_group_the_directory_lacks_is_said_before_the_friendly_groups(text: str) -> None:
    """Issue 15: no such group near there is said first, then friendly groups anyone can go to."""
    messages, _ = run(ActionAskInterest(), {"place": "Deal"}, text)
    assert responses(messages)[0] == "utter_welcoming_instead"
    # company alone names nothing in particular: the open request's welcome
    messages, _ = run(ActionAskInterest(), {"place": "Deal"}, "I'm lonely and could do with some company, I live in Deal")
    assert responses(messages)[0] == "utter_welcoming_groups"


@pytest.mark.parametrize("text", [
    "anything going in margate over xmas day im on my own this year",
    "Harvest supper anywhere round Faversham? Church or village hall, don't mind which",
    "bank hol monday anything on in n brighton",
])
def test_a_day_in_the_years_calendar_is_said_to_be_no_listed_event_before_the_groups(text: str) -> None:
    """blind25's tune half: the directory lists groups that meet through the year, so a Christmas Day, a harvest supper or a
    bank holiday asked for is told that first, then the groups found (whatever kind), not a Tuesday coffee morning passed off
    as the day's event."""
    messages, _ = run(ActionReadWish(), {}, text)
    said = responses(messages)
    assert said[0] == "utter_occasion_not_listed" and "utter_activity_match" in said, said
    assert messages[0]["occasion"] in ("Christmas Day", "a harvest supper", "bank holidays")


def test_an_ordinary_search_says_nothing_of_occasions() -> None:
    messages, _ = run(ActionReadWish(), {}, "whats on in Birkenhead on a saturday")
    assert "utter_occasion_not_listed" not in responses(messages)
    messages, _ = run_search({"interest": "walking", "place": "CH44 5TN"}, text="walking near CH44 5TN")
    assert "utter_occasion_not_listed" not in responses(messages)


@pytest.mark.parametrize(("text", "occasion"), [
    ("whats on over easter in canterbry for an old man on his tod", "easter"),
    ("Is there a summer fete in Broadstairs this year, or any in the villages round about?", "fete"),
    ("Something for Boxing Day? My family go to the in laws. Ashford or Kennington", "boxing_day"),
    ("Bonfire night or fireworks, anything in Deal?", "bonfire_night"),
    ("a christmas lunch for pensioners in deal?", "christmas"),
    ("new years eve on my own again, anything in ramsgate", "new_year"),
    ("May Day or spring bank holiday things in Folkstone", "bank_holiday"),
    ("knitting in Eastry please", None),  # Eastry is not Easter
    ("I'd like to start something in the new year, crafts maybe", None),
    ("my dog hates fireworks so something quiet indoors", None),
    ("Christmas was hard this year, any bereavement groups?", None),
])
def test_which_occasion_a_text_names(text: str, occasion: str | None) -> None:
    from actions.occasion import occasion_in

    assert occasion_in(text) == occasion


def test_groups_of_another_kind_are_said_to_be_so() -> None:
    """blind26's and blind27's tune halves: "trips" near Woodchurch found ramblers and a garden by what is near trips, headed
    "For trips near Woodchurch:"; swimming near Bidston found tai chi. Nothing of the kind asked is said first; a search that
    finds the kind keeps its heading."""
    messages, _ = run_search({"interest": "swimming", "place": "Bidston"}, text="swimming Bidston?")
    assert responses(messages)[0] == "utter_searching_other_kinds" and "utter_activity_match" in responses(messages)
    # one sport is not another: golf found walking football (blind25's first run)
    messages, _ = run_search({"interest": "golf", "place": "Hoylake"}, text="golf near Hoylake")
    assert responses(messages)[0] == "utter_searching_other_kinds"
    messages, _ = run_search({"interest": "walking football", "place": "Hoylake"}, text="walking football near Hoylake")
    assert responses(messages)[0] != "utter_searching_other_kinds"
    messages, _ = run_search({"interest": "walking", "place": "Woodchurch"}, text="walking in Woodchurch")
    assert responses(messages)[0] == "utter_searching_for"


def test_an_occasion_with_nothing_to_do_named_gets_whats_on_there() -> None:
    messages, _ = run(ActionReadWish(), {}, "Is there a summer fete in Broadstairs this year? Love a tombola")
    assert responses(messages)[:2] == ["utter_occasion_not_listed", "utter_welcoming_groups"]


def test_asking_whats_on_near_a_landmark_the_model_thought_out_of_scope_gets_whats_on() -> None:
    """blind28's tune half: "Sorry, I can't help with that" to a text that named Broadstairs and asked what was on."""
    text = "can you tell me whats on near the Westwood Cross shopping centre, i live in Broadstairs but get the bus there"
    messages, _ = run(ActionReadWish(), {}, text, intent="out_of_scope")
    assert responses(messages)[0] == "utter_welcoming_groups"
    messages, _ = run(ActionReadWish(), {}, "can you book me a taxi in broadstairs", intent="out_of_scope")
    assert responses(messages) == ["utter_out_of_scope"]
