"""One settings object, read from the environment only.

python-dotenv loads `.env` for local use; every variable is listed in `.env.example` with its default
and meaning. Nothing here opens a connection: callers build engines and clients from the settings.
"""
from __future__ import annotations

import ipaddress
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"

# Keys that are fine on a laptop and refused anywhere else (see Settings.check).
DEVELOPMENT_PLACEHOLDER = "development-only-change-me"
# Values people paste from examples; refused like the placeholder.
_PLACEHOLDER_VALUES = {"changeme", "change-me", "change_me", "secret", "password", "token", "xxx"}
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
PROXY_SETTINGS = ("SANIC_PROXIES_COUNT", "SANIC_REAL_IP_HEADER", "SANIC_FORWARDED_SECRET")
ALL_SECRETS = ("PHONE_HASH_KEY", "PHONE_ENCRYPTION_KEY", "WEBCHAT_SECRET", "TWILIO_AUTH_TOKEN", "ACTIONS_TOKEN", "RASA_TURNS_TOKEN")


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


def _e164_list(name: str) -> tuple[str, ...]:
    """Comma-separated E.164 numbers ("+447700900111, +447700900222"), in the order given, each once."""
    numbers = tuple(dict.fromkeys("".join(n.split()) for n in _env(name, "").split(",") if n.strip()))
    wrong = [n for n in numbers if not re.fullmatch(r"\+[1-9]\d{6,14}", n)]
    if wrong:
        raise SettingsError(f"{name} must be comma-separated E.164 numbers like +447700900111; {len(wrong)} are not")
    return numbers


def _list(name: str) -> tuple[str, ...]:
    """A comma-separated list (old keys during a rotation); blanks dropped, order kept."""
    return tuple(part.strip() for part in os.environ.get(name, "").split(",") if part.strip())


def is_placeholder(value: str) -> bool:
    """Empty, the shipped development placeholder, or an obvious example value."""
    stripped = (value or "").strip()
    return not stripped or DEVELOPMENT_PLACEHOLDER in stripped or stripped.lower() in _PLACEHOLDER_VALUES


GENERATE = 'python -c "import secrets; print(secrets.token_urlsafe(32))"'
STRONG_BITS = 256  # 32 random bytes' worth
_MIN_DISTINCT = 12  # a long run of few characters is not random, whatever its length
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


def strength_bits(value: str) -> float:
    """How many random bits a secret could hold at most: its length times the bits of each character
    of the alphabets it uses (hex, digits, lower and upper case, symbols; mixed case in base64url's
    characters counts as that alphabet of 64). token_urlsafe(32) gives about 258, whichever characters
    it drew; a word, a date or a repeated pattern gives far less (a pattern with few distinct
    characters counts as none)."""
    value = value.strip()
    if len(set(value)) < _MIN_DISTINCT:
        return 0.0
    letters = [c for c in value if c.isalpha()]
    hex_only = all(c in "abcdef" for c in letters) or all(c in "ABCDEF" for c in letters)
    if _BASE64URL.fullmatch(value) and any(c.islower() for c in value) and any(c.isupper() for c in value):
        # token_urlsafe's own alphabet, whether or not this draw happened to use a digit, '-' or '_'
        return len(value) * 6.0
    alphabet = (10 if any(c.isdigit() for c in value) else 0)
    if letters and hex_only:
        alphabet += 6
    else:
        alphabet += (26 if any(c.islower() for c in value) else 0) + (26 if any(c.isupper() for c in value) else 0)
    alphabet += 33 if any(not c.isalnum() for c in value) else 0
    return len(value) * math.log2(alphabet) if alphabet > 1 else 0.0


def is_loopback(interface: str) -> bool:
    """Whether a listening address is reachable only from this machine."""
    host = (interface or "").strip().strip("[]").lower()
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name or 0.0.0.0-like wildcard: assume it is reachable from outside


def _networks(name: str, default: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Addresses or networks, comma-separated (TRUSTED_PROXIES=10.0.0.5,10.0.1.0/24)."""
    networks = []
    for part in _env(name, default).split(","):
        if part.strip():
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise SettingsError(f"{name}: {part.strip()!r} is not an address or network") from None
    return tuple(networks)


def _float(name: str, default: float) -> float:
    raw = _env(name, str(default))
    try:
        return float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, which a container or `taskset` narrows)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_rasa_workers(cores: int) -> int:
    """One Rasa turn runs on one core at a time, so a second worker uses the second core (the intake
    pins each resident to one worker). Two, not one per core: without TensorFlow a worker is about 250 MiB
    (service/rasa_process.py), and two keep every process of the service within 1 GiB (README, "Performance")."""
    return 2 if cores >= 2 else 1


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
    # New chat sessions (GET /chat without a live cookie) per client address: each can raise urgent cases.
    webchat_new_session_rate_limit: str = "10,30"
    api_rate_limit: str = "120,120"
    # Reports sent through the /report web form, per address (each one opens a case and alerts a connector).
    report_rate_limit: str = "3,5"
    # Older secrets still accepted during a rotation (see jobs/rekey.py); newest first.
    twilio_auth_token_previous: tuple[str, ...] = ()
    phone_hash_key_previous: tuple[str, ...] = ()
    phone_encryption_key_previous: tuple[str, ...] = ()
    # Shared secret Rasa sends to the action server (query parameter `token`).
    actions_token: str = DEVELOPMENT_PLACEHOLDER + "-actions"
    webchat_token_hours: float = 24.0
    web_interface: str = "127.0.0.1"
    rasa_interface: str = "127.0.0.1"
    actions_interface: str = "127.0.0.1"
    # While Twilio refuses our credentials, how often the worker checks whether they work again.
    sms_provider_probe_seconds: float = 60.0
    # Peers whose forwarded headers are believed (channels.client); Sanic's SANIC_PROXIES_COUNT etc. say how to read them.
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (
        ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
    # The service's own Twilio numbers that befriending matches text through (E.164): a text to one of them
    # goes to the relay (casework.befriending), never to the bot, so neither side sees the other's number.
    befriending_numbers: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)

    def value(self, name: str, default: str) -> str:
        """A setting the modules read for themselves (alert timings, retention, console, check-ins):
        `extra` first (tests, deployment wrappers), then the environment, then the default."""
        return self.extra.get(name) or os.environ.get(name) or default

    @property
    def sms_dry_run(self) -> bool:
        """No Twilio credentials: messages go to the outbox file and the log, never to a phone."""
        return not (self.twilio_account_sid and self.twilio_auth_token and self.twilio_from_number)

    @property
    def email_dry_run(self) -> bool:
        return not self.smtp_url

    @property
    def is_development(self) -> bool:
        """Said explicitly (`make run` sets ENVIRONMENT=development, the tests `test`); unset is production."""
        return self.environment in {"development", "test"}

    @property
    def twilio_signature_tokens(self) -> tuple[str, ...]:
        """Auth tokens a webhook signature may be made with: the current one first, then the old ones."""
        tokens = [t for t in (self.twilio_auth_token, *self.twilio_auth_token_previous) if t]
        return tuple(dict.fromkeys(tokens))

    def exposure(self) -> list[str]:
        """Why this configuration is more than a laptop's loopback development service (empty if it is not).

        The development secrets are public (they ship in the code); they are tolerable only while
        nothing outside this machine can reach the service and no real Twilio account is attached.
        """
        reasons = []
        if not self.is_development:
            reasons.append(f"ENVIRONMENT={self.environment}")
        if self.twilio_account_sid:
            reasons.append("TWILIO_ACCOUNT_SID is set")
        if self.public_base_url.lower().startswith("https://"):
            reasons.append("PUBLIC_BASE_URL is https")
        for name, interface in (
            ("WEB_INTERFACE", self.web_interface),
            ("RASA_INTERFACE", self.rasa_interface),
            ("ACTIONS_INTERFACE", self.actions_interface),
        ):
            if not is_loopback(interface):
                reasons.append(f"{name}={interface} is not loopback")
        # Sanic's proxy settings: something in front forwards requests from outside to the loopback app.
        proxied = [name for name in PROXY_SETTINGS if os.environ.get(name)]
        if proxied:
            reasons.append(f"{', '.join(proxied)} is set (a reverse proxy forwards requests from outside)")
        return reasons

    def _secrets(self) -> dict[str, str]:
        """The secrets we choose ourselves (so they must be long and random); HEALTH_TOKEN only if set."""
        chosen = {
            "PHONE_HASH_KEY": self.phone_hash_key,
            "PHONE_ENCRYPTION_KEY": self.phone_encryption_key,
            "WEBCHAT_SECRET": self.webchat_secret,
            "ACTIONS_TOKEN": self.actions_token,
            "RASA_TURNS_TOKEN": self.rasa_turns_token,
        }
        if health_token := self.value("HEALTH_TOKEN", ""):
            chosen["HEALTH_TOKEN"] = health_token
        return chosen

    def placeholder_secrets(self) -> list[str]:
        """Names of the secrets that are empty or still the public development defaults."""
        secrets = {**self._secrets(), "TWILIO_AUTH_TOKEN": self.twilio_auth_token}
        names = [name for name in (*ALL_SECRETS, "HEALTH_TOKEN") if name in secrets and is_placeholder(secrets[name])]
        # An old Twilio token is as good as the current one for forging a webhook. Old phone keys may
        # be the placeholder: that is how a pilot run on the defaults is re-keyed (python -m jobs.rekey).
        if any(is_placeholder(token) for token in self.twilio_auth_token_previous):
            names.append("TWILIO_AUTH_TOKEN_PREVIOUS")
        return names

    def weak_secrets(self) -> list[str]:
        """Names of our own secrets that are set but hold less than 32 random bytes' worth. (Twilio's
        auth token is Twilio's to choose, so only its being a placeholder counts.)"""
        placeholders = set(self.placeholder_secrets())
        return [name for name, value in self._secrets().items() if name not in placeholders and strength_bits(value) < STRONG_BITS]

    def check(self) -> None:
        """Refuse to start with public, empty or weak secrets anywhere but an explicitly development
        service (ENVIRONMENT=development or test) that nothing outside this machine can reach."""
        exposure = self.exposure()
        if exposure:
            placeholders, weak = self.placeholder_secrets(), self.weak_secrets()
            problems = [f"{name} is empty or the public development placeholder" for name in placeholders]
            problems += [f"{name} is too short or too regular to be a key (it needs 32 random bytes' worth)" for name in weak]
            if problems:
                twilio = " (TWILIO_AUTH_TOKEN: the Auth Token in Twilio's console)" if "TWILIO_AUTH_TOKEN" in placeholders else ""
                raise SettingsError(
                    "refusing to start: " + "; ".join(problems) + f". Generate each with: {GENERATE}{twilio}. "
                    f"This service is not a loopback development one because {'; '.join(exposure)}"
                )
        if self.sms_dry_run is False and not self.public_base_url.startswith("https://"):
            raise SettingsError("PUBLIC_BASE_URL must be the https:// address Twilio calls")
        proxies = os.environ.get("SANIC_PROXIES_COUNT", "")
        if proxies and not (proxies.isdigit() and int(proxies) >= 1):
            raise SettingsError(f"SANIC_PROXIES_COUNT must be the number of proxies in front (1 or more), got {proxies!r}")
        if self.webchat_token_hours <= 0:
            raise SettingsError("WEBCHAT_TOKEN_HOURS must be more than 0")
        if self.sms_provider_probe_seconds <= 0:
            raise SettingsError("SMS_PROVIDER_PROBE_SECONDS must be more than 0")


def load_settings(env_file: Path | None = None) -> Settings:
    """Read the settings. `.env` (if present) fills in variables the environment does not set."""
    load_dotenv(env_file or ROOT / ".env", override=False)
    rasa_port = _port("RASA_PORT", 5005)
    actions_port = _port("ACTIONS_PORT", 5055)
    web_port = _port("WEB_PORT", 8000)
    var = Path(_env("VAR_DIR", str(VAR)))
    rasa_workers = int(_float("RASA_WORKERS", default_rasa_workers(available_cores())))
    if not 1 <= rasa_workers <= 16:
        raise SettingsError(f"RASA_WORKERS must be between 1 and 16, got {rasa_workers}")
    # Each Rasa worker listens on its own port, RASA_PORT upwards; RASA_URL (comma-separated) overrides.
    rasa_urls = tuple(u.strip().rstrip("/") for u in _env("RASA_URL", "").split(",") if u.strip()) or tuple(
        f"http://127.0.0.1:{rasa_port + i}" for i in range(rasa_workers)
    )
    return Settings(
        # Unset means production: the public development secrets run only where someone said development.
        environment=_env("ENVIRONMENT", "production"),
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
        report_rate_limit=_env("REPORT_RATE_LIMIT", "3,5"),
        twilio_auth_token_previous=_list("TWILIO_AUTH_TOKEN_PREVIOUS"),
        phone_hash_key_previous=_list("PHONE_HASH_KEY_PREVIOUS"),
        phone_encryption_key_previous=_list("PHONE_ENCRYPTION_KEY_PREVIOUS"),
        actions_token=_env("ACTIONS_TOKEN", DEVELOPMENT_PLACEHOLDER + "-actions"),
        webchat_token_hours=_float("WEBCHAT_TOKEN_HOURS", 24.0),
        web_interface=_env("WEB_INTERFACE", "127.0.0.1"),
        rasa_interface=_env("RASA_INTERFACE", "127.0.0.1"),
        actions_interface=_env("ACTIONS_INTERFACE", "127.0.0.1"),
        sms_provider_probe_seconds=_float("SMS_PROVIDER_PROBE_SECONDS", 60.0),
        trusted_proxies=_networks("TRUSTED_PROXIES", "127.0.0.0/8,::1"),
        webchat_new_session_rate_limit=_env("WEBCHAT_NEW_SESSION_RATE_LIMIT", "10,30"),
        befriending_numbers=_e164_list("BEFRIENDING_NUMBERS"),
    )
