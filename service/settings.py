"""One settings object, read from the environment only.

python-dotenv loads `.env` for local use; every variable is listed in `.env.example` with its default
and meaning. Nothing here opens a connection: callers build engines and clients from the settings.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"

# Keys that are fine on a laptop and refused anywhere else (see Settings.check).
DEVELOPMENT_PLACEHOLDER = "development-only-change-me"


class SettingsError(RuntimeError):
    """The environment does not describe a service that can run safely."""


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


def _port(name: str, default: int) -> int:
    raw = _env(name, str(default))
    try:
        port = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a port number, got {raw!r}") from None
    if not 0 < port < 65536:
        raise SettingsError(f"{name} must be between 1 and 65535, got {port}")
    return port


def _float(name: str, default: float) -> float:
    raw = _env(name, str(default))
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None


@dataclass(frozen=True)
class Settings:
    environment: str
    database_url: str
    rasa_port: int
    actions_port: int
    web_port: int
    rasa_url: str
    rasa_urls: tuple[str, ...]
    rasa_turns_token: str
    actions_url: str
    public_base_url: str
    twilio_account_sid: str
    twilio_auth_token: str
    twilio_from_number: str
    twilio_api_base: str
    smtp_url: str
    email_from: str
    phone_hash_key: str
    phone_encryption_key: str
    webchat_secret: str
    sms_reply_deadline_seconds: float
    sms_segment_budget: int
    outbox_path: Path
    # Rate limits, "PER_MINUTE,BURST" (channels.rate_limit.Limit.parse)
    sms_rate_limit: str = "6,12"
    webchat_session_rate_limit: str = "20,20"
    webchat_address_rate_limit: str = "60,60"
    api_rate_limit: str = "120,120"
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def sms_dry_run(self) -> bool:
        """No Twilio credentials: messages go to the outbox file and the log, never to a phone."""
        return not (self.twilio_account_sid and self.twilio_auth_token and self.twilio_from_number)

    @property
    def twilio_signature_tokens(self) -> tuple[str, ...]:
        return (self.twilio_auth_token,)

    @property
    def email_dry_run(self) -> bool:
        return not self.smtp_url

    @property
    def is_development(self) -> bool:
        return self.environment in {"development", "test"}

    def check(self) -> None:
        """Refuse to run outside development with the placeholder keys shipped in `.env.example`."""
        if self.is_development:
            return
        for name, value in (
            ("PHONE_HASH_KEY", self.phone_hash_key),
            ("PHONE_ENCRYPTION_KEY", self.phone_encryption_key),
            ("WEBCHAT_SECRET", self.webchat_secret),
            ("RASA_TURNS_TOKEN", self.rasa_turns_token),
        ):
            if not value or DEVELOPMENT_PLACEHOLDER in value:
                raise SettingsError(f"{name} must be set to a real secret when ENVIRONMENT={self.environment}")
        if self.sms_dry_run is False and not self.public_base_url.startswith("https://"):
            raise SettingsError("PUBLIC_BASE_URL must be the https:// address Twilio calls")


def load_settings(env_file: Path | None = None) -> Settings:
    """Read the settings. `.env` (if present) fills in variables the environment does not set."""
    load_dotenv(env_file or ROOT / ".env", override=False)
    rasa_port = _port("RASA_PORT", 5005)
    actions_port = _port("ACTIONS_PORT", 5055)
    web_port = _port("WEB_PORT", 8000)
    var = Path(_env("VAR_DIR", str(VAR)))
    rasa_workers = int(_float("RASA_WORKERS", 1))
    if not 1 <= rasa_workers <= 16:
        raise SettingsError(f"RASA_WORKERS must be between 1 and 16, got {rasa_workers}")
    # Each Rasa worker listens on its own port, RASA_PORT upwards; RASA_URL (comma-separated) overrides.
    rasa_urls = tuple(u.strip().rstrip("/") for u in _env("RASA_URL", "").split(",") if u.strip()) or tuple(
        f"http://127.0.0.1:{rasa_port + i}" for i in range(rasa_workers)
    )
    return Settings(
        environment=_env("ENVIRONMENT", "development"),
        database_url=_env("DATABASE_URL", f"sqlite:///{var / 'app.db'}"),
        rasa_port=rasa_port,
        actions_port=actions_port,
        web_port=web_port,
        rasa_url=rasa_urls[0],
        rasa_urls=rasa_urls,
        rasa_turns_token=_env("RASA_TURNS_TOKEN", DEVELOPMENT_PLACEHOLDER + "-rasa-turns"),
        actions_url=_env("ACTIONS_URL", f"http://127.0.0.1:{actions_port}"),
        public_base_url=_env("PUBLIC_BASE_URL", f"http://localhost:{web_port}").rstrip("/"),
        twilio_account_sid=_env("TWILIO_ACCOUNT_SID", ""),
        twilio_auth_token=_env("TWILIO_AUTH_TOKEN", DEVELOPMENT_PLACEHOLDER + "-twilio-token"),
        twilio_from_number=_env("TWILIO_FROM_NUMBER", ""),
        twilio_api_base=_env("TWILIO_API_BASE", "https://api.twilio.com"),
        smtp_url=_env("SMTP_URL", ""),
        email_from=_env("EMAIL_FROM", "connectors@example.org"),
        phone_hash_key=_env("PHONE_HASH_KEY", DEVELOPMENT_PLACEHOLDER + "-hash"),
        phone_encryption_key=_env("PHONE_ENCRYPTION_KEY", DEVELOPMENT_PLACEHOLDER + "-encryption"),
        webchat_secret=_env("WEBCHAT_SECRET", DEVELOPMENT_PLACEHOLDER + "-webchat"),
        sms_reply_deadline_seconds=_float("SMS_REPLY_DEADLINE_SECONDS", 8.0),
        sms_segment_budget=int(_float("SMS_SEGMENT_BUDGET", 3)),
        outbox_path=Path(_env("OUTBOX_PATH", str(var / "outbox.log"))),
        sms_rate_limit=_env("SMS_RATE_LIMIT", "6,12"),
        webchat_session_rate_limit=_env("WEBCHAT_SESSION_RATE_LIMIT", "20,20"),
        webchat_address_rate_limit=_env("WEBCHAT_ADDRESS_RATE_LIMIT", "60,60"),
        api_rate_limit=_env("API_RATE_LIMIT", "120,120"),
    )
