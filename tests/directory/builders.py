"""Small ORUK 3.0 records for tests: valid by default, each test spoils the part it is about."""
from __future__ import annotations

import copy
import json
import uuid
from pathlib import Path
from typing import Any

NS = uuid.UUID("3d1b7c6e-0000-4000-8000-000000000001")


def uid(*parts: object) -> str:
    return str(uuid.uuid5(NS, "|".join(map(str, parts))))


# Real postcodes of the test postcode table (see conftest.CODE_POINT_ROWS), with their WGS84 points.
WALLASEY = ("CH44 5TN", 53.418401, -3.041223)
LEASOWE = ("CH46 3RN", 53.4156, -3.1011)
HESWALL = ("CH60 4RB", 53.3289, -3.1019)
MARGATE = ("CT9 1PQ", 51.3878, 1.3790)


def service(key: str, *, name: str | None = None, term: str = "Social", byday: str = "TU", freq: str = "WEEKLY",
            opens: str = "10:00", closes: str = "12:00", at: tuple[str, float, float] = WALLASEY,
            cost: float | None = 0, access: str | None = "drop-in", **overrides: Any) -> dict[str, Any]:
    postcode, lat, lon = at
    record: dict[str, Any] = {
        "id": uid("service", key),
        "name": name or f"Group {key}",
        "description": f"A friendly group ({key}).",
        "status": "active",
        "organization": {"id": uid("org", "one"), "name": "Test Organisation", "description": "Tests"},
        "service_at_locations": [{
            "id": uid("sal", key),
            "location": {
                "id": uid("location", key), "location_type": "physical", "name": f"Hall {key}",
                "latitude": lat, "longitude": lon,
                "addresses": [{"id": uid("address", key), "address_1": "1 Church Road", "city": "Town",
                               "state_province": "", "postal_code": postcode, "country": "GB",
                               "address_type": "physical"}],
            },
            "schedules": [{"id": uid("schedule", key), "freq": freq, "byday": byday, "opens_at": opens,
                           "closes_at": closes}] if freq else [],
        }],
        "phones": [{"id": uid("phone", key), "number": "0151 496 0999"}],
        "cost_options": [{"id": uid("cost", key), "amount": cost}] if cost is not None else [],
        "attributes": [{"id": uid("attr", key), "taxonomy_term": {"id": uid("term", term), "name": term,
                                                                   "description": term, "taxonomy": "activities"}}],
    }
    if access:
        record["attributes"].append({"id": uid("access", key), "taxonomy_term": {
            "id": uid("term", "access", access), "name": access, "description": access, "taxonomy": "attending_access"}})
    record.update(overrides)
    return record


def page(services: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"total_items": len(services), "total_pages": 1, "page_number": 1, "size": len(services),
            "first_page": True, "last_page": True, "empty": not services, "contents": copy.deepcopy(services), **extra}


def write(path: Path, doc: Any) -> str:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return str(path)
