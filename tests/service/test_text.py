"""The ground floor's text (service.text): short answers to our 1/2 questions (numbers and words, whole
replies only), the directory's fold to GSM-7's basic set, and a response's channel variant.
(GSM-7 folding and segment counts for replies: tests/channels/test_sms_render.py.)"""
from __future__ import annotations

import pytest

from service.text import channel_variant, is_gsm_basic, response_text, to_gsm_basic, yes_or_no


@pytest.mark.parametrize("text", ["1", "Yes please!", "yes pls", "ok", "OK then", "sure", "Yeah go on", "one", "Yes thanks x",
                                  "that would be lovely", "go ahead", "Aye"])
def test_yes(text: str) -> None:
    assert yes_or_no(text) == "yes"


@pytest.mark.parametrize("text", ["2", "no thanks", "Nope", "2 please", "not now", "nah not really", "No, it's OK", "rather not"])
def test_no(text: str) -> None:
    assert yes_or_no(text) == "no"


@pytest.mark.parametrize("text", ["no i meant wallasey", "yes but in moreton", "12", "what about thursdays", "", "knitting",
                                  "yesterday", "nobody visits me", "okay so how do i get there"])
def test_anything_else_is_not_an_answer(text: str) -> None:
    assert yes_or_no(text) is None



@pytest.mark.parametrize(("raw", "folded"), [
    ("Men\u2019s Shed \u2013 \u201cThe Workshop\u201d", "Men's Shed - \"The Workshop\""),
    ("\u20ac5 [or less] {members} ~ a|b \\ c^", "EUR 5 (or less) (members) - a/b / c"),
    ("Caf\u00e9   and\u00a0cake\u2026 ", "Caf\u00e9 and cake..."),
    ("Ysgol G\u0175yl \U0001F600 \u00bd price", "Ysgol Gwyl 1/2 price"),
    (None, ""),
])
def test_directory_text_folds_to_the_basic_set(raw: str | None, folded: str) -> None:
    assert to_gsm_basic(raw) == folded
    assert is_gsm_basic(folded)


def test_a_channel_variant_is_chosen_before_the_plain_one() -> None:
    variants = [{"text": "plain"}, {"channel": "sms", "text": "sms"}]
    assert channel_variant(variants, "sms") == {"channel": "sms", "text": "sms"}
    assert channel_variant(variants, "webchat") == {"text": "plain"}
    assert channel_variant(variants, None) == {"text": "plain"}
    assert channel_variant([{"channel": "sms", "text": "sms"}], "webchat") is None


def test_response_text_keeps_its_placeholders() -> None:
    assert response_text("utter_words_miles_away") == "{miles} miles away"
    with pytest.raises(KeyError):
        response_text("utter_sms_more")  # SMS only: no plain variant
