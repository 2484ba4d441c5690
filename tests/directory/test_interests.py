"""What people say they enjoy, read as the directory's interest concepts (directory/interests.py)."""
from __future__ import annotations

import pytest

from directory.interests import CONDITION_BESIDE_A_WISH, concept_term, concepts_in, query_terms


@pytest.mark.parametrize(("said", "concept"), [
    ("I used to do the Gay Gordons and the Dashing White Sergeant at the village hall", "dancing"),
    ("a ceilidh or a barn dance", "dancing"),
    ("we loved the quickstep and the foxtrot", "dancing"),
    ("he was an engineer, anything practical for retired men", "mens_shed"),
    ("is there a men's group or something", "mens_shed"),
    # blind11's tune half: moving while seated, a charity shop, a call for a chat; blind10's: stories of how a place was
    ("my mum cant stand for long, is there dancing sat down or something", "exercise"),
    ("I used to help out in a charity shop and would like to again", "volunteering"),
    ("somebody could telephone me for a chat each week", "befriending"),
    ("people who remember the docks when they were heaving, to swap a few stories", "history"),
    ("a brew and a chat with other fellas", "mens_shed"),
    # blind12's tune half: company to the shops, the birds on the shore, singing in the clubs
    ("i need someone to go to the shops with me, scared of going on my own", "befriending"),
    ("I love watching the birds on the shore", "outdoors"),
    ("karaoke anywhere", "singing"),
    ("knitting and a natter", "knitting"),
    # blind23's and blind24's tune halves: jam made, a chair re-covered, balance built back, a call for someone, bells rung,
    # a meeting house, a deaf club
    ("I make jam and chutney and have far too much", "cooking"),
    ("an upholstery class, I've got a chair that needs doing", "crafts"),
    ("something steady to build my balance back up after a fall", "exercise"),
    ("could someone ring him for a chat, he doesn't text", "befriending"),
    ("I used to ring bells, any church towers that want ringers", "bell_ringing"),
    ("is there a Quaker meeting near me", "faith"),
    ("BSL user, any deaf club near", "sight_hearing"),
    # blind25's tune half: a running club or five-a-side
    ("is there like a running club or five a side or something", "sport"),
    ("i worked in cammell lairds 40 years as a welder. bored stiff", "mens_shed"),
    # blind28's tune half: getting active
    ("Recently diagnosed with diabetes and told to get active", "exercise"),
    ("I want to get fitter but I'm not going in a gym", "exercise"),
])
def test_a_wish_in_the_residents_own_words_is_its_interest(said: str, concept: str) -> None:
    assert concept in concepts_in(said)


@pytest.mark.parametrize("said", [
    "I'd like to get my hands on a camera again",
    "talking about the old times over a cuppa",
])
def test_idioms_are_not_a_shed_or_a_dance(said: str) -> None:
    assert not concepts_in(said) & {"mens_shed", "dancing"}


def test_a_condition_beside_a_wish_describes_the_person_and_the_wish_leads() -> None:
    terms = query_terms("my dad is hard of hearing, anything practical for him")
    assert terms[concept_term("mens_shed")] == 1.0
    assert terms[concept_term("sight_hearing")] == CONDITION_BESIDE_A_WISH


def test_a_cuppa_beside_a_wish_goes_with_it_and_the_wish_leads() -> None:
    # "push a few pawns about over a cuppa" is chess; "Carers' Cuppa" must not lead on its name (blind10's tune half)
    terms = query_terms("push a few pawns about with someone over a cuppa")
    assert terms[concept_term("games")] == 1.0
    assert terms[concept_term("coffee")] == CONDITION_BESIDE_A_WISH
    assert terms["cuppa"] < terms["pawn"]
    # a cuppa alone is what they ask for
    assert query_terms("somewhere for a cuppa and a chat")[concept_term("coffee")] == 1.0


def test_a_condition_alone_is_what_they_ask_for() -> None:
    assert query_terms("a group for people who are hard of hearing")[concept_term("sight_hearing")] == 1.0


@pytest.mark.parametrize("said", [
    "somewhere to have a good natter and a laugh",
    "a chinwag with people my age",
    "I'd like people to talk to, I only talk to the radio",
])
def test_a_chat_in_everyday_words_is_company_not_knitting_or_a_lecture(said: str) -> None:
    found = concepts_in(said)
    assert "social" in found
    assert not found & {"knitting", "learning"}


def test_a_talk_is_still_a_lecture_and_knit_and_natter_still_knitting() -> None:
    assert concepts_in("a talk on the history of the pier") >= {"learning", "history"}
    assert concepts_in("a knit and natter group") == {"knitting"}


@pytest.mark.parametrize(("said", "concept"), [
    ("I used to tread the boards years ago", "drama"),
    ("any amateur dramatics or a panto group", "drama"),
    ("he'd love to meet other ex-servicemen", "veterans"),
    ("dad served in the navy and misses the lads", "veterans"),
    ("is the British Legion still going", "veterans"),
])
def test_the_stage_and_the_forces_are_interests_of_their_own(said: str, concept: str) -> None:
    assert concept in concepts_in(said)


def test_the_salvation_army_is_a_church_not_the_forces() -> None:
    assert concepts_in("the salvation army hall") == {"faith"}


@pytest.mark.parametrize("said", [
    "she walks with a stick these days",
    "he uses a walking frame",
    "mum is a bit wobbly on her feet",
])
def test_how_someone_gets_about_is_not_a_wish_to_walk(said: str) -> None:
    found = concepts_in(said)
    assert "mobility" in found and "walking" not in found


def test_a_walking_aid_beside_a_wish_describes_the_person_and_the_wish_leads() -> None:
    terms = query_terms("my dad walks with a stick but he'd love a singing group")
    assert terms[concept_term("singing")] == 1.0
    assert terms[concept_term("mobility")] == CONDITION_BESIDE_A_WISH
    assert concept_term("walking") not in terms


# blind8's tune half (issue 15): a wish in players' and makers' words, and "she'd" is not a shed.
@pytest.mark.parametrize(("said", "concept"), [
    ("need to get out in the fresh air and stretch my legs more", "walking"),
    ("I miss rolling a few woods on a nice bit of grass on a summer evening", "bowls"),
    ("I'd like to make things with my hands, I'm not fussy what", "crafts"),
    ("he loves the footy", "sport"),
    ("a gentleman mad about trains", "model_railway"),
    ("loves model railways, has a layout in the loft", "model_railway"),
    ("somewhere I can sit with a rod by the water", "fishing"),
    ("id love to kick a ball about with other old fellas", "sport"),
    ("could I push a few pawns about with someone over a cuppa", "games"),
    ("anyone do eyes down with a dabber of an afternoon", "games"),
    ("want to stretch me legs along the prom", "walking"),
    ("is there anything crafty in Deal", "crafts"),
])
def test_a_wish_in_players_and_makers_words_is_its_interest(said: str, concept: str) -> None:
    assert concept in concepts_in(said)


@pytest.mark.parametrize("said", ["She'd like someone to pop in for a chat", "she\u2019d love a visit", "He'd like company"])
def test_she_would_is_not_a_shed(said: str) -> None:
    assert "mens_shed" not in concepts_in(said)


@pytest.mark.parametrize("said", ["I'd like to train as a volunteer", "IT training at the library", "a shed near the railway station"])
def test_training_and_an_address_are_not_model_railways(said: str) -> None:
    assert "model_railway" not in concepts_in(said)


# blind17's tune half: needlecrafts, instruments and sports by name, the old boys, the pit, and how someone talks since a stroke.
@pytest.mark.parametrize(("said", "concept"), [
    ("does anyone do tatting round here, I've still got my shuttles", "knitting"),
    ("bobbin lace or cross stitch", "knitting"),
    ("harmonica player looking for others to play with", "music"),
    ("I play the accordion a bit", "music"),
    ("played rugby in my day", "sport"),
    ("any old boys meet up round Deal", "mens_shed"),
    ("i was a miner at Betteshanger", "history"),
    ("a former ballet teacher, still very elegant", "dancing"),
])
def test_a_craft_an_instrument_and_a_sport_by_name_are_their_interest(said: str, concept: str) -> None:
    assert concept in concepts_in(said)


def test_talking_slowly_since_a_stroke_is_the_condition_not_a_talk() -> None:
    assert concepts_in("stroke 2 yr ago. talk slow. want group") == {"health_condition"}


@pytest.mark.parametrize("said", ["Boxing Day lunch", "is the group still running", "jam and scones", "it's the pits",
                                  "signing up for the choir", "I'm running late"])
def test_everyday_words_are_not_a_sport_music_or_the_mines(said: str) -> None:
    assert not concepts_in(said) & {"sport", "music", "history"}


def test_an_old_boy_of_80_is_the_writer_not_a_mens_group() -> None:
    """blind18's tune half: "anything on the water or about the sea for an old boy of 80?" is no wish for a men's shed."""
    assert "mens_shed" not in concepts_in("anything on the water or about the sea for an old boy of 80")
    assert "mens_shed" in concepts_in("any old boys meet up round Deal")


@pytest.mark.parametrize(("said", "reading"), [
    ("can you book me a taxi in broadstairs", False),
    ("my daughter booked me in", False),
    ("Book your place by ringing Jean", False),
    ("i love a good book", True),
    ("book club in deal", True),
    ("a book in large print", True),
])
def test_book_the_verb_is_no_reading_group(said: str, reading: bool) -> None:
    """blind28's tune half: "can you book me a taxi" was searched as a reading group."""
    assert ("reading" in concepts_in(said)) is reading


def test_ringing_someone_is_no_bell_ringing() -> None:
    assert "bell_ringing" not in concepts_in("I'll ring you tomorrow") | concepts_in("book your place by ringing Jean")
    assert "bell_ringing" in concepts_in("The vicar said they need new ringers") & concepts_in("I used to ring bells as a lad")
