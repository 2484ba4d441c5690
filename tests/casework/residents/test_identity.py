"""Pseudonymous sender ids, encrypted numbers and web-chat tokens."""
from __future__ import annotations

import pytest
from cryptography.fernet import InvalidToken

from casework.residents.identity import (
    InvalidPhoneNumber,
    PhoneVault,
    issue_web_session,
    normalise_uk_number,
    sms_sender_id,
    verify_web_token,
)


@pytest.mark.parametrize("raw", ["07700 900123", "+44 7700 900123", "00447700900123", "447700900123", "+44 (0)7700-900123".replace("(0)", "")])
def test_uk_numbers_normalise_to_e164(raw: str) -> None:
    assert normalise_uk_number(raw) == "+447700900123"


@pytest.mark.parametrize("raw", ["", "hello", "+0123", "12"])
def test_non_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        normalise_uk_number(raw)


def test_sender_ids_are_keyed_stable_and_never_the_number() -> None:
    one = sms_sender_id("07700 900123", key="k1")
    assert one == sms_sender_id("+447700900123", key="k1")
    assert one != sms_sender_id("+447700900123", key="k2")
    assert one.startswith("sms:") and "7700900123" not in one


def test_the_vault_round_trips_and_refuses_another_key() -> None:
    token = PhoneVault("key-a").seal("07700900123")
    assert "7700900123" not in token
    assert PhoneVault("key-a").open(token) == "+447700900123"
    with pytest.raises(InvalidToken):
        PhoneVault("key-b").open(token)


def test_web_tokens_are_issued_by_the_server_and_cannot_be_forged() -> None:
    sender, token = issue_web_session(secret="s")
    assert sender.startswith("web:")
    assert verify_web_token(token, secret="s") == sender
    assert verify_web_token(token, secret="other") is None
    session_id, issued, _ = token.split(".")
    assert verify_web_token(f"{session_id}.{issued}.forged", secret="s") is None
    assert verify_web_token(session_id + ".forged", secret="s") is None
    assert verify_web_token("", secret="s") is None


def test_web_tokens_expire_after_their_lifetime() -> None:
    issued_at = 1_800_000_000.0
    sender, token = issue_web_session(secret="s", now=issued_at)
    assert verify_web_token(token, secret="s", now=issued_at + 24 * 3600 - 1) == sender
    assert verify_web_token(token, secret="s", now=issued_at + 24 * 3600 + 1) is None
    assert verify_web_token(token, secret="s", max_age_hours=1, now=issued_at + 3601) is None
    assert verify_web_token(token, secret="s", max_age_hours=48, now=issued_at + 47 * 3600) == sender
    # Issued "in the future" beyond clock skew between replicas: not ours.
    assert verify_web_token(token, secret="s", now=issued_at - 3600) is None
    assert verify_web_token(token, secret="s", now=issued_at - 60) == sender


def test_the_issue_time_is_under_the_signature() -> None:
    issued_at = 1_800_000_000.0
    _, token = issue_web_session(secret="s", now=issued_at)
    session_id, issued, signature = token.split(".")
    younger = f"{session_id}.{int(issued) + 30 * 3600}.{signature}"
    assert verify_web_token(younger, secret="s", now=issued_at + 30 * 3600) is None


@pytest.mark.parametrize("token", [
    None, 42, b"bytes", ".", "..", "...", "a.b", "a.b.c.d", "abc.notanumber.0123456789abcdef0123456789abcdef",
    "abc.\u0661\u0662\u0663.0123456789abcdef0123456789abcdef", "abc.-5.sig", "x" * 5000, "\x00.\x00.\x00",
    "abc.99999999999999999999999999999999.sig",
])
def test_malformed_tokens_are_none_never_an_exception(token) -> None:
    assert verify_web_token(token, secret="s") is None  # type: ignore[arg-type]
