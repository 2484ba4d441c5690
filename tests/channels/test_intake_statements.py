"""How many SQL statements one ordinary SMS turn costs the intake (issue 19: the web app's CPU a turn was
mostly the application database). Statement counts are deterministic, so they hold a ceiling here; times
never are (bench/profile_web.py and bench/compare.py print those).

An ordinary turn, a resident's second text answered by the bot: in the first transaction BEGIN, the message
recorded (one INSERT), a connector's number looked for, the open questions read (one union), the resident
read and touched, the queue behind earlier messages asked; in the second BEGIN, the answer recorded and
the numbered choices compared. Ten, where there were 16.7 before issue 19's work on the intake.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from channels.intake import Intake
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import run, sms, with_notice

ORDINARY_TURN = 10


def test_an_ordinary_sms_turn_runs_at_most_ten_statements(settings, app_engine: Engine, app_sessions) -> None:
    statements: list[str] = []

    def count(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(" ".join(statement.split())[:90])

    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        first = await intake.receive(sms("hello", 1))  # a new resident: their row, the privacy notice, consent
        event.listen(app_engine, "before_cursor_execute", count)
        try:
            second = await intake.receive(sms("I like walking", 2))
        finally:
            event.remove(app_engine, "before_cursor_execute", count)
        return first, second

    first, second = run(settings, app_sessions, scenario)
    assert (first.text, second.text) == (with_notice("You said: hello"), "You said: I like walking")
    assert len(statements) <= ORDINARY_TURN, "\n".join(statements)
    assert not any(s.startswith(("SAVEPOINT", "RELEASE")) for s in statements), "a message is recorded in one statement"


def test_a_redelivered_text_is_still_answered_as_before(settings, app_sessions) -> None:
    """The message is recorded by INSERT ... ON CONFLICT DO NOTHING: a redelivery inserts nothing, runs nothing."""
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        first = await intake.receive(sms("I like walking", 1))
        again = await intake.receive(sms("I like walking", 1))
        return first, again, list(rasa.turns)

    first, again, turns = run(settings, app_sessions, scenario)
    assert again.text == first.text and len(turns) == 1
