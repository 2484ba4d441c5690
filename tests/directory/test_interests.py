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
    ("knitting and a natter", "knitting"),
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


def test_a_condition_alone_is_what_they_ask_for() -> None:
    assert query_terms("a group for people who are hard of hearing")[concept_term("sight_hearing")] == 1.0
