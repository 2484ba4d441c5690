"""The checks on one field of a feed's record, shared by every part of it: text, ids (UUIDs in ORUK
3.0), numbers, enumerations (after case-folding), lists and objects; `Rejected` when a field is not
good enough, and the `FeedContext` one import checks its records in."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from directory.geocoding import geocode_postcode

__all__ = ["Rejected", "FeedContext", "is_uuid", "text", "check_id", "number", "enum", "as_list", "as_object"]

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_PLAIN_ID = re.compile(r"^[\w.:/@+-]{1,200}$")


class Rejected(ValueError):
    """This record cannot be kept; str(error) is the reason shown in the import report."""


@dataclass
class FeedContext:
    """What one import knows beyond the record in hand: objects published beside it, and how to check ids."""

    strict_ids: bool  # ORUK 3.0: ids must be UUIDs
    organizations: dict[str, dict[str, Any]] = field(default_factory=dict)
    locations: dict[str, dict[str, Any]] = field(default_factory=dict)
    taxonomy_terms: dict[str, dict[str, Any]] = field(default_factory=dict)
    geocode: Callable[[str], tuple[float, float] | None] = lambda text: _geocode(text)
    seen_ids: set[str] = field(default_factory=set)


def _geocode(text: str) -> tuple[float, float] | None:
    place = geocode_postcode(text)
    return (place.lat, place.lon) if place is not None and place.kind == "postcode" else None


def is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


def text(value: Any) -> str | None:
    """Text as published, stripped; None for nothing or only spaces."""
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        raise Rejected(f"expected text, got {type(value).__name__}")
    out = str(value).strip()
    return out or None


def check_id(value: Any, what: str, ctx: FeedContext) -> str:
    """An object's id, as the feed keys it (a UUID in lower case)."""
    raw = text(value) if not isinstance(value, bool) else None
    if raw is None:
        raise Rejected(f"{what}: missing required field id")
    if ctx.strict_ids and not is_uuid(raw):
        raise Rejected(f"{what}: bad id {raw!r} (ORUK 3.0 ids are UUIDs)")
    if not ctx.strict_ids and not _PLAIN_ID.match(raw):
        raise Rejected(f"{what}: bad id {raw!r}")
    return raw.lower() if is_uuid(raw) else raw


def number(value: Any, what: str) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise Rejected(f"{what} {value!r} is not a number")
    try:
        number = float(str(value).replace("£", "").strip())
    except ValueError:
        raise Rejected(f"{what} {value!r} is not a number") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise Rejected(f"{what} {value!r} is not a number")
    return number


def enum(value: Any, allowed: dict[str, str] | tuple[str, ...], what: str) -> str | None:
    raw = text(value)
    if raw is None:
        return None
    key = re.sub(r"[\s_]+", " ", raw.casefold()).strip()
    mapping = allowed if isinstance(allowed, dict) else {a: a for a in allowed}
    if key not in mapping:
        choices = sorted(set(mapping.values()))
        raise Rejected(f"unknown {what} {raw!r} (expected one of: {', '.join(choices)})")
    return mapping[key]


def as_list(raw: dict[str, Any], *names: str) -> list[Any]:
    for name in names:
        value = raw.get(name)
        if value is None:
            continue
        if not isinstance(value, list):
            raise Rejected(f"{name} should be a list, got {type(value).__name__}")
        return value
    return []


def as_object(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise Rejected(f"{what} should be an object, got {type(value).__name__}")
    return value
