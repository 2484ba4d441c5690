"""The search actions with trackers built inline, against a real SQLite database holding the sample directory."""
from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import database
from actions.search_activities import ActionSearchActivities
from actions.validate_search_form import ValidateActivitySearchForm
from directory import import_source, load_sample_if_empty
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine


@pytest.fixture(scope="module")
def sample_directory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('actions')) / 'app.db'}"
    engine = make_engine(url)
    upgrade_engine(engine)
    with make_sessionmaker(engine).begin() as session:
        assert load_sample_if_empty(session) > 0
    engine.dispose()
    yield url


@pytest.fixture(autouse=True)
def action_database(sample_directory: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", sample_directory)
    database.sessions.cache_clear()
    yield
    database.sessions.cache_clear()


def tracker(slots: dict[str, Any], text: str = "", entities: list[dict[str, Any]] | None = None) -> Tracker:
    return Tracker(
        sender_id="test:actions",
        slots=slots,
        latest_message={"text": text, "entities": entities or [], "intent": {"name": "inform", "confidence": 1.0}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={"name": "activity_search_form"},
        latest_action_name="action_listen",
    )


def test_search_utters_up_to_three_matches_with_their_details() -> None:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSearchActivities().run(dispatcher, tracker({"interest": "walking", "place": "CH44 5TN"}), {}))
    names = [m["response"] for m in dispatcher.messages]
    assert names[0] == "utter_searching_for"
    assert names[-1] == "utter_search_again"
    matches = [m for m in dispatcher.messages if m["response"] == "utter_activity_match"]
    assert 1 <= len(matches) <= 3
    for match in matches:
        assert all(match[k] for k in ("name", "when", "where", "cost", "contact"))
    assert events == [SlotSet("interest", None)]


def test_search_with_nothing_nearby_says_so() -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionSearchActivities().run(dispatcher, tracker({"interest": "underwater basket weaving", "place": "CH44 5TN"}), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_search_no_results"]
    assert dispatcher.messages[0]["interest"] == "underwater basket weaving"


@pytest.mark.parametrize("said", ["Wallasey", "wallasey", "CH44 5TN", "ch445tn", "Birkenhead"])
def test_known_places_are_accepted(said: str) -> None:
    result = asyncio.run(ValidateActivitySearchForm().validate_place(said, CollectingDispatcher(), tracker({}), {}))
    assert result["place"]


def test_a_place_entity_wins_over_the_whole_sentence() -> None:
    entities = [{"entity": "place", "value": "Heswall"}]
    said = tracker({}, "I live in Heswall", entities)
    result = asyncio.run(ValidateActivitySearchForm().validate_place("I live in Heswall", CollectingDispatcher(), said, {}))
    assert result["place"] and "Heswall" in result["place"]


def test_an_unknown_place_is_asked_again() -> None:
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidateActivitySearchForm().validate_place("Atlantis", dispatcher, tracker({}), {}))
    assert result == {"place": None}
    assert dispatcher.messages[0]["response"] == "utter_place_not_found"


@pytest.mark.parametrize(("said", "kept"), [("I really like knitting", "knitting"), ("walking.", "walking"), ("I'd like to try tai chi", "tai chi")])
def test_the_interest_keeps_what_matters(said: str, kept: str) -> None:
    result = ValidateActivitySearchForm().validate_interest(said, CollectingDispatcher(), tracker({}), {})
    assert result == {"interest": kept}


def test_missing_details_are_filled_with_the_domains_words(tmp_path: Path, sample_directory: str) -> None:
    # A real group from a spreadsheet that gives only its name, activity and postcode.
    sheet = tmp_path / "bare.csv"
    sheet.write_text("name,activity,postcode\nOrigami Circle,origami,CH44 5TN\n")
    with database.sessions().begin() as session:
        import_source(session, str(sheet), progress=False)
    domain = {"responses": {"utter_when_unknown": [{"text": "Ask them when"}], "utter_cost_unknown": [{"text": "Ask cost"}],
                            "utter_contact_unknown": [{"text": "ask us"}]}}
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionSearchActivities().run(dispatcher, tracker({"interest": "origami", "place": "CH44 5TN"}), domain))
    match = next(m for m in dispatcher.messages if m["response"] == "utter_activity_match")
    assert match["name"] == "Origami Circle"
    assert (match["when"], match["cost"], match["contact"]) == ("Ask them when", "Ask cost", "ask us")


def test_a_place_the_directory_cannot_find_is_asked_again() -> None:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(ActionSearchActivities().run(dispatcher, tracker({"interest": "walking", "place": "Atlantis"}), {}))
    assert [m["response"] for m in dispatcher.messages] == ["utter_place_not_found"]
    assert events == [SlotSet("place", None)]


def test_nothing_close_by_looks_further_and_says_so() -> None:
    # The sample's Kent groups are in East Kent: nothing within the usual radius of Maidstone.
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionSearchActivities().run(dispatcher, tracker({"interest": "walking", "place": "Maidstone"}), {}))
    names = [m["response"] for m in dispatcher.messages]
    assert names[0] == "utter_searching_further"
    matches = [m for m in dispatcher.messages if m["response"] == "utter_activity_match"]
    assert matches and all("miles away)" in m["where"] for m in matches)


def test_each_match_says_how_far_away_it_is() -> None:
    dispatcher = CollectingDispatcher()
    asyncio.run(ActionSearchActivities().run(dispatcher, tracker({"interest": "walking", "place": "CH44 5TN"}), {}))
    matches = [m for m in dispatcher.messages if m["response"] == "utter_activity_match"]
    assert all(re.search(r"\((very close by|[\d.]+ miles? away)\)$", m["where"]) for m in matches)
