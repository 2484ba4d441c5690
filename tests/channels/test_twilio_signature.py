"""Webhook signatures during an auth-token switch: the current token and the old ones are accepted."""
from __future__ import annotations

import dataclasses
import logging
from urllib.parse import urlencode

import pytest

from channels.twilio_signature import TwilioSignatureCheck, form_fields
from service.settings import load_settings
from tests.twilio_signing import sign, sms_form

URL = "https://sms.council.example/webhooks/sms/webhook"


def signed_request(token: str, **extra: str) -> tuple[dict, str]:
    form = sms_form("Is the choir on today?", **extra)
    fields = form_fields(urlencode(form).encode())
    return fields, sign(URL, form, token)


def test_the_current_token_is_accepted() -> None:
    check = TwilioSignatureCheck(["current"])
    fields, signature = signed_request("current")
    assert check.is_valid(URL, fields, signature)
    assert check.matching_token(URL, fields, signature) == 0


def test_an_old_token_is_accepted_during_the_switch_and_logged_once(caplog) -> None:
    check = TwilioSignatureCheck(["current", "previous-1", "previous-2"])
    with caplog.at_level(logging.INFO):
        for token, index in (("previous-1", 1), ("previous-2", 2), ("previous-1", 1), ("current", 0)):
            fields, signature = signed_request(token)
            assert check.matching_token(URL, fields, signature) == index
    assert caplog.text.count("old auth token") == 2
    assert "Is the choir" not in caplog.text and "7700900123" not in caplog.text


def test_after_the_switch_an_old_token_is_refused() -> None:
    fields, signature = signed_request("previous-1")
    assert not TwilioSignatureCheck(["current"]).is_valid(URL, fields, signature)


@pytest.mark.parametrize("signature", [None, "", "bm90IGEgc2lnbmF0dXJl"])
def test_missing_or_wrong_signatures_are_refused(signature) -> None:
    fields, _ = signed_request("current")
    assert not TwilioSignatureCheck(["current", "old"]).is_valid(URL, fields, signature)


def test_a_changed_field_or_url_is_refused() -> None:
    check = TwilioSignatureCheck(["current", "old"])
    fields, signature = signed_request("old")
    assert not check.is_valid(URL.replace("sms.", "evil."), fields, signature)
    fields["Body"] = ["Something else"]
    assert not check.is_valid(URL, fields, signature)


def test_blank_fields_are_part_of_the_signature() -> None:
    # Twilio signs FromCity= and the like; a parser that drops them would reject real requests.
    check = TwilioSignatureCheck(["current"])
    fields, signature = signed_request("current", FromCity="", Body="")
    assert fields["FromCity"] == [""]
    assert check.is_valid(URL, fields, signature)


def test_built_from_settings_with_the_current_token_first() -> None:
    settings = dataclasses.replace(load_settings(), twilio_auth_token="current",
                                   twilio_auth_token_previous=("old", "current"))
    check = TwilioSignatureCheck.from_settings(settings)
    assert check.token_count == 2
    fields, signature = signed_request("old")
    assert check.matching_token(URL, fields, signature) == 1


def test_no_token_at_all_is_a_configuration_error() -> None:
    with pytest.raises(ValueError):
        TwilioSignatureCheck(["", ""])
