"""The privacy notice goes with a resident's first ordinary reply (never with a crisis answer), once;
asking for a person records consent to share their details with a connector."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import sessionmaker

from casework.privacy.consent import has_consent
from channels.incoming import Incoming
from channels.intake import Intake
from tests.channels.rasa_standin import RasaStandIn
from tests.channels.test_intake import run, sms


def test_a_crisis_reply_carries_only_the_numbers_and_the_notice_follows_on_the_next_reply(settings: Any, app_sessions: sessionmaker) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> list[str]:
        texts = []
        for n, body in enumerate(["someone is trying to break in", "TALK", "thank you"], start=1):
            texts.append((await intake.receive(sms(body, n))).text or "")
        return texts

    crisis, talk, thanks = run(settings, app_sessions, scenario)
    assert "999" in crisis and "Privacy:" not in crisis
    assert "Privacy:" in talk and talk.count("Privacy:") == 1
    assert "Privacy:" not in thanks
    with app_sessions() as session:
        sender = sms("x", 0).sender_id
        assert has_consent(session, sender, "sharing") and has_consent(session, sender, "suggestions")


def test_the_web_chat_notice_is_its_own_message(settings: Any, app_sessions: sessionmaker) -> None:
    async def scenario(intake: Intake, rasa: RasaStandIn) -> Any:
        return await intake.receive(Incoming("webchat", "web:n:00000001", "web:n", "hello"))

    outcome = run(settings, app_sessions, scenario)
    assert outcome.messages[0] == {"text": "You said: hello"} and "FORGET ME" in outcome.messages[1]["text"]
