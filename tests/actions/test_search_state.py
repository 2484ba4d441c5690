"""The search state kept between turns, and filters and numbers read out of a message."""
from __future__ import annotations

from datetime import date

import pytest

from actions.search_state import DAYS, Filters, SearchState, Shown, filters_in, number_in
from tests.actions.conftest import entity


def test_the_state_survives_the_slot_round_trip() -> None:
    shown = Shown(name="Knit and Natter", when="Tuesdays 1:30pm", where="The Hub (1.2 miles away)", cost="Free",
                  contact="0151 496 0000", description="Knitting and a natter.", distance_miles=1.2)
    state = SearchState(interest="knitting", place="Spital", filters=Filters(day="tuesday", free=True), within_miles=25.0,
                        shown=(shown,), listed=1, chosen=0, searched=True)
    assert SearchState.from_slot(state.to_slot()) == state


@pytest.mark.parametrize("junk", [None, "text", {"filters": {"nonsense": 1}, "shown": [{"name": "x"}]}, {"shown": "x"}])
def test_a_slot_it_cannot_read_starts_afresh(junk: object) -> None:
    state = SearchState.from_slot(junk)
    assert isinstance(state, SearchState)


def test_only_the_latest_results_are_kept_and_numbers_still_point_at_them() -> None:
    items = [Shown(f"group {n}", "", "", "", "", "", None) for n in range(1, 21)]
    state = SearchState().with_shown(items[:3]).with_shown(items[3:])
    assert len(state.shown) == 12 and state.listed == 20
    assert state.shown[state.pick(13)].name == "group 13"
    assert state.shown[state.pick(20)].name == "group 20"
    assert state.pick(2) is None and state.pick(21) is None  # no longer kept / never listed
    assert SearchState.from_slot(state.to_slot()) == state


@pytest.mark.parametrize(("entities", "text", "expected"), [
    ([entity("day", "thursday")], "what about thursdays", Filters(day="thursday")),
    ([entity("day", "tues")], "any on tues", Filters(day="tuesday")),
    ([entity("day", "tmrw")], "anything tmrw", Filters(day="tomorrow")),
    ([entity("day", "weekend")], "the weekend", Filters(day="weekend")),
    ([entity("time_of_day", "mornings")], "mornings", Filters(time_of_day="morning")),
    ([entity("filter", "free"), entity("filter", "closer")], "free and closer", Filters(free=True, closer=True)),
    ([entity("filter", "wheelchair")], "i use a wheelchair", Filters(step_free=True)),
    ([entity("filter", "drop_in")], "can i just turn up", Filters(drop_in=True)),
    ([], "thats too far for me", Filters(closer=True)),
    ([], "i cant do stairs", Filters(step_free=True)),
    ([], "do i have to book", Filters(drop_in=True)),
    ([], "tell me more", Filters()),
])
def test_filters_in_a_message(entities: list, text: str, expected: Filters) -> None:
    assert filters_in(entities, text) == expected


def _said(text: str, value: str, kind: str = "day") -> list[dict]:
    start = text.lower().index(value.lower())
    return [{"entity": kind, "value": value, "start": start, "end": start + len(value)}]


@pytest.mark.parametrize(("text", "value", "kind", "meant"), [
    ("My week is the hairdresser on Tuesday and my nephew on Sunday and that's it. I'd love a cup of tea and a chat.", "Sunday", "day", False),
    ("I'm 88. My son visits sundays but the rest of the week I only see the carer. I would like a lunch club.", "sundays", "day", False),
    ("I visit her every day but the evenings are very lonely. I like darts.", "evenings", "time_of_day", False),
    ("I went to the market on Saturday. Anything for knitting in Deal?", "Saturday", "day", False),
    ("Is there anything on a Sunday? Sundays are the worst. I'm in Herne Bay", "Sunday", "day", True),
    ("Fridays are best for me. Any singing in Deal?", "Fridays", "day", True),
    ("Money is tight. Anything free on a Monday in Margate?", "Monday", "day", True),
    ("knitting on thursdays in wallasey", "thursdays", "day", True),  # one sentence: as said
])
def test_a_day_said_in_passing_in_a_long_message_is_no_filter(text: str, value: str, kind: str, meant: bool) -> None:
    filters = filters_in(_said(text, value, kind), text)
    assert (filters.day or filters.time_of_day) is not None if meant else (filters.day, filters.time_of_day) == (None, None)


def test_newer_filters_replace_the_day_and_add_the_rest() -> None:
    merged = Filters(day="monday", free=True).merged(Filters(day="friday", step_free=True))
    assert merged == Filters(day="friday", free=True, step_free=True)


@pytest.mark.parametrize(("entities", "text", "expected"), [
    ([entity("number", "2")], "tell me about 2", 2),
    ([entity("number", "two")], "number two", 2),
    ([entity("number", "last")], "the last one", "last"),
    ([], "3", 3),
    ([], "how do i get there from ch44 5tn", None),
    ([], "send me the details", None),
])
def test_which_result_a_message_points_at(entities: list, text: str, expected: object) -> None:
    assert number_in(entities, text) == expected


def test_weekend_today_and_tomorrow_become_weekdays() -> None:
    wednesday = date(2026, 12, 2)
    assert Filters(day="weekend").weekdays(wednesday) == ["saturday", "sunday"]
    assert Filters(day="today").weekdays(wednesday) == ["wednesday"]
    assert Filters(day="tomorrow").weekdays(date(2026, 12, 6)) == ["monday"]
    assert Filters().weekdays(wednesday) == [None]


@pytest.mark.parametrize(("text", "days", "excluded"), [
    ("Any day except Wednesday. Is there a choir in Deal?", ["Wednesday"], ("wednesday",)),
    ("bowls in hythe but not on a monday", ["monday"], ("monday",)),
    ("I can't do Fridays, anything for knitting in Margate", ["Fridays"], ("friday",)),
    ("Thursdays are no good for me. Walking group in Deal?", ["Thursdays"], ("thursday",)),
    ("I see my daughter Mondays and Fridays so any other day suits. Crafts in Whitstable?", ["Mondays", "Fridays"],
     ("monday", "friday")),
    ("any bingo in wallasey, not mondays or tuesdays", ["mondays", "tuesdays"], ("monday", "tuesday")),
])
def test_a_day_they_cannot_do_is_left_out_not_asked_for(text: str, days: list[str], excluded: tuple[str, ...]) -> None:
    entities = [e for day in days for e in _said(text, day)]
    filters = filters_in(entities, text)
    assert filters.not_days == excluded and filters.day is None
    assert filters.weekdays(date(2026, 12, 2)) == [d for d in DAYS if d not in excluded]


@pytest.mark.parametrize(("text", "day"), [
    ("Fridays are best for me. Any singing in Deal?", "friday"),
    ("monday is my only free day, any craft groups in herne bay", "monday"),
    ("anything but expensive on a saturday in deal", "saturday"),
])
def test_a_day_they_can_do_is_still_asked_for(text: str, day: str) -> None:
    word = next(w for w in text.replace(",", " ").split() if w.lower().startswith(day[:3]))
    filters = filters_in(_said(text, word), text)
    assert filters.day == day and filters.not_days == ()


def test_a_day_asked_for_later_is_no_longer_left_out_and_the_state_keeps_them() -> None:
    cannot = Filters(not_days=("tuesday", "thursday"), free=True)
    assert cannot.merged(Filters(day="tuesday")) == Filters(day="tuesday", not_days=("thursday",), free=True)
    assert Filters(day="friday").merged(Filters(not_days=("friday",))) == Filters(not_days=("friday",))
    state = SearchState(interest="walking", place="Deal", filters=cannot)
    assert SearchState.from_slot(state.to_slot()) == state


@pytest.mark.parametrize(("text", "free"), [
    ("anything free in deal", True),
    ("free knitting groups on a wednesday", True),
    ("free on tuesdays and skint, knitting", True),
    # time to spare, not a price (blind28's tune half)
    ("Weds pm free. birchington. something with a cuppa", False),
    ("im free on tuesdays, any knitting", False),
    ("mornings are free for me, walking in deal", False),
])
def test_free_is_a_price_not_time_to_spare(text: str, free: bool) -> None:
    assert filters_in([], text).free is free
