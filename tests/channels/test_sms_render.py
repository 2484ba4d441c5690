"""SMS rendering: GSM-7 folding, segment counts, numbered choices, links, the segment budget, MORE."""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from channels.sms_render import default_phrases, is_more_request, looks_like_choice, render_for_sms, resolve_choice
from service.text import GSM_BASIC, GSM_EXTENSION, is_gsm, segment_count, segment_ranges, septet_count, split_segments, to_gsm

MORE = default_phrases().more


# --- segment counts ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("length", "segments"),
    [
        (0, 0),
        (1, 1),
        (160, 1),
        (161, 2),
        (306, 2),  # 2 x 153
        (307, 3),
        (459, 3),  # 3 x 153
        (460, 4),
        (612, 4),
        (613, 5),
        (1530, 10),
    ],
)
def test_gsm_segment_boundaries(length, segments):
    assert segment_count("a" * length) == segments


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("€" * 80, 1),  # 160 septets: each extension character is ESC + char
        ("€" * 81, 2),  # 162 septets
        ("a" * 159 + "[", 2),  # 161 septets although only 160 characters
        ("a" * 158 + "^", 1),  # exactly 160 septets
        ("{}" * 38 + "a" * 153, 2),  # 152 + 153 septets, nothing split
    ],
)
def test_extension_characters_count_double(text, segments):
    assert segment_count(text) == segments


def test_extension_character_is_never_split_across_segments():
    text = "a" * 152 + "€" + "b" * 10  # 164 septets; the euro would straddle 153
    parts = split_segments(text)
    assert parts == ["a" * 152, "€" + "b" * 10]
    assert segment_count(text) == 2


def test_an_extension_character_at_the_boundary_can_cost_a_segment():
    # 152 a + € would need septets 153-154: it moves whole to segment 2, 2 x 153 no longer holds 306
    text = "a" * 152 + "€" + "a" * 152
    assert septet_count(text) == 306
    assert segment_count(text) == 3


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("é" * 70 + "ć", 2),  # ć is not GSM-7: the whole text is UCS-2 (71 units)
        ("ć" * 70, 1),
        ("ć" * 71, 2),
        ("ć" * 134, 2),  # 2 x 67
        ("ć" * 135, 3),
        ("\U0001F600" * 35, 1),  # an emoji takes two UTF-16 units
        ("\U0001F600" * 36, 2),
    ],
)
def test_ucs2_segments(text, segments):
    assert segment_count(text) == segments


def test_one_curly_quote_would_turn_a_message_into_ucs2_but_folding_prevents_it():
    text = "It\u2019s on " + "a" * 150
    assert segment_count(text) == 3  # 158 characters as UCS-2
    assert segment_count(to_gsm(text)) == 1


def test_septet_count_refuses_non_gsm_text():
    with pytest.raises(ValueError):
        septet_count("caf\u00e9 \U0001F600")


def greedy_segments(text: str) -> list[tuple[int, int, int]]:
    """segment_ranges as first written: a character at a time (it now takes shortcuts, which must agree)."""
    gsm = all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)
    costs = [(2 if ch in GSM_EXTENSION else 1) if gsm else (2 if ord(ch) > 0xFFFF else 1) for ch in text]
    single, multi = (160, 153) if gsm else (70, 67)
    if not text:
        return []
    if sum(costs) <= single:
        return [(0, len(text), 0)]
    ranges, start, used, offset = [], 0, 0, 0
    for index, cost in enumerate(costs):
        if used + cost > multi:
            ranges.append((start, index, offset))
            offset, start, used = offset + used, index, 0
        used += cost
    return [*ranges, (start, len(text), offset)]


@settings(max_examples=300, deadline=None)
@example("a" * 306)
@example("a" * 700)
@example("ć" * 300)
@example("a" * 200 + "€")
@given(st.text(st.sampled_from(["a", " ", "\n", "€", "[", "é", "ć", "\U0001F600", "\ud800"]), max_size=700))
def test_segments_and_septets_agree_with_counting_a_character_at_a_time(text):
    assert segment_ranges(text) == greedy_segments(text)
    assert is_gsm(text) == all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)
    if is_gsm(text):
        assert septet_count(text) == sum(2 if ch in GSM_EXTENSION else 1 for ch in text)


# --- folding -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("\u2018quoted\u2019 \u201cdouble\u201d", "'quoted' \"double\""),
        ("10am \u2013 12pm \u2014 free", "10am - 12pm - free"),
        ("Wait\u2026", "Wait..."),
        ("Knit\u00a0&\u202fnatter", "Knit & natter"),
        ("caf\u00e9 cr\u00e8me", "caf\u00e9 cr\u00e8me"),  # é and è are in GSM-7 already
        ("Ma\u00f1ana", "Ma\u00f1ana"),
        ("r\u00f4le na\u00efve \u00e1", "role naive a"),
        ("fa\u00e7ade", "facade"),
        ("Eisteddfod y Gw\u0175yl, T\u0177 Hywel", "Eisteddfod y Gwwyl, Ty Hywel"),
        ("\u00bd price", "1/2 price"),
        ("\u2022 item", "- item"),
        ("\u00a33 \u20ac4 $5", "\u00a33 \u20ac4 $5"),
        ("Hello \U0001F44B\U0001F3FD there", "Hello there"),
        ("\U0001F600 Hi \u2764\ufe0f", "Hi"),
        ("line\r\nbreak\rold mac", "line\nbreak\nold mac"),
        ("a\n\n\n\nb", "a\n\nb"),
        ("tab\there", "tab here"),
        ("zero\u200bwidth", "zerowidth"),
        ("\u4f60\u597d Chinese", "Chinese"),
    ],
)
def test_folding_to_gsm7(raw, folded):
    assert to_gsm(raw) == folded
    assert is_gsm(to_gsm(raw))


@settings(max_examples=300, deadline=None)
@example("a" * 306)
@example("a" * 700)
@example("ć" * 300)
@example("a" * 200 + "€")
@given(st.text())
def test_anything_folds_to_gsm7(text):
    folded = to_gsm(text)
    assert is_gsm(folded)
    assert "\x1b" not in folded
    assert segment_count(folded) == len(split_segments(folded))


def test_the_gsm_tables_are_the_standard_ones():
    assert len(GSM_BASIC) == 127  # 128 code points minus ESC
    assert GSM_EXTENSION == set("^{}\\[~]|\u20ac")


# --- buttons become numbered choices -------------------------------------------------------------
def test_two_buttons_become_an_inline_choice_and_a_mapping():
    reply = render_for_sms([
        {"text": "Would you like groups near you?",
         "buttons": [{"title": "Yes please", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]},
    ])
    assert reply.text == "Would you like groups near you?\nReply 1 for Yes please or 2 for No."
    assert reply.choices == {"1": "/affirm", "2": "/deny"}
    assert reply.more == ()


def test_three_buttons_inline():
    reply = render_for_sms([{"text": "Which?", "buttons": [
        {"title": "Walks", "payload": "/walk"}, {"title": "Crafts", "payload": "/craft"},
        {"title": "Lunch", "payload": "/lunch"}]}])
    assert reply.text.endswith("Reply 1 for Walks, 2 for Crafts or 3 for Lunch.")


def test_many_or_long_choices_become_a_numbered_list():
    titles = ["Walking groups", "Arts and crafts", "Lunch clubs", "Befriending calls"]
    reply = render_for_sms([{"text": "What interests you?",
                             "buttons": [{"title": t, "payload": f"/pick{i}"} for i, t in enumerate(titles)]}])
    assert reply.text == (
        "What interests you?\nReply with a number:\n1 Walking groups\n2 Arts and crafts\n3 Lunch clubs\n4 Befriending calls"
    )
    assert reply.choices == {"1": "/pick0", "2": "/pick1", "3": "/pick2", "4": "/pick3"}


def test_buttons_across_messages_are_numbered_in_order_and_titles_folded():
    reply = render_for_sms([
        {"text": "First", "buttons": [{"title": "Knitting \U0001F9F6", "payload": "/knit"}]},
        {"text": "Second", "buttons": [{"title": "Caf\u00e9 \u2013 chat", "payload": '/cafe{"id": 3}'},
                                       {"title": "No payload"}]},
    ])
    assert reply.choices == {"1": "/knit", "2": '/cafe{"id": 3}', "3": "No payload"}
    assert "1 for Knitting, 2 for Caf\u00e9 - chat or 3 for No payload." in reply.text
    assert is_gsm(reply.text)


def test_quick_replies_are_treated_as_buttons():
    reply = render_for_sms([{"text": "OK?", "quick_replies": [{"title": "Yes", "payload": "/affirm"}]}])
    assert reply.choices == {"1": "/affirm"}


def test_phrases_are_parameters():
    welsh = replace(default_phrases(), more="Atebwch MWY am y gweddill", more_keyword="MWY",
                    choice_first="Atebwch {number} am {title}", choice_next="{number} am {title}",
                    choice_last_separator=" neu ")
    reply = render_for_sms([{"text": "Iawn?", "buttons": [{"title": "Ie", "payload": "/affirm"},
                                                          {"title": "Na", "payload": "/deny"}]}], phrases=welsh)
    assert reply.text == "Iawn?\nAtebwch 1 am Ie neu 2 am Na."
    assert is_more_request(" mwy! ", welsh)


@pytest.mark.parametrize(("reply", "payload"), [
    ("1", "/affirm"), (" 2 ", "/deny"), ("2.", "/deny"), ("(1)", "/affirm"), ("#2", "/deny"), ("01", "/affirm"),
    ("3", None), ("1 please", None), ("one", None), ("", None),
])
def test_resolve_choice(reply, payload):
    assert resolve_choice(reply, {"1": "/affirm", "2": "/deny"}) == payload
    # The intake reads the choices only for a reply that looks like one: nothing else can resolve.
    assert looks_like_choice(reply) or payload is None
    assert looks_like_choice(reply) == (resolve_choice(reply, {str(n): "/x" for n in range(100)}) is not None)


@pytest.mark.parametrize(("reply", "expected"), [
    ("MORE", True), ("more", True), (" More. ", True), ("more please", False), ("moree", False), ("", False),
])
def test_is_more_request(reply, expected):
    assert is_more_request(reply) is expected


# --- budget and MORE -----------------------------------------------------------------------------
def test_short_content_is_one_reply():
    reply = render_for_sms([{"text": "Hello"}, {"text": "How can I help?"}])
    assert reply.text == "Hello\nHow can I help?"
    assert reply.segments == 1


def test_content_within_budget_is_not_split():
    text = "word " * 91  # 454 characters once trimmed: 3 segments
    reply = render_for_sms([{"text": text}], budget=3)
    assert reply.more == ()
    assert reply.segments == 3


def _activities(n: int) -> str:
    return " ".join(f"Group {i} meets at the community centre every Tuesday at 2pm." for i in range(n))


@pytest.mark.parametrize("budget", [1, 2, 3, 4])
def test_over_budget_content_is_split_at_sentences_with_more(budget):
    reply = render_for_sms([{"text": _activities(30)}], budget=budget)
    parts = [reply.text, *reply.more]
    assert len(parts) > 1
    for part in parts:
        assert segment_count(part) <= budget
        assert is_gsm(part)
    for part in parts[:-1]:
        assert part.endswith("\n" + MORE)
        assert part[: -len(MORE) - 1].endswith(".")  # cut after a sentence, not mid-way
    assert not parts[-1].endswith(MORE)
    # Nothing lost, nothing repeated.
    joined = " ".join(p.removesuffix("\n" + MORE) for p in parts)
    assert joined == _activities(30)


def test_lines_are_preferred_cut_points():
    lines = [f"{i}. Group {i}, Tue 2pm, Library" for i in range(1, 31)]
    reply = render_for_sms([{"text": "\n".join(lines)}], budget=2)
    parts = [reply.text, *reply.more]
    body_lines = [line for p in parts for line in p.split("\n") if line != MORE]
    assert body_lines == lines


def test_choices_come_at_the_end_of_the_last_part_and_the_mapping_is_returned_at_once():
    reply = render_for_sms([{"text": _activities(30),
                             "buttons": [{"title": "Yes", "payload": "/affirm"}, {"title": "No", "payload": "/deny"}]}])
    assert reply.choices == {"1": "/affirm", "2": "/deny"}
    assert reply.more[-1].endswith("Reply 1 for Yes or 2 for No.")
    assert "Reply 1" not in reply.text


def test_budget_default_is_three_segments():
    reply = render_for_sms([{"text": _activities(30)}])
    assert reply.segments <= 3
    assert reply.segments >= 2  # the budget is used, not wasted


def test_a_single_word_longer_than_the_budget_is_sent_whole():
    word = "x" * 200
    reply = render_for_sms([{"text": f"Start. {word} end."}], budget=1)
    parts = [reply.text, *reply.more]
    assert any(word in part for part in parts)


def test_budget_must_be_positive():
    with pytest.raises(ValueError):
        render_for_sms([{"text": "hi"}], budget=0)


def test_empty_and_emoji_only_turns_render_to_nothing():
    assert render_for_sms([]).text == ""
    reply = render_for_sms([{"text": "\U0001F600\U0001F44D"}, {"custom": {"x": 1}}])
    assert (reply.text, reply.more, reply.choices) == ("", (), {})


def test_images_are_sent_as_links():
    reply = render_for_sms([{"text": "Map:", "image": "https://example.org/map.png"}])
    assert reply.text == "Map:\nhttps://example.org/map.png"


# --- links ---------------------------------------------------------------------------------------
URL = "https://www.example.org/activities/knit-and-natter-at-the-library?id=12345"


@pytest.mark.parametrize("prefix_length", range(100, 160, 3))
def test_a_link_never_straddles_two_segments(prefix_length):
    text = "a" * prefix_length + " " + URL + " and more text after the link to make it long enough."
    reply = render_for_sms([{"text": text}], budget=3)
    for part in [reply.text, *reply.more]:
        segments = split_segments(part)
        if URL in part:
            assert any(URL in segment for segment in segments), segments


def test_a_link_is_never_split_between_replies():
    text = " ".join(f"Sentence {i} about a group." for i in range(40)) + f" Details {URL} here. " + _activities(10)
    reply = render_for_sms([{"text": text}], budget=2)
    parts = [reply.text, *reply.more]
    assert sum(URL in part for part in parts) == 1
    for part in parts:
        assert segment_count(part) <= 2


def test_a_link_that_fits_is_left_alone():
    reply = render_for_sms([{"text": f"See {URL}"}])
    assert reply.text == f"See {URL}"
    assert reply.segments == 1


def test_link_padding_reads_as_a_line_break():
    text = "a" * 140 + " " + URL + " " + "b" * 100
    reply = render_for_sms([{"text": text}], budget=3)
    before, _, _ = reply.text.partition(URL)
    assert before.endswith("\n")
    assert before.rstrip(" \n") == "a" * 140
    assert split_segments(reply.text)[1].startswith(URL)
