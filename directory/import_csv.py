"""A simple CSV for small groups that keep their details in a spreadsheet.

One row per group (per venue, if a group meets in two places). Columns, in any order; only `name`
is required, and a row with neither `postcode` nor coordinates is kept but never found by distance:

| column        | example                             | notes                                              |
|---------------|-------------------------------------|----------------------------------------------------|
| id            | knit-natter-liscard                 | optional; else made from name and postcode        |
| name          | Knit and Natter                     | required                                           |
| description   | Bring your needles...               |                                                    |
| organisation  | Liscard Community Centre            |                                                    |
| activity      | knitting; crafts                    | taxonomy terms, separated by ;                    |
| day           | Tuesday  /  Tue, Thu                | one or more days                                   |
| frequency     | weekly / fortnightly / monthly      | default weekly                                     |
| week_of_month | 1, 2, 3, 4 or last                  | for monthly: "1" + Saturday = first Saturday       |
| start_time    | 10:00                               | 24-hour HH:MM                                      |
| end_time      | 12:00                               |                                                    |
| first_date    | 2025-01-07                          | anchors "fortnightly"                              |
| venue         | St Hilary's Church Hall             |                                                    |
| address       | Church Hill                         |                                                    |
| town          | Wallasey                            |                                                    |
| postcode      | CH45 3NH                            | located offline if there are no coordinates       |
| latitude      | 53.4216                             | optional                                           |
| longitude     | -3.0641                             | optional                                           |
| cost          | Free / 2.50 / £3 with lunch         | a number is pounds                                 |
| phone         | 0151 496 0123                       |                                                    |
| email         | hello@example.org                   |                                                    |
| website       | https://example.org                 |                                                    |
| access        | drop-in / referral / appointment    |                                                    |
| type          | venue / phone / online / home visit |                                                    |
| accessibility | Step-free access; hearing loop      |                                                    |
| status        | active / inactive                   | default active                                     |
"""
from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

DOCUMENT_KIND = "csv"
COLUMNS = ("id", "name", "description", "organisation", "activity", "day", "frequency", "week_of_month",
           "start_time", "end_time", "first_date", "venue", "address", "town", "postcode", "latitude", "longitude",
           "cost", "phone", "email", "website", "access", "type", "accessibility", "status")


def _slug(*parts: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", " ".join(parts).lower()).strip("-")[:200] or "row"


def read_csv(path: Path) -> tuple[list[Any], list[str]]:
    """(services in ORUK 3.0 shape, read errors)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return [], [f"{path}: {error}"]
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames or "name" not in [f.strip().lower() for f in reader.fieldnames]:
        return [], [f"{path}: no `name` column (columns are documented in directory/import_csv.py)"]
    services = []
    for line, row in enumerate(reader, start=2):
        clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        services.append(row_to_service(clean, line))
    return services, []


def row_to_service(row: dict[str, str], line: int) -> dict[str, Any]:
    name = row.get("name", "")
    ident = row.get("id") or _slug(name, row.get("postcode", "")) if name else row.get("id") or f"line-{line}"
    service: dict[str, Any] = {
        "id": ident,
        "name": name or None,
        "description": row.get("description"),
        "status": row.get("status") or "active",
        "url": row.get("website") or None,
        "email": row.get("email") or None,
        "attending_access": row.get("access") or None,
        "attending_type": row.get("type") or None,
    }
    if row.get("organisation"):
        service["organization"] = {"id": _slug(row["organisation"]), "name": row["organisation"], "description": ""}
    if row.get("phone"):
        service["phones"] = [{"id": "phone", "number": row["phone"]}]
    cost = row.get("cost", "")
    if cost:
        amount = re.fullmatch(r"£?\s*(\d+(?:\.\d{1,2})?)", cost)
        if cost.lower() in ("free", "0", "£0", "no charge"):
            service["cost_options"] = [{"id": "cost", "amount": 0, "option": "Free"}]
        elif amount:
            service["cost_options"] = [{"id": "cost", "amount": amount.group(1)}]
        else:
            service["cost_options"] = [{"id": "cost", "amount_description": cost}]
    schedule = _schedule(row)
    if schedule is not None:
        service["schedules"] = [schedule]
    if row.get("venue") or row.get("postcode") or row.get("address") or row.get("latitude"):
        location: dict[str, Any] = {
            "id": _slug(row.get("venue", ""), row.get("postcode", "")) or f"line-{line}",
            "name": row.get("venue") or None,
            "location_type": "physical",
            "latitude": row.get("latitude") or None,
            "longitude": row.get("longitude") or None,
            "addresses": [{"id": "address", "address_1": row.get("address", ""), "city": row.get("town", ""),
                           "postal_code": row.get("postcode", ""), "country": "GB", "address_type": "physical"}]
            if row.get("address") or row.get("postcode") else [],
            "accessibility": [{"id": "access", "description": row["accessibility"]}] if row.get("accessibility") else [],
        }
        service["service_at_locations"] = [{"id": "sal", "location": location}]
    if row.get("activity"):
        service["attributes"] = [
            {"id": _slug(term), "taxonomy_term": {"id": _slug(term), "name": term, "taxonomy": "activity"}}
            for term in (t.strip() for t in re.split(r"[;|]", row["activity"])) if term
        ]
    return service


def _schedule(row: dict[str, str]) -> dict[str, Any] | None:
    if not (row.get("day") or row.get("start_time") or row.get("frequency")):
        return None
    frequency = (row.get("frequency") or "weekly").strip().lower()
    days = [d.strip() for d in re.split(r"[,;/&]| and ", row.get("day", "")) if d.strip()]
    schedule: dict[str, Any] = {"id": "schedule", "opens_at": row.get("start_time") or None,
                                "closes_at": row.get("end_time") or None, "dtstart": row.get("first_date") or None}
    if frequency in ("weekly", "fortnightly", "every other week", "every two weeks"):
        schedule.update(freq="WEEKLY", interval=2 if frequency != "weekly" else 1, byday=",".join(days))
    elif frequency == "monthly":
        week = (row.get("week_of_month") or "").strip().lower()
        ordinal = "-1" if week == "last" else week
        schedule.update(freq="MONTHLY", byday=",".join(f"{ordinal}{d}" for d in days) if ordinal else ",".join(days))
    else:
        schedule.update(freq=frequency, byday=",".join(days))  # rejected by records with the reason
    return schedule
