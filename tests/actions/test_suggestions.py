"""Pages of suggestions and how they are said (actions/suggestions.py), against the sample directory in
a real SQLite database: how far a page looks, numbering, the domain's words, and what is recorded as
suggested (for the outcomes dashboard): one row per activity shown, to the resident's pseudonym, never
the words; nothing when nothing was found."""
from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import database
from actions.search_activities import ActionSearchActivities
from actions.search_state import Filters, SearchState, Shown
from actions.suggestions import (
    CLOSER_MILES,
    MATCHES_SHOWN,
    Page,
    closer_than,
    filter_words,
    find_page,
    find_welcoming,
    record_page,
    shorter,
    things_named,
    utter_page,
    words,
)
from casework.outcomes.models import Suggestion
from directory import UnknownPlace
from directory.models import Service
from tests.actions.conftest import copy_of, real_domain, tracker


@pytest.fixture
def directory_url(sample_directory_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A fresh copy of the sample directory for this test alone (it counts every suggestion recorded)."""
    url = copy_of(sample_directory_file, tmp_path)
    monkeypatch.setenv("DATABASE_URL", url)
    database.sessions.cache_clear()
    yield url
    database.sessions.cache_clear()


def search(sender_id: str, interest: str) -> CollectingDispatcher:
    dispatcher = CollectingDispatcher()
    tracker = Tracker(sender_id=sender_id, slots={"interest": interest, "place": "CH44 5TN"},
                      latest_message={"text": interest, "entities": [], "intent": {"name": "inform", "confidence": 1.0}},
                      events=[], paused=False, followup_action=None, active_loop={}, latest_action_name="action_listen")
    asyncio.run(ActionSearchActivities().run(dispatcher, tracker, {}))
    return dispatcher


def test_each_activity_shown_is_recorded_as_suggested_to_the_resident(directory_url: str) -> None:
    said = search("sms:suggested-to", "walking")
    shown = [m["name"] for m in said.messages if m["response"] == "utter_activity_match"]
    assert shown
    # Nothing like it near: the friendly groups offered instead are what is recorded for that resident.
    instead = search("sms:nothing-like-it", "underwater basket weaving")
    offered = [m["name"] for m in instead.messages if m["response"] == "utter_activity_match"]
    assert instead.messages[0]["response"] == "utter_welcoming_instead" and offered
    with database.sessions()() as session:
        rows = session.execute(select(Suggestion.sender_id, Service.name).join(Service, Service.id == Suggestion.activity_id)).all()
    assert sorted(name for sender, name in rows if sender == "sms:suggested-to") == sorted(shown)
    assert sorted(name for sender, name in rows if sender == "sms:nothing-like-it") == sorted(offered)
    assert {sender for sender, _ in rows} == {"sms:suggested-to", "sms:nothing-like-it"}


def suggested_to(sender_id: str) -> list[str]:
    with database.sessions()() as session:
        return sorted(session.scalars(select(Suggestion.activity_id).where(Suggestion.sender_id == sender_id)))


def test_a_page_is_three_matches_and_the_next_page_carries_on_without_repeating() -> None:
    state = SearchState(interest="walking", place="Wallasey", searched=True)
    first = find_page(state, first=0)
    second = find_page(state, first=MATCHES_SHOWN)
    assert len(first.matches) == MATCHES_SHOWN and second.matches
    assert not {m.service_id for m in first.matches} & {m.service_id for m in second.matches}
    assert (first.within_miles, first.further) == (None, False), "the directory's usual radius"


def test_two_things_named_each_get_their_best_group_on_the_first_page() -> None:
    """ "bingo n bowls in new brighton" (blind8's tune half): the nearer bowls clubs filled the page before any bingo."""
    both = find_page(SearchState(interest="bingo and bowls", place="New Brighton", searched=True), first=0)
    bingo = find_page(SearchState(interest="bingo", place="New Brighton", searched=True), first=0)
    bowls = find_page(SearchState(interest="bowls", place="New Brighton", searched=True), first=0)
    assert [m.service_id for m in both.matches[:2]] == [bingo.matches[0].service_id, bowls.matches[0].service_id]
    assert things_named("bingo and bowls") == ["bingo", "bowls"]
    assert things_named("art class + coffee morning") == ["art class", "coffee morning"]
    assert things_named("knit and natter") == ["knit and natter"], "one thing, with an and in its name"
    assert things_named("chess and scrabble") == ["chess and scrabble"], "two games are one kind of thing"


def test_a_page_found_for_a_resident_is_recorded_as_suggested_to_them_and_only_that_page() -> None:
    state = SearchState(interest="singing", place="Heswall", searched=True)
    page = find_page(state, first=0, sender_id="sms:page-reader")
    assert page.matches
    assert suggested_to("sms:page-reader") == sorted(m.service_id for m in page.matches)
    find_page(state, first=0)  # no sender: nothing recorded
    record_page(page, None)
    record_page(Page([], None, further=False), "sms:page-reader")
    assert suggested_to("sms:page-reader") == sorted(m.service_id for m in page.matches)
    record_page(page, "sms:later")  # a page found without a sender, recorded afterwards
    assert suggested_to("sms:later") == sorted(m.service_id for m in page.matches)


def test_closer_is_asked_within_three_miles_and_a_place_nobody_knows_is_an_error() -> None:
    closer = find_page(SearchState(interest="walking", place="Wallasey", filters=Filters(closer=True), searched=True), first=0)
    assert closer.within_miles == CLOSER_MILES
    assert all(m.distance_miles is not None and m.distance_miles <= CLOSER_MILES for m in closer.matches)
    with pytest.raises(UnknownPlace):
        find_page(SearchState(interest="walking", place="Atlantis", searched=True), first=0)


def test_welcoming_groups_are_of_different_kinds_and_recorded() -> None:
    page = find_welcoming(SearchState(place="Birkenhead"), sender_id="sms:welcomed")
    assert len(page.matches) == 3 and len({m.name for m in page.matches}) == 3
    assert (page.within_miles, page.further) == (None, False)
    assert suggested_to("sms:welcomed") == sorted(m.service_id for m in page.matches)


@pytest.mark.parametrize(("distances", "within"), [
    ((2.0, 0.5), 0.45),  # just inside the nearest shown
    ((5.0, 4.0), CLOSER_MILES),  # everything shown is further than the usual "closer"
    ((None,), CLOSER_MILES),  # only groups by phone: distance says nothing
    ((0.02,), 0.0),
])
def test_closer_than_what_was_shown(distances: tuple[float | None, ...], within: float) -> None:
    shown = tuple(Shown(f"group {i}", "", "", "", "", "", miles) for i, miles in enumerate(distances))
    assert closer_than(SearchState(shown=shown)) == pytest.approx(within)


def test_a_page_is_uttered_numbered_from_where_the_last_left_off() -> None:
    page = find_page(SearchState(interest="walking", place="Wallasey", searched=True), first=0)
    dispatcher = CollectingDispatcher()
    listed = utter_page(dispatcher, tracker({}, channel="sms", sender_id="sms:x"), real_domain(), page, first_number=4)
    assert [m["number"] for m in dispatcher.messages] == ["4", "5", "6"]
    assert [m["response"] for m in dispatcher.messages] == ["utter_activity_match"] * 3
    assert [s.service_id for s in listed] == [m.service_id for m in page.matches]
    for said, match in zip(dispatcher.messages, page.matches, strict=True):
        # A text lists the postcode only; the venue is one "tell me about" away (kept in what was shown).
        assert said["postcode_and_how_far"] == match.postcode_and_how_far and said["where"] == match.where_and_how_far


def test_words_are_the_channels_variant_else_the_plain_one() -> None:
    domain = {"responses": {"utter_x": [{"text": "for the web"}, {"channel": "sms", "text": "for a text"}],
                            "utter_only_sms": [{"channel": "sms", "text": "texted"}]}}
    assert words(domain, "utter_x", "sms") == "for a text"
    assert words(domain, "utter_x", "webchat") == words(domain, "utter_x") == "for the web"
    assert words(domain, "utter_only_sms", "webchat") == "texted"
    assert words(domain, "utter_missing", "sms") == ""


@pytest.mark.parametrize(("filters", "channel", "said"), [
    (Filters(free=True, day="thursday", time_of_day="morning"), "webchat", "free, on Thursdays, in the morning"),
    (Filters(free=True, day="thursday", time_of_day="morning"), "sms", "free, on Thursdays, mornings"),
    (Filters(step_free=True, drop_in=True, closer=True, day="weekend"), "sms", "step-free, drop-in, closer, at weekends"),
    (Filters(), "sms", ""),
])
def test_filters_are_said_in_the_domains_words(filters: Filters, channel: str, said: str) -> None:
    assert filter_words(filters, real_domain(), channel) == said


def test_today_is_said_as_its_weekday() -> None:
    today = Filters(day="today").weekdays(date.today())[0] or ""
    assert filter_words(Filters(day="today"), real_domain(), "sms") == f"on {today.title()}s"


@pytest.mark.parametrize(("description", "limit", "cut"), [
    ("A weekly walk.", 100, "A weekly walk."),
    ("A gentle walk along the promenade every week. Tea after at the cafe on the corner.", 60,
     "A gentle walk along the promenade every week."),  # whole sentences where it can
    ("Walk. A very long second sentence that goes on and on", 30, "Walk. A very long second..."),  # else whole words
    ("Anything at all", 0, ""),  # no room: nothing rather than a stub
])
def test_a_description_is_shortened_to_whole_sentences_or_words(description: str, limit: int, cut: str) -> None:
    assert shorter(description, limit) == cut
