"""What a resident or neighbour reads is said once (issue 17): the privacy notice never inside a crisis
answer but with the first ordinary reply after it, and the report's opening (thanks, 999) not again
when an answer in the middle of the questions reads as a worry too. In process, Rasa stood in for."""
from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.models import Resident
from casework.privacy.consent import has_consent
from casework.safety.rules_layer import screen
from channels.intake import Intake
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import SENDER, run, sms

NOTICE = "Privacy:"


def replies(settings: Any, app_sessions: sessionmaker, texts: list[str]) -> list[tuple[str, str]]:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> list[tuple[str, str]]:
        said = []
        for n, body in enumerate(texts, start=1):
            outcome = await intake.receive(sms(body, n))
            said.append((outcome.state, outcome.text or ""))
        return said

    return run(settings, app_sessions, scenario)


def notice_given(app_sessions: sessionmaker) -> bool:
    with app_sessions() as session:
        at = session.scalars(select(Resident.privacy_notice_at).where(Resident.sender_id == SENDER)).one()
        return at is not None and has_consent(session, SENDER, "suggestions")


@pytest.mark.parametrize("crisis", [
    ["whats the point of going on, im a burden", "yes"],  # the direct question, then yes: the crisis answer
    ["I want to end it all"],
])
def test_a_resident_whose_first_text_is_a_crisis_gets_the_notice_with_the_next_ordinary_reply_once(settings, app_sessions,
                                                                                                 crisis: list[str]) -> None:
    said = replies(settings, app_sessions, [*crisis, "thank you", "I like walking"])
    *answers, ordinary, third = said
    for state, text in answers:
        assert NOTICE not in text and state == "screened" and "116 123" in text, "the crisis answer carries nothing else"
    assert answers[-1][1].startswith(("Thank you for telling me", "I'm so sorry")), "safety numbers first, as it was"
    assert ordinary[1].count(NOTICE) == 1 and ordinary[1].startswith("You said: thank you")
    assert NOTICE not in third[1], "once"
    assert notice_given(app_sessions), "the record shows it given, and consent to suggestions with it"


def test_no_the_direct_question_is_an_ordinary_reply_and_carries_the_notice(settings, app_sessions) -> None:
    question, no = replies(settings, app_sessions, ["whats the point of going on, im a burden", "no"])
    assert question[0] == "screened" and NOTICE not in question[1]
    assert no[0] == "answered" and no[1].count(NOTICE) == 1 and notice_given(app_sessions)


def test_an_answer_in_the_middle_of_a_report_that_reads_as_a_worry_does_not_repeat_the_opening(settings, app_sessions) -> None:
    worried = "hes not been seen since sunday and his milk is still on the step, im worried hes had a fall"
    assert screen(worried).tier == "report", "the answer reads as a worry too"
    first, _who, worry = replies(settings, app_sessions, ["the man across the road hasnt opened his curtains in days", "mr jones at number 12", worried])
    assert first[1].startswith("Thank you for looking out for them.") and first[1].count("999") == 1
    assert "You said: /report_concern" in first[1], "the screen started the report"
    assert worry[1] == f"You said: {worried}", "to the form as words, and nothing else"
