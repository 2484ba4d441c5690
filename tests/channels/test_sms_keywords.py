"""Which SMS bodies are opt-out, opt-in, help and choice words."""
from __future__ import annotations

import pytest

from channels.sms_keywords import HELP_WORDS, OPT_IN_WORDS, OPT_OUT_WORDS, keyword
from channels.twiml import twiml


@pytest.mark.parametrize("body", ["STOP", "stop", " Stop. ", "STOPALL", "unsubscribe!", "Cancel", "end", "QUIT", "revoke", "OptOut"])
def test_opt_out_words_in_any_case_with_punctuation(body: str) -> None:
    assert keyword(body) in OPT_OUT_WORDS


@pytest.mark.parametrize("body", ["please stop", "stop sending", "don't stop", "the end of the road"])
def test_sentences_containing_stop_are_not_opt_outs(body: str) -> None:
    assert keyword(body) not in OPT_OUT_WORDS


def test_start_help_and_choice_numbers() -> None:
    assert keyword("start") in OPT_IN_WORDS and keyword("Unstop") in OPT_IN_WORDS
    assert keyword("help?") in HELP_WORDS and keyword("INFO") in HELP_WORDS
    assert keyword(" 2 ") == "2"


def test_twiml_escapes_and_empty_replies() -> None:
    assert twiml(None).endswith("<Response/>")
    body = twiml("Fish & chips <Fridays>")
    assert "<Message>Fish &amp; chips &lt;Fridays&gt;</Message>" in body


def test_bot_messages_are_collected_under_the_channel_name() -> None:
    from channels.rasa_turns import collector_for

    assert collector_for("sms").name() == "sms"
    assert collector_for("webchat").name() == "webchat"
    assert type(collector_for("sms")) is type(collector_for("sms"))
