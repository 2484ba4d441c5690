"""ORUK 1.0 (HSDS 1.x with UK extensions) services, turned into the ORUK 3.0 shape `directory.records` checks.

1.0 feeds page with `content`/`totalElements`/`totalPages`, hold times in `regular_schedules`
(`weekday` or `byday`), addresses in `physical_addresses`, taxonomy in `service_taxonomys` (early
drafts: `service_taxonomies`), ages in `eligibilitys` (`eligibilities`), and say drop-in vs referral in
`attending_access`.
"""
from __future__ import annotations

from typing import Any

from directory.schedules import DAY_CODES, parse_day

_NESTED_1_0 = ("regular_schedules", "service_taxonomys", "service_taxonomies", "eligibilitys", "eligibilities",
               "holiday_schedules", "attending_access", "deliverable_type", "reviews")


def is_oruk1(doc: Any) -> bool:
    if isinstance(doc, dict) and ("content" in doc or "totalElements" in doc):
        return True
    items = doc if isinstance(doc, list) else [doc] if isinstance(doc, dict) else []
    for item in items[:20]:
        if isinstance(item, dict):
            if any(key in item for key in _NESTED_1_0):
                return True
            for sal in item.get("service_at_locations") or []:
                location = sal.get("location") if isinstance(sal, dict) else None
                if isinstance(location, dict) and ("physical_addresses" in location or "accessibility_for_disabilities" in location):
                    return True
    return False


def services_in(doc: Any) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict) and ("content" in doc or "totalElements" in doc):
        content = doc.get("content")
        if not isinstance(content, list):
            raise ValueError("page has no `content` list")
        return content
    if isinstance(doc, dict) and "id" in doc:
        return [doc]
    raise ValueError("not an ORUK 1.0 document: expected `content`, a list, or one service")


def _schedule(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    if not out.get("byday") and out.get("weekday") not in (None, ""):
        day = parse_day(str(out["weekday"]))
        # An unreadable weekday is passed through as byday so the record is rejected with it named.
        out["byday"] = DAY_CODES[day] if day is not None else str(out["weekday"])
        out.setdefault("freq", "WEEKLY")
        if not out.get("freq"):
            out["freq"] = "WEEKLY"
    return out


def _location(raw: Any) -> Any:
    if not isinstance(raw, dict):
        return raw
    out = dict(raw)
    out["addresses"] = list(raw.get("physical_addresses") or []) + list(raw.get("postal_addresses") or [])
    out["accessibility"] = raw.get("accessibility_for_disabilities") or []
    out.setdefault("location_type", "physical")
    return out


def to_oruk3(raw: Any) -> Any:
    """The same service in ORUK 3.0 field names; anything malformed is passed on for `records` to reject."""
    if not isinstance(raw, dict):
        return raw
    out = {k: raw.get(k) for k in ("id", "name", "description", "url", "email", "status", "fees", "accreditations",
                                   "assured_date", "attending_type", "attending_access", "organization",
                                   "contacts", "cost_options", "service_areas")}
    out["organization_id"] = raw.get("organization_id")
    out["schedules"] = [_schedule(s) for s in raw.get("regular_schedules") or []]
    eligibility = raw.get("eligibilitys") or raw.get("eligibilities") or []
    ages_min = [e.get("minimum_age") for e in eligibility if isinstance(e, dict) and e.get("minimum_age") not in (None, "")]
    ages_max = [e.get("maximum_age") for e in eligibility if isinstance(e, dict) and e.get("maximum_age") not in (None, "")]
    out["minimum_age"] = ages_min[0] if ages_min else None
    out["maximum_age"] = ages_max[0] if ages_max else None
    sals = []
    for sal in raw.get("service_at_locations") or []:
        if isinstance(sal, dict):
            sal = dict(sal)
            sal["location"] = _location(sal.get("location")) if sal.get("location") is not None else None
            if sal["location"] is None:
                sal.pop("location")
            sal["schedules"] = [_schedule(s) for s in sal.get("regular_schedules") or []]
        sals.append(sal)
    out["service_at_locations"] = sals
    attributes = []
    for link in raw.get("service_taxonomys") or raw.get("service_taxonomies") or []:
        taxonomy = link.get("taxonomy") if isinstance(link, dict) else None
        if isinstance(taxonomy, dict):
            attributes.append({"id": link.get("id"), "taxonomy_term": {
                "id": taxonomy.get("id"), "name": taxonomy.get("name"),
                "taxonomy": taxonomy.get("vocabulary"), "description": taxonomy.get("name")}})
        else:
            attributes.append(link)  # rejected by records with the reason
    out["attributes"] = attributes
    return out
