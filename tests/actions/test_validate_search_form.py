"""validate_activity_search_form (actions/validate_search_form.py): the interest is what they enjoy and
the place is somewhere we know, whichever question the answer was to; against the sample directory in
a real SQLite database (tests/actions/conftest.py)."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.validate_search_form import ValidateActivitySearchForm, best_interest, each_named, named_to_search, without_places
from tests.actions.conftest import entity, real_domain, tracker

DOMAIN = real_domain()


@pytest.mark.parametrize("said", ["Wallasey", "wallasey", "CH44 5TN", "ch445tn", "Birkenhead"])
def test_known_places_are_accepted(said: str) -> None:
    result = asyncio.run(ValidateActivitySearchForm().validate_place(said, CollectingDispatcher(), tracker({}), {}))
    assert result["place"]


def test_a_place_entity_wins_over_the_whole_sentence() -> None:
    said = tracker({}, "I live in Heswall", [entity("place", "Heswall")])
    result = asyncio.run(ValidateActivitySearchForm().validate_place("I live in Heswall", CollectingDispatcher(), said, {}))
    assert result["place"] and "Heswall" in result["place"]


def test_an_unknown_place_is_asked_again() -> None:
    dispatcher = CollectingDispatcher()
    result = asyncio.run(ValidateActivitySearchForm().validate_place("Atlantis", dispatcher, tracker({}), {}))
    assert result == {"place": None}
    assert dispatcher.messages[0]["response"] == "utter_place_not_found"


def test_an_interest_given_for_the_place_is_no_unknown_place() -> None:
    """Asked "which area?", they said "knitting": the interest changes, and the place is asked again quietly."""
    dispatcher = CollectingDispatcher()
    said = tracker({"requested_slot": "place"}, "knitting", [entity("interest", "knitting")])
    result = asyncio.run(ValidateActivitySearchForm().validate_place("knitting", dispatcher, said, {}))
    assert result == {"place": None} and dispatcher.messages == []


@pytest.mark.parametrize(("said", "kept"), [("I really like knitting", "knitting"), ("walking.", "walking"),
                                            ("I'd like to try tai chi", "tai chi"), ("actually origami", "origami")])
def test_the_interest_keeps_what_matters(said: str, kept: str) -> None:
    result = asyncio.run(ValidateActivitySearchForm().validate_interest(said, CollectingDispatcher(), tracker({}), {}))
    assert result == {"interest": kept}


def test_of_several_interests_found_the_one_the_directory_understands_wins() -> None:
    said = tracker({}, "any singin groups", [entity("interest", "singin groups"), entity("interest", "singing")])
    assert asyncio.run(ValidateActivitySearchForm().validate_interest("x", CollectingDispatcher(), said, {})) == {"interest": "singing"}


@pytest.mark.parametrize(("text", "intent", "entities"), [
    ("yes", "affirm", []),
    ("what's on", "search_activities", []),
    ("im in wallasey", "inform", [entity("place", "Wallasey", "wallasey", 6)]),
])
def test_no_answer_to_what_they_enjoy_is_asked_again(text: str, intent: str, entities: list) -> None:
    said = tracker({"requested_slot": "interest"}, text, entities, intent=intent)
    assert asyncio.run(ValidateActivitySearchForm().validate_interest(text, CollectingDispatcher(), said, {})) == {"interest": None}


def test_what_is_left_after_the_place_is_the_interest() -> None:
    text = "wallasey, something outdoorsy"
    said = tracker({"requested_slot": "interest"}, text, [entity("place", "Wallasey", "wallasey", 0)])
    result = asyncio.run(ValidateActivitySearchForm().validate_interest(text, CollectingDispatcher(), said, {}))
    assert result == {"interest": "something outdoorsy"}


def test_a_town_the_model_did_not_mark_is_read_from_the_first_text() -> None:
    """ "chair exersise classes folkstone?": the interest was found, the misspelt town was not marked."""
    text = "chair exersise classes folkstone?"
    said = tracker({}, text, [entity("interest", "chair exercise", "chair exersise", 0)])
    result = asyncio.run(ValidateActivitySearchForm().validate_interest("x", CollectingDispatcher(), said, {}))
    assert result == {"interest": "chair exercise", "place": "Folkestone"}
    plain = tracker({}, "i like walking", [entity("interest", "walking", "walking", 7)])
    assert asyncio.run(ValidateActivitySearchForm().validate_interest("x", CollectingDispatcher(), plain, {})) == {"interest": "walking"}


@pytest.mark.parametrize(("text", "interest"), [
    ("somewhere to play cards, whist or crib", "games"),
    ("need help with my smart phone n emails", "digital"),
    ("looking for a shed for my husband to potter in", "men's shed"),
])
def test_a_first_text_naming_what_they_enjoy_in_other_words_fills_the_interest(text: str, interest: str) -> None:
    said = tracker({}, text, intent="search_activities")
    assert asyncio.run(ValidateActivitySearchForm().extract_interest(CollectingDispatcher(), said, {})) == {"interest": interest}


@pytest.mark.parametrize(("slots", "text", "intent"), [
    ({}, "whats on near me", "search_activities"),  # nothing the directory knows: ask
    ({}, "a talk at the church about cards and computers", "search_activities"),  # two things: ask
    ({"requested_slot": "interest"}, "cards", "inform"),  # an answer to the question: the form's own mapping takes it
    ({"interest": "walking"}, "any cards groups", "inform"),  # already known
    ({}, "just lost my husband", "need_bereaved"),  # a need fills it from the domain
])
def test_nothing_is_guessed_when_the_text_does_not_say_one_thing(slots: dict, text: str, intent: str) -> None:
    said = tracker(slots, text, intent=intent)
    assert asyncio.run(ValidateActivitySearchForm().extract_interest(CollectingDispatcher(), said, {})) == {}


def test_a_need_fills_the_interest_with_what_the_domain_maps_it_to() -> None:
    said = tracker({"requested_slot": "interest"}, "just lost my husband", intent="need_bereaved")
    result = asyncio.run(ValidateActivitySearchForm().validate_interest("bereavement groups", CollectingDispatcher(), said, {}))
    assert result == {"interest": "bereavement groups"}


@pytest.mark.parametrize(("found", "interest"), [
    (["singin groups", "singing"], "singing"),
    (["gardening", "singing"], "gardening and singing"),
    (["walking football", "walking"], "walking football"),
    (["origami"], "origami"),
    (["knitting", "crochet", "knitting"], "knitting"),
])
def test_the_interests_found_become_one_search(found: list[str], interest: str) -> None:

    assert best_interest(found) == interest
def test_an_open_request_keeps_the_misspelt_place_it_names_so_what_is_on_there_comes_first() -> None:
    """"what is on for pensioners in Moretan on a Monday" (blind29's tune half) was asked what they enjoy, then where."""
    form = ValidateActivitySearchForm()
    said = tracker({}, "Could you tell me what is on for pensioners in Moretan on a Monday please", intent="search_activities")
    assert asyncio.run(form.extract_interest(CollectingDispatcher(), said, DOMAIN)) == {"place": "Moreton"}
    # a place the model marked is the form's own to fill, as before
    marked = tracker({}, "whats on in Moreton", [entity("place", "Moreton")], intent="search_activities")
    assert asyncio.run(form.extract_interest(CollectingDispatcher(), marked, DOMAIN)) == {}


@pytest.mark.parametrize(("text", "named"), [
    ("Church of England, 80, widowed. Would like a weekday fellowship or bible study", set()),  # read whole, by meaning
    ("widowed last year, anything on", {"bereavement"}),
    ("lost my wife, is there a bereavement group", {"bereavement"}),
    ("widowed, I'd love to sing in a choir", {"bereavement", "singing"}),
])
def test_a_loss_told_beside_a_wish_too_broad_to_search_alone_is_not_the_search(text: str, named: set[str]) -> None:
    assert named_to_search(text) == named


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




def test_how_someone_gets_about_is_not_taken_for_their_wish() -> None:
    """The model marks "walks" in "walks with a stick" as walking: that describes him, the wish is the rest."""
    form = ValidateActivitySearchForm()
    text = "my grandad walks with a stick and was in the navy, he'd love to meet other veterans"
    marked = [entity("interest", "walking", "walks", text.index("walks"))]
    said = tracker({"interest": "walking"}, text, marked, intent="search_activities")
    assert asyncio.run(form.extract_interest(CollectingDispatcher(), said, DOMAIN)) == {"interest": "veterans"}
    alone = tracker({"interest": "walking"}, "she walks with a stick", [entity("interest", "walking", "walks", 4)])
    assert asyncio.run(form.validate_interest("walking", CollectingDispatcher(), alone, DOMAIN)) == {"interest": None}
    both = tracker({}, "she walks with a stick but would love a walking group", [entity("interest", "walking", "walking", 41)])
    assert asyncio.run(form.validate_interest("walking", CollectingDispatcher(), both, DOMAIN)) == {"interest": "walking"}


def test_what_the_text_refuses_is_not_taken_for_their_wish() -> None:
    """The model marks "computer" (its synonym "computers") in "she won't use a computer": the wish is the rest (issue 15)."""
    form = ValidateActivitySearchForm()
    text = "my aunt in Deal was a keen gardener, is there anything for her? she won't use a computer"
    marked = [entity("interest", "computers", "computer", text.index("computer"))]
    said = tracker({"interest": "computers"}, text, marked, intent="search_activities")
    assert asyncio.run(form.extract_interest(CollectingDispatcher(), said, DOMAIN)) == {"interest": "gardening"}


def test_a_short_text_naming_two_things_keeps_the_one_the_model_did_not_mark() -> None:
    """ "history n walking, Sandwich" (blind8's tune half): the model marked walking only."""
    text = "history n walking, Sandwich"
    said = tracker({}, text, [entity("interest", "walking", "walking", 10), entity("place", "Sandwich", "Sandwich", 19)])
    result = asyncio.run(ValidateActivitySearchForm().validate_interest("walking", CollectingDispatcher(), said, {}))
    assert set(result["interest"].split(" and ")) == {"walking", "history"}


def test_the_short_sentence_naming_what_the_model_marked_is_read_for_a_second_thing() -> None:
    """ "friday mornings are boss for me, need to get out the house. bingo or a brew somewhere in birkenhed?" (blind9's tune half)."""
    text = "friday mornings are boss for me, need to get out the house. bingo or a brew somewhere in birkenhed?"
    said = tracker({}, text, [entity("interest", "coffee", "brew", text.index("brew"))])
    result = asyncio.run(ValidateActivitySearchForm().validate_interest("coffee", CollectingDispatcher(), said, {}))
    assert set(result["interest"].split(" and ")) == {"coffee", "games"}
    story = "I was a docker for forty years and loved the bingo on a friday. These days I would like a brew somewhere nice."
    told = tracker({}, story, [entity("interest", "coffee", "brew", story.index("brew"))])
    assert asyncio.run(ValidateActivitySearchForm().validate_interest("coffee", CollectingDispatcher(), told, {})) == {"interest": "coffee"}


def test_a_place_marked_twice_is_taken_out_once_and_an_in_elsewhere_stays() -> None:
    text = "my neighbour Doris, Herne Bay, lovely lady. She'd like someone to pop in for a chat"
    start = text.index("Herne Bay")
    marks = [entity("place", "Herne Bay", "Herne Bay", start), entity("place", "Herne Bay", "Herne Bay", start)]
    assert without_places(tracker({}, text, marks), text) == "my neighbour Doris, , lovely lady. She'd like someone to pop in for a chat"


def test_two_things_in_the_one_short_sentence_that_names_any_are_both_searched() -> None:
    """No marks at all: "bingo or a brew" (blind9's tune half) is both, each found in turn (actions.suggestions.things_named)."""
    text = "friday mornings are boss for me, need to get out the house. bingo or a brew somewhere in Birkenhead?"
    said = tracker({"interest": None, "place": None, "requested_slot": None}, text,
                   [entity("place", "Birkenhead", "Birkenhead", text.index("Birkenhead"))], intent="nlu_fallback")
    assert asyncio.run(ValidateActivitySearchForm().extract_interest(CollectingDispatcher(), said, {})) == {"interest": "coffee and games"}


def test_a_place_the_model_also_marked_as_an_interest_is_the_place() -> None:
    """ "on my own in Bridge, what is there" (blind13's tune half): the village, not the card game, so nothing to do is named."""
    form = ValidateActivitySearchForm()
    text = "im 88 and on my own in Bridge, what is there"
    marked = [entity("place", "Bridge", "Bridge", text.index("Bridge")), entity("interest", "bridge", "Bridge", text.index("Bridge"))]
    said = tracker({"interest": "bridge"}, text, marked, intent="search_activities")
    assert asyncio.run(form.validate_interest("bridge", CollectingDispatcher(), said, DOMAIN)) == {"interest": None}
    game = "bridge club in Deal"
    played = tracker({"interest": "bridge"}, game, [entity("interest", "bridge", "bridge", 0), entity("place", "Deal", "Deal", 15)])
    assert asyncio.run(form.validate_interest("bridge", CollectingDispatcher(), played, DOMAIN)) == {"interest": "bridge"}


def test_an_offer_to_help_is_volunteering_wherever_it_would_be() -> None:
    """ "I'd love to volunteer ... maybe at a lunch club or befriending" (blind13's tune half): volunteering, not lunch clubs."""
    form = ValidateActivitySearchForm()
    text = "I'd love to volunteer with older people, maybe at a lunch club. Live in Claughton"
    helping = tracker({}, text, [entity("interest", "lunch club", "lunch club", text.index("lunch club"))])
    assert asyncio.run(form.validate_interest("lunch club", CollectingDispatcher(), helping, DOMAIN))["interest"] == "volunteering"
    going = "my mum would love a lunch club, she used to volunteer at the hospital. Claughton"
    joining = tracker({}, going, [entity("interest", "lunch club", "lunch club", going.index("lunch club"))])
    assert asyncio.run(form.validate_interest("lunch club", CollectingDispatcher(), joining, DOMAIN))["interest"] == "lunch club"


def test_a_kind_of_group_marked_gives_way_to_the_thing_the_text_names() -> None:
    """ "Looking for a friendly group to play board games or do quizzes. Meols" (blind15's tune half): the model marked
    "friendly group", which says how a group should be, not what it does."""
    form = ValidateActivitySearchForm()
    text = "I use a mobility scooter. Looking for a friendly group to play board games or do quizzes. Meols"
    marks = [entity("interest", "friendly group", "friendly group", text.index("friendly")), entity("place", "Meols", "Meols", text.index("Meols"))]
    said = tracker({"interest": "friendly group"}, text, marks)
    assert asyncio.run(form.validate_interest("friendly group", CollectingDispatcher(), said, DOMAIN)) == {"interest": "games"}
    only = "a friendly group in Meols"
    plain = tracker({"interest": "friendly group"}, only, [entity("interest", "friendly group", "friendly group", 2)])
    assert asyncio.run(form.validate_interest("friendly group", CollectingDispatcher(), plain, DOMAIN))["interest"] == "friendly group"


def test_two_or_three_things_named_each_get_their_groups_and_a_condition_is_not_one() -> None:
    """"a men's group for retired fellas who like fishing or um the football" (blind20's tune half): each its groups where
    the whole story fits nothing near."""
    assert each_named({"mens_shed", "fishing", "sport"}) == "fishing and men's shed and sport"
    assert each_named({"games", "mobility"}) == ""  # one thing to do, and how the person gets about
    assert each_named({"games"}) == ""
    assert each_named({"games", "music", "crafts", "walking"}) == ""  # four is no longer a few things asked for
