"""When the application database is down, residents still get an answer and the safety numbers."""
from __future__ import annotations

import asyncio
import dataclasses

import pytest
from sqlalchemy.exc import SQLAlchemyError

from casework.identity import sms_sender_id
from channels.runtime import Runtime
from channels.sms import Inbound, SmsInput
from channels.turn import answer_from_screen_only
from channels.webchat import WebchatInput
from service.database import make_engine, make_sessionmaker
from service.settings import load_settings
from tests.service_stack import free_port


@pytest.fixture
def runtime_without_database() -> Runtime:
    url = f"postgresql+psycopg2://nobody@127.0.0.1:{free_port()}/gone"
    settings = dataclasses.replace(load_settings(), database_url=url)
    return Runtime(settings=settings, sessions=make_sessionmaker(make_engine(url)))


def inbound(body: str) -> Inbound:
    return Inbound("SM" + "a" * 32, "+447700900123", sms_sender_id("+447700900123", key="k"), body, 0)


async def never_called(_message: object) -> None:
    raise AssertionError("the bot must not run when nothing could be recorded")


def test_the_sms_turn_reports_the_database_error_instead_of_hiding_it(runtime_without_database: Runtime) -> None:
    with pytest.raises(SQLAlchemyError):
        asyncio.run(SmsInput(runtime_without_database).answer(inbound("hello"), never_called))


@pytest.mark.parametrize(
    ("body", "expected", "not_expected"),
    [
        ("I want to end it all", "116 123", "having trouble"),
        ("a man at the door won't leave", "999", "having trouble"),
        ("I'm so lonely", "Silver Line", None),
        ("I like walking", "having trouble", None),
    ],
)
def test_sms_answers_from_the_safety_screen_without_a_database(
    runtime_without_database: Runtime, body: str, expected: str, not_expected: str | None
) -> None:
    reply = SmsInput(runtime_without_database).answer_without_database(inbound(body)) or ""
    assert expected in reply
    if not_expected:
        assert not_expected not in reply


def test_an_opt_out_that_cannot_be_recorded_gets_no_text(runtime_without_database: Runtime) -> None:
    assert SmsInput(runtime_without_database).answer_without_database(inbound("STOP")) is None


def test_web_chat_answers_from_the_safety_screen_without_a_database(runtime_without_database: Runtime) -> None:
    messages = answer_from_screen_only("I've been scammed")
    assert any("0300 123 2040" in m["text"] for m in messages)
    with pytest.raises(SQLAlchemyError):
        asyncio.run(WebchatInput(runtime_without_database).answer("web:x", "web:x:abcdefgh", "hello", never_called))
