"""What a message asks for where the model found no interest (actions/wish.py, issue 15): its place and
its wish, open requests, whether a group fits, and a search for someone else. Against the sample
directory in a real SQLite database, with the real sentence encoder. The actions that use it are
tested in test_search_activities.py and test_validate_search_form.py."""
from __future__ import annotations

import pytest

from actions.wish import (
    first_known_place,
    fits,
    for_whom,
    is_open,
    needs_meaning,
    place_in_text,
    said_interest,
    somewhere_said,
    wants_to_volunteer,
    wish_in,
    words_to_match,
)


def test_reading_the_wish() -> None:
    assert wish_in("Hiya, bowls CH45 3NH please") == "bowls"
    assert wish_in("a good old knees up round Liscard") == "a good old knees up"
    assert is_open(wish_in("whats on in Birkenhead")) and is_open(wish_in("just moved to Herne Bay, dont know a soul"))
    assert not is_open(wish_in("choir CT5?"))
    # folk are people, unless it is music or dancing (blind26's tune half)
    assert is_open(wish_in("CH43 - anything for lonely old folk")) and is_open(wish_in("anything for us folks in Deal"))
    assert not is_open(wish_in("any folk clubs in Deal")) and not is_open(wish_in("folk dancing near Hythe"))
    # a misspelt town after "in" is a place, not a wish ("Whitstble" is not "whist"); a day or who they are is no wish either
    assert is_open(wish_in("whats on in Whitstble this week"))
    assert is_open(wish_in("What is there to do in Cliftonville for someone who's retired?"))
    assert is_open(wish_in("anything on sundays in Deal"))
    assert not is_open(wish_in("any knitting on tuesdays in deal"))
    # texting spellings and an age name nothing either (blind13's tune half)
    assert is_open(wish_in("wats on in CT9 for over 60s"))
    assert not is_open(wish_in("wot about darts in CT9"))
    # a place with an everyday word for a name, said as "X way" (blind13's tune half); a street of that name is not
    assert place_in_text("Is there a photography club Wye way? I've a new camera") == "Wye"
    assert place_in_text("any photography club? I live on Wye way road") is None
    # an estate named as a sentence of its own is the place (blind14's tune half)
    assert place_in_text("Ford estate. I'm 73, is there a bus that takes you to a lunch club") == "Ford"
    assert words_to_match("is there somewhere people get together to talk about books") == "together talk books"
    # a phrase whose little words go is still what it meant: a visitor, not a cuppa (blind9's tune half)
    assert words_to_match("I thought maybe someone could pop round for a cuppa now and then?") == "thought maybe pop cuppa now then befriend"
    assert said_interest("knitting") == "knitting"
    assert said_interest("i used to love growing my own vegetables and flowers") == "gardening"
    assert for_whom("my dad would love a shed in moreton") == "your dad"
    assert for_whom("since my wife passed i'd like a lunch club") is None
    assert for_whom("I care for my husband and need a carers group for me") is None
    # a long message that tells of a relative but asks for the writer (blind11's tune half)
    assert for_whom("Evening, I'm Pat, 80 in May. I've a lovely family but they're all busy. Tuesdays and Thursdays are hospital "
                    "days for my husband. I'm a bit of a chatterbox and I miss the girls from work. Is there a ladies group in "
                    "Pensby, just for a natter and a laugh?") is None
    assert for_whom("Writing for my dad (79), Birkenhead CH43. Widowed, ex docker, sits in front of the telly all day. He'd "
                    "never admit it but he's lonely. Anything for blokes his age?") == "your dad"
    # a neighbour by where they live, a home carer's client (issue 15, blind7's tune half)
    assert for_whom("neighbour across the road in Margate, lost her dog, any walking groups she could join") == "your neighbour"
    assert for_whom("one of my ladies in Moreton is very lonely, does anyone do visits") == "your client"


@pytest.mark.parametrize(("interest", "by_meaning"), [
    ("singing", False), ("knit and natter", False),  # the interest map knows them: words alone, a tenth of the cost
    ("trains", True),  # words the map does not know
    ("is there somewhere people get together to talk about books", True),  # a long wish
    ("  ", False),
])
def test_which_searches_read_the_interest_by_meaning_too(interest: str, by_meaning: bool) -> None:
    assert needs_meaning(interest) is by_meaning


def test_a_wish_fits_when_a_group_near_the_place_is_about_it() -> None:
    assert fits("growing veg with other people", "Wallasey")
    assert not fits("whats on", "Wallasey"), "an open request fits nothing in particular"
    assert not fits("quantum chromodynamics seminars", "Wallasey")
    assert not fits("growing veg", "Atlantis"), "a place nobody knows is no error here"


@pytest.mark.parametrize(("text", "place"), [
    ("choir CT5?", "CT5"),
    ("any walking groups nr heswall", "Heswall"),
    ("im in new brighton", "New Brighton"),  # two words
    ("anything sociable in Faversam then?", "Faversham"),  # misspelt, after "in"
    ("something to do near Canterbry on mondays", "Canterbury"),  # after "to do", "near" is still read
    ("I'd love to be making things again. Bromboro", "Bromborough"),  # a town cut short
    ("hello there", None),
    ("any lunch clubs in Garlinge?", "Garlinge"),  # a village
    ("Id love to learn to paint. Chestfeild", "Chestfield"),  # a village misspelt, as the last word
    ("bridge", None), ("any bridge clubs?", None),  # the card game
    ("knitting near Bridge", "Bridge"),  # the village
    ("deal. we moved here last month", "Deal"),  # the model's place, put first by search_what_they_said
    ("i need a break from caring", None),  # not Charing misspelt
    # a town misspelt anywhere, when nothing else places the text (blind10's tune half got "Sorry, I didn't follow")
    ("anyone who remembers birkenhed when the ferries were heaving, to swap stories", "Birkenhead"),
    ("I love strolling and sealing letters with wax", None),  # everyday words a letter from Stelling Minnis
    # misspelt as the first words, and an everyday-word village set apart by a dash (blind19's tune half)
    ("hern bay i want to learn to play bridge", "Herne Bay"),
    ("Whitfield - lunch club on a thursday? I can get dial a ride", "Whitfield"),
    ("Hiya im looking for bingo", None), ("Helo any choirs", None),
    # a town cut short and a village by its short name, not a church of that saint (blind23's tune half)
    ("is there anywhere you cook and eat together? B'head", "Birkenhead"),
    ("living in a bungalow in St Margarets now, tractors and veg", "St Margaret's at Cliffe"),
    ("coffee morning at St Margaret's church hall", None),
])
def test_a_place_written_anywhere_in_the_message(text: str, place: str | None) -> None:
    assert place_in_text(text) == place


def test_the_first_candidate_the_directory_can_place_wins() -> None:
    assert first_known_place(["nowhere", "Wallasey", "Heswall"]) == "Wallasey"
    assert first_known_place(["ch44 5tn"]) == "CH44 5TN"
    assert first_known_place([" ", "Atlantis"]) is None


def test_a_long_message_is_read_for_the_sentences_that_ask() -> None:
    """A life story around the wish is not the wish (issue 15, blind7's tune half): past RAMBLING_WORDS words, the
    sentences that ask for something named are read, with any saying how the person is."""
    from actions.wish import the_asking_part

    story = ("Apologies in advance, I'm a bit of a waffler. Retired last year from the post office after 38 years. "
             "Did the garden, painted the fence twice, read everything in the library. "
             "Somebody mentioned there's table tennis for older people somewhere? I played a bit at school.")
    assert the_asking_part(story) == "Somebody mentioned there's table tennis for older people somewhere?"
    condition = ("My husband has dementia and gets bored at home these days. He used to sing in the church choir for years. "
                 "Is there a choir we could both go to together?")
    assert the_asking_part(condition) == "My husband has dementia and gets bored at home these days. Is there a choir we could both go to together?"
    # The asking sentence names nothing: the interest is in the story, so the whole message is read.
    keen = ("My dad had a stroke last year and struggles with his speech. He was always a keen gardener. "
            "Is there anything he could join? I'd come with him.")
    assert the_asking_part(keen) == keen
    assert the_asking_part("I love singing, is there a choir near me") == "I love singing, is there a choir near me"


def test_somewhere_said_is_a_place_named_whether_or_not_we_know_it() -> None:
    assert somewhere_said("just moved to Snodland Parva, whats on?")
    assert somewhere_said("anything going round Little Hamlet way")
    assert not somewhere_said("I am in pain")
    assert not somewhere_said("what do you mean")
    assert not somewhere_said("in the morning is best")


def test_someone_with_dementia_gets_their_interest_and_a_memory_cafe() -> None:
    """blind26's and blind27's tune halves: a husband with dementia who loved singing gets a choir and a memory cafe, each its
    groups; the writer's own interest, or a dementia group already asked for, is left as it is."""
    from actions.wish import with_their_dementia

    text = "The memory clinic said to text. My husband has dementia, we live in Upton. He always loved singing."
    assert with_their_dementia("singing", text) == "singing or memory cafe"
    assert with_their_dementia("memory cafe", text) == "memory cafe"
    assert with_their_dementia("singing", "I love singing, any choirs in Upton") == "singing"
    assert with_their_dementia("singing", "I have early dementia and love singing, Upton") == "singing"


@pytest.mark.parametrize(("text", "offers"), [
    ("Retired hairdresser. Could I do a bit of hair somewhere as a volunteer, or just find that kind of chat?", True),
    ("I was a nurse for 40 years and I'm lost without people to look after", True),
    ("I'd like a bit of company with a purpose. Something useful.", True),
    ("I'd love to be useful again - maybe a befriending scheme", False),  # the word map's "be useful" beside what they name
    ("my neighbour was a volunteer at the hospital for years, she'd love a lunch club", False),
    ("a useful talk on pensions in Deal", False),
    ("I miss looking after my garden", False),
])
def test_being_useful_again_said_other_ways_is_an_offer_to_volunteer(text: str, offers: bool) -> None:
    assert wants_to_volunteer(text) is offers
