"""How long a connector has to acknowledge an alert, when routine alerts may go, when many become one
summary, where crises are spooled.

Read from the environment (`.env.example` lists each with its default); `Settings.extra` overrides the
environment, so a test or a deployment wrapper can set them without touching `os.environ`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from pathlib import Path

from casework.working_hours import WorkingHours
from service.settings import VAR, Settings, SettingsError

__all__ = ["AlertSettings", "alert_settings", "DEFAULTS"]

DEFAULTS = {
    "ALERT_ACK_SECONDS_URGENT": "600",
    "ALERT_ACK_SECONDS_HIGH": "3600",
    # Working seconds: 8 hours of the default working day, so "by the same time next working day".
    "ALERT_ACK_SECONDS_ROUTINE": "28800",
    "WORKING_HOURS": "Mon-Fri 09:00-17:00",
    "WORKING_TIMEZONE": "Europe/London",
    "CASE_REFERENCE_PREFIX": "WC",
    # More alerts than this to one person at one moment (a backlog when the first connector is added,
    # a batch escalating together) go as one summary SMS and email: a flood buries the urgent ones.
    "ALERT_SUMMARY_THRESHOLD": "3",
}


@dataclass(frozen=True)
class AlertSettings:
    ack_seconds: dict[str, float]  # priority -> seconds (working seconds for routine)
    working_hours: WorkingHours
    crisis_spool_path: Path
    reference_prefix: str
    summary_threshold: int  # more alerts than this to one person at once: one summary (casework.cases.alerts.send_held)

    def sends_at(self, priority: str, now: datetime) -> datetime:
        """When an alert of this priority may go: now, or the next working moment for routine ones."""
        return self.working_hours.next_open(now) if priority == "routine" else now

    def due_at(self, priority: str, now: datetime) -> datetime:
        """When an alert raised now must be acknowledged by, or be escalated."""
        seconds = self.ack_seconds[priority]
        if priority == "routine":
            return self.working_hours.add_working_seconds(now, seconds)
        return now + timedelta(seconds=seconds)


def _seconds(name: str, raw: str) -> float:
    try:
        seconds = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, got {raw!r}") from None
    if seconds <= 0:
        raise SettingsError(f"{name} must be more than 0")
    return seconds


def _count(name: str, raw: str) -> int:
    try:
        count = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if count < 1:
        raise SettingsError(f"{name} must be 1 or more")
    return count


_NAMES = ("ALERT_ACK_SECONDS_URGENT", "ALERT_ACK_SECONDS_HIGH", "ALERT_ACK_SECONDS_ROUTINE", "WORKING_HOURS",
          "WORKING_TIMEZONE", "CASE_REFERENCE_PREFIX", "CRISIS_SPOOL_PATH", "VAR_DIR", "ALERT_SUMMARY_THRESHOLD")


def alert_settings(settings: Settings) -> AlertSettings:
    return _build(tuple(settings.value(name, DEFAULTS.get(name, "")) for name in _NAMES))


@lru_cache(maxsize=8)
def _build(values: tuple[str, ...]) -> AlertSettings:
    # Cached on the raw values: open_case runs on every crisis and parsing is needless work there.
    urgent, high, routine, hours, zone, prefix, spool, var_dir, summary = values
    prefix = prefix.upper()
    if not prefix.isalpha() or not 2 <= len(prefix) <= 3:
        raise SettingsError(f"CASE_REFERENCE_PREFIX must be 2 or 3 letters, got {prefix!r}")
    return AlertSettings(
        ack_seconds={
            "urgent": _seconds("ALERT_ACK_SECONDS_URGENT", urgent),
            "high": _seconds("ALERT_ACK_SECONDS_HIGH", high),
            "routine": _seconds("ALERT_ACK_SECONDS_ROUTINE", routine),
        },
        working_hours=WorkingHours.parse(hours, zone),
        crisis_spool_path=Path(spool) if spool else Path(var_dir or VAR) / "crisis-spool.jsonl",
        reference_prefix=prefix,
        summary_threshold=_count("ALERT_SUMMARY_THRESHOLD", summary),
    )
