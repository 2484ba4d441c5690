"""The soak (bench/soak.py) for a few seconds against the session's service: texts sent on schedule,
whatever came back, are each answered exactly once, and its minute is printed with every process's memory.
It prints figures but no timing is asserted."""
from __future__ import annotations

import pytest

from bench.soak import soak
from tests.service_stack import ServiceStack

pytestmark = pytest.mark.service


def test_a_short_soak_answers_every_text_exactly_once(service: ServiceStack) -> None:
    lines: list[str] = []
    soaked = soak(service, rate=2, residents=4, seconds=5, show=lines.append)

    assert len(soaked.texts) == 10 and {text.resident for text in soaked.texts} == {0, 1, 2, 3}
    assert [(text.body, text.problem) for text in soaked.texts if text.latency_ms is None] == [], "every text answered"
    assert {text.answered_by for text in soaked.texts} <= {"TwiML", "outbox"}
    assert soaked.extra_replies == 0, "no text answered twice"
    [minute] = soaked.minutes
    assert (minute.sent, minute.answered) == (10, 10)
    assert {"actions", "web", "worker"} <= set(minute.memory) and any(name.startswith("rasa") for name in minute.memory)
    assert all(rss > 0 for rss in minute.memory.values())
    assert len(lines) == 2 and lines[0].startswith("minute |"), "a header and the minute's row"
