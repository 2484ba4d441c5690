"""How long a console session lasts and when repeated failed sign-ins lock an account or an address.

Read from the environment (`.env.example` lists each with its default); `Settings.extra` overrides
the environment, as in casework.cases.alert_settings.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from service.settings import Settings, SettingsError

__all__ = ["ConsoleSettings", "console_settings", "DEFAULTS"]

DEFAULTS = {
    # A working day; a phone left signed in overnight is signed out by morning.
    "CONSOLE_SESSION_HOURS": "12",
    # A phone put down on a doorstep and picked up by someone else should not stay open for long.
    "CONSOLE_IDLE_MINUTES": "60",
    "CONSOLE_LOCKOUT_FAILURES": "5",
    "CONSOLE_LOCKOUT_MINUTES": "15",
    # Higher than per account: a team sharing an office address must not lock each other out by typos,
    # while one address trying many numbers is still stopped.
    "CONSOLE_ADDRESS_LOCKOUT_FAILURES": "20",
}


@dataclass(frozen=True)
class ConsoleSettings:
    session_lifetime: timedelta
    idle_timeout: timedelta
    lockout_failures: int
    lockout_window: timedelta  # failures counted over this long, and the lock lasts this long
    address_lockout_failures: int


def _number(name: str, settings: Settings) -> float:
    raw = settings.value(name, DEFAULTS[name])
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, got {raw!r}") from None
    if value <= 0:
        raise SettingsError(f"{name} must be more than 0")
    return value


def console_settings(settings: Settings) -> ConsoleSettings:
    return ConsoleSettings(
        session_lifetime=timedelta(hours=_number("CONSOLE_SESSION_HOURS", settings)),
        idle_timeout=timedelta(minutes=_number("CONSOLE_IDLE_MINUTES", settings)),
        lockout_failures=int(_number("CONSOLE_LOCKOUT_FAILURES", settings)),
        lockout_window=timedelta(minutes=_number("CONSOLE_LOCKOUT_MINUTES", settings)),
        address_lockout_failures=int(_number("CONSOLE_ADDRESS_LOCKOUT_FAILURES", settings)),
    )
