"""Settings.check: the public development secrets run only a loopback development service."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from service.settings import DEVELOPMENT_PLACEHOLDER, Settings, SettingsError, is_loopback, load_settings

ALL_SECRETS = ["PHONE_HASH_KEY", "PHONE_ENCRYPTION_KEY", "WEBCHAT_SECRET", "TWILIO_AUTH_TOKEN", "ACTIONS_TOKEN", "RASA_TURNS_TOKEN"]
# As `python -c "import secrets; print(secrets.token_urlsafe(32))"` makes them (43 characters, 256 bits).
REAL = {
    "PHONE_HASH_KEY": "q3Vn0x8Jd-2LkR7pWm4tYb6Hc1sZe9Fa5GuN_oIvQwE",
    "PHONE_ENCRYPTION_KEY": "Tz8mK2pQ_r5Wn1cXb7Ld4Hs0Fj9Gy3Ue6Aa-VoIkMtN",
    "WEBCHAT_SECRET": "b4Ny7Qe1Wr-8Tu2Io5Pa3Sd6Fg9Hj0Kl_ZxCvBnMqLw",
    "TWILIO_AUTH_TOKEN": "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a90",
    "ACTIONS_TOKEN": "Lm3Nb5Vc7Xz9As_1Dq2Wf4Er6Ty8Ui0Op-KjHgFeDcBa",
    "RASA_TURNS_TOKEN": "Rt6Yu8Io0Pa2Sd4Fg-6Hj8Kl1Zx3Cv5Bn7Mq9Ww_EeRr",
}
VARIABLES = [*ALL_SECRETS, "ENVIRONMENT", "HEALTH_TOKEN", "SANIC_PROXIES_COUNT", "SANIC_REAL_IP_HEADER", "SANIC_FORWARDED_SECRET",
             "TWILIO_ACCOUNT_SID", "TWILIO_FROM_NUMBER", "PUBLIC_BASE_URL", "WEB_INTERFACE",
             "RASA_INTERFACE", "ACTIONS_INTERFACE", "TWILIO_AUTH_TOKEN_PREVIOUS", "PHONE_HASH_KEY_PREVIOUS",
             "PHONE_ENCRYPTION_KEY_PREVIOUS", "WEBCHAT_TOKEN_HOURS"]


@pytest.fixture
def settings_from(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Callable[..., Settings]:
    """Settings read from exactly these variables (no .env file, nothing inherited)."""

    def read(**env: str) -> Settings:
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return load_settings(tmp_path / "no.env")

    return read


def refused(settings: Settings) -> str:
    with pytest.raises(SettingsError) as error:
        settings.check()
    return str(error.value)


def test_the_defaults_run_make_run_on_loopback(settings_from) -> None:
    settings = settings_from(ENVIRONMENT="development")  # what `make run` says itself
    assert settings.is_development and settings.exposure() == []
    assert settings.placeholder_secrets() == ALL_SECRETS
    settings.check()


def test_unset_environment_is_production_and_refuses_the_placeholders(settings_from) -> None:
    """Finding: ENVIRONMENT defaulted to development, so a proxied deployment without a Twilio SID or an
    https address accepted a chat token forged with the public placeholder."""
    settings = settings_from()
    assert not settings.is_development and settings.environment == "production"
    message = refused(settings)
    assert "ENVIRONMENT=production" in message and all(name in message for name in ALL_SECRETS)


def test_a_configured_reverse_proxy_counts_as_exposure(settings_from) -> None:
    message = refused(settings_from(ENVIRONMENT="development", SANIC_PROXIES_COUNT="1"))
    assert "SANIC_PROXIES_COUNT is set" in message and "WEBCHAT_SECRET" in message
    refused_count = refused(settings_from(**REAL, ENVIRONMENT="production", SANIC_PROXIES_COUNT="one"))
    assert "SANIC_PROXIES_COUNT must be" in refused_count


@pytest.mark.parametrize("weak", ["abc", "correct horse battery staple", "0123456789" * 5, "a1" * 40,
                                  "2026-12-06-council-secret", "deadbeef" * 4])
def test_weak_secrets_are_refused_in_production_naming_each_and_how_to_make_one(settings_from, weak) -> None:
    """Finding: with ENVIRONMENT=production, three-character secrets were accepted."""
    message = refused(settings_from(**{**REAL, "WEBCHAT_SECRET": weak, "ACTIONS_TOKEN": weak}, ENVIRONMENT="production"))
    assert "WEBCHAT_SECRET is too short" in message and "ACTIONS_TOKEN is too short" in message
    assert "PHONE_HASH_KEY" not in message and "secrets.token_urlsafe(32)" in message


def test_strength_counts_random_bytes_worth() -> None:
    import secrets

    from service.settings import STRONG_BITS, strength_bits

    for _ in range(50):
        assert strength_bits(secrets.token_urlsafe(32)) >= STRONG_BITS
        assert strength_bits(secrets.token_hex(32)) >= STRONG_BITS
    assert strength_bits(secrets.token_hex(16)) < STRONG_BITS  # 128 bits
    # a draw of token_urlsafe(32) with no digit, '-' or '_' in it (about one in ten thousand) is as strong as any other
    assert strength_bits("yBkudibkmYXggbfmUehiSgTDlBohOHdWXTiBMbyaOis") >= STRONG_BITS
    assert strength_bits("CorrectHorseBatteryStapleCorrectHorse") < STRONG_BITS  # words, however long, fall short
    assert strength_bits("x" * 200) == 0


def test_a_weak_health_token_is_refused_too(settings_from) -> None:
    assert "HEALTH_TOKEN" in refused(settings_from(**REAL, ENVIRONMENT="production", HEALTH_TOKEN="health"))
    settings_from(**REAL, ENVIRONMENT="production", HEALTH_TOKEN=REAL["WEBCHAT_SECRET"][::-1]).check()


def test_weak_secrets_still_run_an_explicit_loopback_development_service(settings_from) -> None:
    settings_from(ENVIRONMENT="development", WEBCHAT_SECRET="abc", PHONE_HASH_KEY="short").check()


def test_make_test_on_loopback_with_environment_test(settings_from) -> None:
    settings_from(ENVIRONMENT="test").check()


@pytest.mark.parametrize(
    "trigger, reason",
    [
        ({"TWILIO_ACCOUNT_SID": "AC" + "1" * 32}, "TWILIO_ACCOUNT_SID is set"),
        ({"PUBLIC_BASE_URL": "https://sms.council.example"}, "PUBLIC_BASE_URL is https"),
        ({"WEB_INTERFACE": "0.0.0.0"}, "WEB_INTERFACE=0.0.0.0 is not loopback"),
        ({"RASA_INTERFACE": "192.168.1.20"}, "RASA_INTERFACE=192.168.1.20 is not loopback"),
        ({"ACTIONS_INTERFACE": "::"}, "ACTIONS_INTERFACE=:: is not loopback"),
        ({"ENVIRONMENT": "production"}, "ENVIRONMENT=production"),
    ],
)
def test_each_trigger_refuses_every_default_secret_and_names_them_all(settings_from, trigger, reason) -> None:
    # ENVIRONMENT=development does not help: what counts is what the service is exposed to.
    message = refused(settings_from(**{"ENVIRONMENT": "development", **trigger}))
    for name in ALL_SECRETS:
        assert name in message
    assert reason in message


@pytest.mark.parametrize("name", ALL_SECRETS)
def test_one_placeholder_among_real_secrets_is_named_alone(settings_from, name) -> None:
    env = {**REAL, "PUBLIC_BASE_URL": "https://sms.council.example", name: DEVELOPMENT_PLACEHOLDER + "-x"}
    message = refused(settings_from(**env))
    assert name in message
    assert [other for other in ALL_SECRETS if other != name and other in message] == []


def test_an_explicitly_empty_twilio_token_is_refused_with_an_account(settings_from) -> None:
    settings = settings_from(**REAL, TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_FROM_NUMBER="+447700900000",
                             PUBLIC_BASE_URL="https://sms.council.example")
    settings.check()
    import dataclasses

    assert "TWILIO_AUTH_TOKEN" in refused(dataclasses.replace(settings, twilio_auth_token=""))
    assert "ACTIONS_TOKEN" in refused(dataclasses.replace(settings, actions_token="changeme"))


def test_real_secrets_on_every_trigger_start(settings_from) -> None:
    settings_from(**REAL, ENVIRONMENT="production", TWILIO_ACCOUNT_SID="AC" + "1" * 32, TWILIO_FROM_NUMBER="+447700900000",
                  PUBLIC_BASE_URL="https://sms.council.example", WEB_INTERFACE="0.0.0.0").check()


def test_the_test_stack_settings_start(settings_from, tmp_path) -> None:
    """tests/service_stack.py: an https PUBLIC_BASE_URL with test secrets that are not placeholders."""
    from tests.service_stack import ServiceStack

    env = ServiceStack(tmp_path / "stack").env
    settings = settings_from(**{name: env[name] for name in VARIABLES if name in env})
    assert "PUBLIC_BASE_URL is https" in settings.exposure()
    settings.check()


def test_an_old_twilio_token_must_be_real_but_old_phone_keys_may_be_the_defaults(settings_from) -> None:
    exposed = {**REAL, "PUBLIC_BASE_URL": "https://sms.council.example"}
    message = refused(settings_from(**exposed, TWILIO_AUTH_TOKEN_PREVIOUS=f"old-real-token, {DEVELOPMENT_PLACEHOLDER}-twilio-token"))
    assert "TWILIO_AUTH_TOKEN_PREVIOUS" in message
    # Moving a pilot that ran on the defaults to real keys: the old keys are only read, to re-key.
    settings = settings_from(**exposed, PHONE_HASH_KEY_PREVIOUS=DEVELOPMENT_PLACEHOLDER + "-hash",
                             PHONE_ENCRYPTION_KEY_PREVIOUS=DEVELOPMENT_PLACEHOLDER + "-encryption")
    settings.check()
    assert settings.phone_hash_key_previous == (DEVELOPMENT_PLACEHOLDER + "-hash",)


def test_previous_lists_and_signature_tokens(settings_from) -> None:
    settings = settings_from(TWILIO_AUTH_TOKEN="new", TWILIO_AUTH_TOKEN_PREVIOUS=" old-1 ,, old-2,new ",
                             PHONE_HASH_KEY_PREVIOUS="h1,h2", PHONE_ENCRYPTION_KEY_PREVIOUS="e1")
    assert settings.twilio_auth_token_previous == ("old-1", "old-2", "new")
    assert settings.twilio_signature_tokens == ("new", "old-1", "old-2")
    assert settings.phone_hash_key_previous == ("h1", "h2")
    assert settings.phone_encryption_key_previous == ("e1",)


def test_token_lifetime_must_be_positive(settings_from) -> None:
    assert settings_from().webchat_token_hours == 24
    assert "WEBCHAT_TOKEN_HOURS" in refused(settings_from(ENVIRONMENT="development", WEBCHAT_TOKEN_HOURS="0"))


@pytest.mark.parametrize("interface", ["127.0.0.1", "127.0.0.53", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_interfaces(interface) -> None:
    assert is_loopback(interface)


@pytest.mark.parametrize("interface", ["0.0.0.0", "::", "10.0.0.5", "example.org", ""])
def test_interfaces_reachable_from_outside(interface) -> None:
    assert not is_loopback(interface)
