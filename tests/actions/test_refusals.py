"""What a message refuses is never the search (issue 15, blind7's tune half)."""
from __future__ import annotations

from actions.refusals import only_refused, without_refusals
from directory.interests import concepts_in


def test_what_they_will_not_use_is_not_the_wish() -> None:
    text = "My aunt lives alone in Deal. She was a keen gardener. Is there anything for her? She won't touch a computer"
    assert only_refused("computer", text) and not only_refused("gardener", text)
    assert concepts_in(without_refusals(text)) == {"gardening"}


def test_what_they_cannot_do_or_would_hate_is_not_the_wish() -> None:
    assert "walking" not in concepts_in(without_refusals("my hips are bad so walking's out, but I loved a game of whist"))
    assert "dancing" not in concepts_in(without_refusals("he'd hate anything like dancing, he likes a game of chess"))
    assert "singing" not in concepts_in(without_refusals("I can't sing for toffee, but I'd love a knit and natter"))


def test_what_they_cannot_do_but_want_to_learn_or_get_help_with_stays() -> None:
    assert "cooking" in concepts_in(without_refusals("he can't cook at all, would love him to learn the basics"))
    assert "digital" in concepts_in(without_refusals("my dad can't use a computer, is there any help in Deal"))


def test_a_message_that_refuses_nothing_is_kept_as_written() -> None:
    assert without_refusals("Knit and Natter in Deal?") == "Knit and Natter in Deal?"


def test_not_minding_or_never_having_tried_is_a_wish_not_a_refusal() -> None:
    assert not only_refused("painting", "I've never tried painting but would love to have a go")
    assert not only_refused("walking", "I don't mind walking, is there a group in Deal")
    assert not only_refused("gardening", "I wouldn't mind a bit of gardening")
    assert only_refused("computer", "she won't use a computer")


def test_a_thing_to_do_after_not_or_no_is_refused_and_not_sure_is_not() -> None:
    # blind12's tune half: "not bingo ta" after asking for a shed
    text = "anywhere in birkenhead where blokes get together and make or fix stuff. not bingo ta"
    assert only_refused("bingo", text)
    assert "bingo" not in without_refusals(text) and "fix stuff" in without_refusals(text)
    assert not only_refused("choir", "a choir please, not sure where")
    assert without_refusals("bowls, not far from Deal") == "bowls, not far from Deal"


def test_not_a_proper_one_asks_for_an_easier_kind_not_none() -> None:
    # blind15's tune half: "Somewhere to sing the old songs in Deal? Not a proper choir"
    assert not only_refused("choir", "somewhere to sing the old songs? not a proper choir, i cant read music")
    assert "choir" in without_refusals("not a proper choir, just a sing-song")
    assert only_refused("choir", "not a choir thanks, something quieter")


def test_do_u_no_is_do_you_know_not_a_refusal() -> None:
    """first_texts.yml: "do u no any chair exercise classes" asks for chair exercise."""
    assert without_refusals("do u no any chair exercise classes ch44 2bl") == "do u no any chair exercise classes ch44 2bl"
    assert "bingo" not in without_refusals("no bingo thanks, something with music")
