"""The NLU step after the classifier (channels/nlu_gates.py): an intent that starts a flow of its own
stands only when the text says what it means, else the next in the ranking is taken."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from channels.nlu_gates import IntentGates, is_a_worry, offers_help, says_they_care_for_someone


def _classified(text: str, *ranking: str) -> Message:
    ranked = [{INTENT_NAME_KEY: name, "confidence": 0.9 - i * 0.1} for i, name in enumerate(ranking)]
    return Message(data={TEXT: text, INTENT: ranked[0], INTENT_RANKING_KEY: ranked})


def _gated(text: str, *ranking: str) -> str:
    (message,) = IntentGates().process([_classified(text, *ranking)])
    return str(message.get(INTENT)[INTENT_NAME_KEY])


@pytest.mark.parametrize("text", [
    "i look after my husband since his stroke, anything for carers in wallasey",
    "I'm my mum's full time carer and never get a break",
    "caring for my wife with dementia, is there a group for us",
])
def test_a_carer_is_heard_as_one(text: str) -> None:
    assert says_they_care_for_someone(text)
    assert _gated(text, "need_carer", "search_activities") == "need_carer"


# A carer asking for something named for their own time wants that thing, not a carers' group (blind21's tune half); a
# carer asking for a break or support for themselves is still a carer.
@pytest.mark.parametrize(("text", "carer"), [
    ("I look after my husband full time, he has MS. I'd love 2hrs to do something creative for me. Mosaic or glass?", False),
    ("caring for my mum, I need something for me, maybe a choir on a Tuesday", False),
    ("I look after my mum full time and need a break for me, anything in Deal", True),
    ("I care for my husband, any support for me in Hoylake", True),
])
def test_a_carer_asking_for_a_thing_for_themselves_gets_that_thing(text: str, carer: bool) -> None:
    assert says_they_care_for_someone(text) is carer


@pytest.mark.parametrize("text", [
    "Got a fiver a week spare at most. anywhere to play cards Dover",
    "a game of cards of an afternoon round moreton",
    "card games in deal please",
])
def test_cards_are_not_carers(text: str) -> None:
    assert not says_they_care_for_someone(text)
    assert _gated(text, "need_carer", "search_activities", "inform") == "search_activities"


def test_a_worry_about_someone_stands_and_a_wish_for_them_does_not() -> None:
    worried = "my neighbour hasnt been seen for days and her curtains are shut"
    assert is_a_worry(worried) and _gated(worried, "report_concern", "inform") == "report_concern"
    assert _gated("my dad would love a mens shed in moreton", "report_concern", "inform") == "inform"


@pytest.mark.parametrize(("text", "worry"), [
    # worried only that someone is lonely, asking what they could go to (issue 15): groups for them
    ("my aunt lives on her own in Deal and I do worry she's lonely, she loves a game of bingo, any ideas for her?", False),
    ("worried my grandad is lonely since he moved, is there a club he could join in Hythe", False),
    # the same worry with something wrong keeps the report
    ("my aunt lives on her own and I do worry she's lonely, she's stopped eating, any ideas for her?", True),
    ("worried my neighbour is lonely, she hasn't answered the door since Sunday, is there anyone who could visit", True),
])
def test_worried_only_that_someone_is_lonely_and_asking_for_them_is_no_report(text: str, worry: bool) -> None:
    assert is_a_worry(text) is worry
    assert _gated(text, "report_concern", "search_activities") == ("report_concern" if worry else "search_activities")


def test_other_intents_pass_untouched_and_a_lone_intent_is_kept() -> None:
    assert _gated("walking in wallasey", "inform", "need_carer") == "inform"
    assert _gated("play cards", "need_carer") == "need_carer"  # nothing else ranked: nothing to fall back to


@pytest.mark.parametrize("text", ["are you a real person", "is this a computer answering me", "r u a bot", "who am i texting"])
def test_asking_who_answers_is_heard_as_that(text: str) -> None:
    assert _gated(text, "bot_challenge", "search_activities") == "bot_challenge"


def test_a_wish_that_mentions_talking_is_not_asking_who_answers_and_the_next_gate_is_asked_too() -> None:
    """bot_challenge falls to report_concern, which must stand on its own: it does not, so the next is taken."""
    text = "anywhere in deal for a chat and a laugh? im sick of talking to the walls"
    assert _gated(text, "bot_challenge", "report_concern", "need_company") == "need_company"


@pytest.mark.parametrize(("text", "new"), [
    ("just moved to hythe, whats on", True),
    ("we relocated to sandwich last month to be near our son", True),
    ("i dont know anyone round here yet", True),
    ("my wife and i used to dance every saturday, anywhere in herne bay that still does it", False),
    ("is there a quiz night in deal, me and my husband love one", False),
    ("since we moved to a bungalow i've no garden, any allotment groups in deal", False),
    ("i moved into sheltered housing and dont know anyone", True),
])
def test_welcome_to_the_area_only_when_they_say_they_are_new_there(text: str, new: bool) -> None:
    assert _gated(text, "need_new_to_area", "search_activities") == ("need_new_to_area" if new else "search_activities")


def test_a_letters_opening_is_not_a_concern() -> None:
    """blind8's tune half: "To whom it may concern. My neighbour gave me this number ... a keep fit class" got the report."""
    letter = "To whom it may concern. My neighbour gave me this number. I would like to find a gentle keep fit class in Ramsgate."
    assert not is_a_worry(letter)
    assert _gated(letter, "report_concern", "search_activities") == "search_activities"
    assert is_a_worry("To whom it may concern, my neighbour has not been seen for a week and her milk is on the step")


def test_a_neighbour_who_doesnt_get_out_with_a_visit_asked_for_is_no_report() -> None:
    """blind10's tune half: "is 90 and doesn't get out of the house ... would someone be able to visit her" got the report."""
    asked = "My neighbour is 90 and doesn't get out of the house, Canterbury. Would someone be able to visit her for a chat now and again"
    assert not is_a_worry(asked)
    assert is_a_worry("My neighbour is 90 and doesn't get out of the house, she seems confused. Would someone be able to visit her")


# blind17's tune half: "can you help me find a ukulele group ... I can play a few chords" was taken as an offer to volunteer.
@pytest.mark.parametrize("text", [
    "Can you help me find a ukulele group in Deal? I can play a few chords",
    "I need help getting out more, anything in Hoylake",
    "could you help my dad find a walking group",
])
def test_asking_for_help_is_not_volunteering(text: str) -> None:
    assert not offers_help(text)
    assert _gated(text, "volunteer", "search_activities") == "search_activities"


@pytest.mark.parametrize("text", [
    "I'd like to volunteer at a lunch club in Deal",
    "can i help out at one of the groups",
    "I have a car and could give lifts",
    "got time on my hands and want to give something back",
    "do you need volunteers",
])
def test_an_offer_of_help_is_volunteering(text: str) -> None:
    assert offers_help(text)
    assert _gated(text, "volunteer", "search_activities") == "volunteer"


@pytest.mark.parametrize(("text", "bereaved"), [
    ("lost my husband in march, is there a bereavement group or just somewhere to talk", True),
    ("my wife died in the summer and the house is so quiet, anything in deal", True),
    ("widowed last year, any coffee mornings in hythe", True),
    # a loss told beside a thing to do: that thing (blind26's tune half)
    ("CT5 bird watching? used to go with my brother before he died", False),
    ("Broadstairs. Widow. I'd like to take up painting again", False),
    ("since my wife passed I've wanted to take up the bowls again, any clubs in Walmer", False),
])
def test_sorry_for_your_loss_only_when_the_text_names_nothing_else_to_do(text: str, bereaved: bool) -> None:
    assert _gated(text, "need_bereaved", "search_activities") == ("need_bereaved" if bereaved else "search_activities")


@pytest.mark.parametrize(("text", "company"), [
    ("I'm so lonely since I moved to Deal, I don't see anyone", True),
    ("i use to be a hairdresser 35 yr. now i just sit. miss talking to people all day", True),
    ("I want to get fitter but I'm not going in a gym with all the young ones. I'm 68 and live in Walmer", False),
    ("Hoylake, man 72, lived alone a long time. Cycling? I still ride but always on my own", True),
])
def test_sorry_its_been_lonely_only_when_the_text_names_nothing_else_to_do(text: str, company: bool) -> None:
    assert _gated(text, "need_company", "search_activities") == ("need_company" if company else "search_activities")
