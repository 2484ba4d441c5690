"""Remembering an SMS resident's last search (casework.residents.memory) on the real migrated SQLite database:
asked once, kept sealed only after a yes, replaced by a new search, cleared by CLEAR."""
from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.conversation.inbound import BodyVault
from casework.models import Flag, utcnow
from casework.privacy.consent import consent_history, current_consent
from casework.privacy.retention import purge_casework, retention_policy
from casework.residents.memory import (
    OFFER_AGAIN_AFTER,
    QUESTION_VALID_FOR,
    answer_remember_offer,
    asks_to_clear_memory,
    clear_memory,
    forget_unanswered_offers,
    interpret_remember_answer,
    offer_to_remember,
    remembered,
    update_memory,
)
from casework.residents.memory_models import ResidentMemory
from service.settings import Settings
from tests.casework.conftest import ENCRYPTION_KEY

NUMBER = "+447700900301"


@pytest.fixture
def bodies() -> BodyVault:
    return BodyVault(ENCRYPTION_KEY)


@pytest.fixture
def resident(add_resident: Callable[..., str]) -> str:
    return add_resident(NUMBER)


def _offer(sessions: sessionmaker, sender: str, bodies: BodyVault, interest: str = "singing", place: str = "CH60 1AB", **kw: object) -> bool:
    with sessions.begin() as session:
        return offer_to_remember(session, sender_id=sender, interest=interest, place=place, vault=bodies, **kw)  # type: ignore[arg-type]


def _answer(sessions: sessionmaker, sender: str, text: str, **kw: object) -> str | None:
    with sessions.begin() as session:
        return answer_remember_offer(session, sender_id=sender, text=text, **kw)  # type: ignore[arg-type]


def _rows(sessions: sessionmaker) -> list[ResidentMemory]:
    with sessions() as session:
        return list(session.scalars(select(ResidentMemory)))


def _remembered(sessions: sessionmaker, sender: str, bodies: BodyVault):  # type: ignore[no-untyped-def]
    with sessions() as session:
        return remembered(session, sender, bodies)


@pytest.mark.parametrize("text", ["1", "yes", "Yes please", "ok", "OK!", "yeah", "go on then", "1."])
def test_yes_answers(text: str) -> None:
    assert interpret_remember_answer(text) == "yes"


@pytest.mark.parametrize("text", ["2", "no", "No thanks", "nope", "no thank you", "I'd rather not"])
def test_no_answers(text: str) -> None:
    assert interpret_remember_answer(text) == "no"


@pytest.mark.parametrize("text", ["no i meant wallasey", "tell me about 3", "12", "how do i get there", "yes but in moreton", ""])
def test_anything_else_is_not_an_answer(text: str) -> None:
    assert interpret_remember_answer(text) is None


@pytest.mark.parametrize("text", ["CLEAR", "clear", "Forget what I like", "clear my details", "stop remembering me", "please clear it",
                                  "forget what i told you", "don't remember me"])
def test_clear_phrasings(text: str) -> None:
    assert asks_to_clear_memory(text)


@pytest.mark.parametrize("text", ["forget me", "delete my data", "clear skies walking group", "i forget what its called", "walking"])
def test_not_clear_phrasings(text: str) -> None:
    assert not asks_to_clear_memory(text)


def test_a_yes_keeps_it_sealed_and_records_consent(sessions: sessionmaker, resident: str, bodies: BodyVault) -> None:
    assert _offer(sessions, resident, bodies)
    [row] = _rows(sessions)
    assert row.agreed_at is None and "CH60" not in row.place_encrypted and "singing" not in row.interest_encrypted
    assert _remembered(sessions, resident, bodies) is None  # not agreed yet
    assert _answer(sessions, resident, "1") == "yes"
    memory = _remembered(sessions, resident, bodies)
    assert memory is not None and (memory.interest, memory.place) == ("singing", "CH60 1AB")
    with sessions() as session:
        assert current_consent(session, resident)["remember"] is True
        assert [d.source for d in consent_history(session, [resident]) if d.purpose == "remember"] == ["remember_offer"]
    # Asked once: never again after a yes.
    assert not _offer(sessions, resident, bodies, interest="bowls")
    assert _answer(sessions, resident, "1") is None  # nothing pending now


def test_a_no_deletes_it_and_is_never_asked_again(sessions: sessionmaker, resident: str, bodies: BodyVault) -> None:
    assert _offer(sessions, resident, bodies)
    assert _answer(sessions, resident, "no thanks") == "no"
    assert _rows(sessions) == []
    with sessions() as session:
        assert current_consent(session, resident)["remember"] is False
    later = utcnow() + OFFER_AGAIN_AFTER + timedelta(days=1)
    assert not _offer(sessions, resident, bodies, now=later)


def test_moving_on_drops_the_question_and_its_values(sessions: sessionmaker, resident: str, bodies: BodyVault) -> None:
    assert _offer(sessions, resident, bodies)
    assert _answer(sessions, resident, "how do i get there") is None
    assert _rows(sessions) == []
    with sessions() as session:
        assert "remember" not in {d.purpose for d in consent_history(session, [resident])}
        assert session.scalars(select(Flag.state).where(Flag.reason == "remember_asked")).all() == ["answered"]
    # Not asked at every activity they look at...
    assert not _offer(sessions, resident, bodies)
    # ...but again after a while, and then it can be answered.
    later = utcnow() + OFFER_AGAIN_AFTER + timedelta(days=1)
    assert _offer(sessions, resident, bodies, now=later)
    assert _answer(sessions, resident, "yes", now=later + timedelta(minutes=2)) == "yes"


def test_an_answer_long_after_the_question_is_not_one(sessions: sessionmaker, resident: str, bodies: BodyVault) -> None:
    assert _offer(sessions, resident, bodies)
    assert _answer(sessions, resident, "1", now=utcnow() + QUESTION_VALID_FOR + timedelta(minutes=1)) is None
    assert _remembered(sessions, resident, bodies) is None


def test_only_sms_residents_who_have_not_opted_out_and_only_a_real_search(
    sessions: sessionmaker, add_resident: Callable[..., str], bodies: BodyVault
) -> None:
    assert not _offer(sessions, "web:abc123", bodies)
    assert not _offer(sessions, add_resident("+447700900302", opted_out=True), bodies)
    someone = add_resident("+447700900303")
    assert not _offer(sessions, someone, bodies, place="")
    assert not _offer(sessions, someone, bodies, interest=" ")
    assert _rows(sessions) == []


def test_a_new_search_replaces_it_only_once_agreed(sessions: sessionmaker, resident: str, bodies: BodyVault) -> None:
    with sessions.begin() as session:
        assert not update_memory(session, sender_id=resident, interest="bowls", place="Moreton", vault=bodies)
    _offer(sessions, resident, bodies)
    with sessions.begin() as session:
        assert not update_memory(session, sender_id=resident, interest="bowls", place="Moreton", vault=bodies)
    _answer(sessions, resident, "ok")
    with sessions.begin() as session:
        assert update_memory(session, sender_id=resident, interest="bowls", place="Moreton", vault=bodies)
    memory = _remembered(sessions, resident, bodies)
    assert memory is not None and (memory.interest, memory.place) == ("bowls", "Moreton")


def test_clear_forgets_and_withdraws_consent(sessions: sessionmaker, resident: str, bodies: BodyVault) -> None:
    _offer(sessions, resident, bodies)
    _answer(sessions, resident, "1")
    with sessions.begin() as session:
        assert clear_memory(session, sender_id=resident)
    assert _rows(sessions) == []
    with sessions() as session:
        assert current_consent(session, resident)["remember"] is False
        assert [d.granted for d in consent_history(session, [resident]) if d.purpose == "remember"] == [True, False]
        assert not clear_memory(session, sender_id=resident)
    assert not _offer(sessions, resident, bodies, now=utcnow() + OFFER_AGAIN_AFTER * 2)


def test_clear_while_the_question_is_open_drops_it(sessions: sessionmaker, resident: str, bodies: BodyVault) -> None:
    _offer(sessions, resident, bodies)
    with sessions.begin() as session:
        assert not clear_memory(session, sender_id=resident)
    assert _answer(sessions, resident, "1") is None
    assert _rows(sessions) == []


def test_unanswered_questions_are_purged(sessions: sessionmaker, resident: str, bodies: BodyVault, casework_settings: Settings,
                                         add_resident: Callable[..., str]) -> None:
    _offer(sessions, resident, bodies)
    agreed = add_resident("+447700900304")
    _offer(sessions, agreed, bodies)
    _answer(sessions, agreed, "1")
    with sessions.begin() as session:
        assert forget_unanswered_offers(session) == 0  # still answerable
    with sessions.begin() as session:
        purge = purge_casework(session, policy=retention_policy(casework_settings), now=utcnow() + QUESTION_VALID_FOR + timedelta(hours=1))
        assert purge.rows["resident_memory"] == 1
    assert [r.sender_id for r in _rows(sessions)] == [agreed]
