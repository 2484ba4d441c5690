"""One of the results (actions/activity_details.py): action_activity_details ("tell me about 2") and
action_directions ("how do i get there"), on the state a real search of the sample directory left.
The question after the details ("did you go?", "Shall I remember...?") is tested with the modules
that ask it: tests/actions/test_check_in_offer.py and test_remember.py."""
from __future__ import annotations

import pytest

from actions import database
from actions.activity_details import ActionActivityDetails, ActionDirections
from actions.search_state import SearchState, Shown
from channels.responses import render_response
from channels.sms_render import render_for_sms
from tests.actions.conftest import entity, listed, searched, texter
from tests.actions.conftest import run_on_results as run


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


def test_a_number_before_anything_was_listed_that_names_a_place_is_a_search() -> None:
    messages, _ = run(ActionActivityDetails(), {}, "hi what can i do round CT9 2", [entity("number", "2")], intent="activity_details")
    assert messages[0]["response"] == "utter_welcoming_groups"




def details_by_text(item: Shown, number: str, *, interest: str = "knitting", place: str = "Wallasey") -> tuple[list[dict], SearchState | None]:
    state = SearchState(interest=interest, place=place, shown=(item,), listed=1, searched=True)
    return run(ActionActivityDetails(), {"search_state": state.to_slot()}, "tell me about 1", [entity("number", "1")],
               channel="sms", sender_id=texter(number))


@pytest.mark.usefixtures("sms_keys")
def test_a_texter_is_asked_one_question_after_the_details_the_check_in_first() -> None:
    messages, after = details_by_text(listed("Knit and Natter"), "+447700900801")
    assert [m["response"] for m in messages] == ["utter_activity_details", "utter_offer_follow_up"]
    assert messages[1]["name"] == "Knit and Natter" and messages[1]["day"].startswith("Tuesday ")
    assert after is not None and after.chosen == 0


@pytest.mark.usefixtures("sms_keys")
def test_with_no_date_to_check_in_on_the_question_is_whether_to_remember_the_search() -> None:
    messages, _ = details_by_text(listed("Friendly Call"), "+447700900802", interest="befriending", place="Wallasey")
    assert [m["response"] for m in messages] == ["utter_activity_details", "utter_offer_remember"]
    assert (messages[1]["interest"], messages[1]["place"]) == ("befriending", "Wallasey")


@pytest.mark.usefixtures("sms_keys")
def test_the_details_are_cut_so_the_question_after_them_fits_the_reply() -> None:
    """A question pushed into the part MORE brings would never be seen, so never answered."""
    long = " ".join(["Bring your needles and wool, or borrow ours: there is always tea, and someone to show you a stitch."] * 6)
    messages, _ = details_by_text(listed("Knit and Natter", description=long), "+447700900803")
    details, asked = messages
    assert asked["response"] == "utter_offer_follow_up"
    assert details["description"] and len(details["description"]) < len(long)
    texts = [{"text": render_response(m["response"], channel="sms", values={k: v for k, v in m.items() if k != "response"})}
             for m in messages]
    assert not render_for_sms(texts, budget=database.settings().sms_segment_budget).more


def test_in_web_chat_the_details_come_whole_with_no_question() -> None:
    long = "A very long description. " * 20
    state = SearchState(interest="knitting", place="Wallasey", shown=(listed("Knit and Natter", description=long),), listed=1,
                        searched=True)
    messages, _ = run(ActionActivityDetails(), {"search_state": state.to_slot()}, "tell me about 1", [entity("number", "1")])
    [details] = messages
    assert details["description"] == long
