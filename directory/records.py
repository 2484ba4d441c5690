"""Check one service record from a feed and normalise it, or reject it with a reason (its fields'
checks are directory.record_fields; where it meets, directory.record_locations).

Every importer (ORUK 3.0, ORUK 1.0, CSV) first turns its input into the ORUK 3.0 service shape;
this module is the one place that decides what is good enough to keep. A bad record raises
`Rejected` with a sentence for the import report; the import goes on with the next one.

What we insist on (beyond JSON types):
- service: `id`, `name`; `status` in 3.0 feeds (1.0 and CSV default to active). ORUK 3.0 ids are UUIDs.
- organization: `id` and `name`, nested or found by `organization_id` elsewhere in the feed.
- service_at_location: a nested `location` with an `id`, or a `location_id` found in the feed.
- location: coordinates inside the UK. Swapped or impossible coordinates are replaced from the
  postcode when it can be located; if not, swapped ones are swapped back, and anything else is rejected.
- schedules must parse (see `directory.schedules`); enumerations must match after case-folding.
"""
from __future__ import annotations

import re
import uuid
from typing import Any

from directory import schedules
from directory.record_fields import FeedContext, Rejected, as_list, as_object, check_id, enum, is_uuid, number, text
from directory.record_locations import check_location

STATUSES = ("active", "inactive", "defunct", "temporarily closed")
ATTENDING_ACCESS = {"drop-in": "drop-in", "drop in": "drop-in", "dropin": "drop-in", "referral": "referral",
                    "appointment": "appointment", "booking": "appointment", "membership": "membership"}
ATTENDING_TYPE = {"venue": "venue", "in person": "venue", "in-person": "venue", "phone": "phone",
                  "telephone": "phone", "online": "online", "home visit": "home visit", "home": "home visit",
                  "home visits": "home visit"}
# Taxonomy vocabularies our own export uses to carry what ORUK 3.0 has no field for.
ACCESS_TAXONOMY = "attending_access"
TYPE_TAXONOMY = "attending_type"
DATA_STATUS_TAXONOMY = "data_status"


def normalise_service(raw: Any, ctx: FeedContext) -> dict[str, Any]:
    """The record as the store keeps it (plain JSON-able values, sorted lists); raises Rejected."""
    if not isinstance(raw, dict):
        raise Rejected(f"a service should be an object, got {type(raw).__name__}")
    service_id = check_id(raw.get("id"), "service", ctx)
    if service_id in ctx.seen_ids:
        raise Rejected(f"duplicate id {service_id} (the feed has this service twice)")
    name = text(raw.get("name"))
    if name is None:
        raise Rejected("missing required field name")
    status_raw = raw.get("status")
    if text(status_raw) is None and ctx.strict_ids:
        raise Rejected("missing required field status")
    status = enum(status_raw, STATUSES, "status") or "active"
    record: dict[str, Any] = {
        "id": service_id,
        "name": name,
        "description": text(raw.get("description")) or "",
        "url": text(raw.get("url")),
        "email": text(raw.get("email")),
        "status": status,
        "fees": text(raw.get("fees")) or text(raw.get("fees_description")),
        "eligibility_description": text(raw.get("eligibility_description")),
        "minimum_age": number(raw.get("minimum_age"), "minimum_age"),
        "maximum_age": number(raw.get("maximum_age"), "maximum_age"),
        "assured_date": text(raw.get("assured_date")),
        "assurer_email": text(raw.get("assurer_email")),
        "alert": text(raw.get("alert")),
        "last_modified": text(raw.get("last_modified")),
        "attending_access": enum(raw.get("attending_access"), ATTENDING_ACCESS, "attending_access"),
        "attending_type": enum(raw.get("attending_type"), ATTENDING_TYPE, "attending_type"),
        "is_sample": False,
        "warnings": [],
    }
    record["organization"] = _organization(raw, ctx)
    record["schedules"] = _schedules(as_list(raw, "schedules", "regular_schedules"), "schedule")
    record["service_at_locations"] = [
        _service_at_location(item, index, ctx, record["warnings"])
        for index, item in enumerate(as_list(raw, "service_at_locations"))
    ]
    record["contacts"] = [_contact(item, i) for i, item in enumerate(as_list(raw, "contacts"))]
    record["phones"] = [_phone(item, i, "service phone") for i, item in enumerate(as_list(raw, "phones"))]
    record["cost_options"] = [_cost_option(item, i) for i, item in enumerate(as_list(raw, "cost_options"))]
    record["service_areas"] = [_service_area(item, i) for i, item in enumerate(as_list(raw, "service_areas"))]
    record["attributes"] = []
    for index, item in enumerate(as_list(raw, "attributes")):
        attribute = _attribute(item, index, ctx)
        taxonomy = (attribute["taxonomy_term"].get("taxonomy") or "").casefold()
        term_name = attribute["taxonomy_term"]["name"]
        if taxonomy == ACCESS_TAXONOMY:
            record["attending_access"] = record["attending_access"] or enum(term_name, ATTENDING_ACCESS, "attending_access")
        elif taxonomy == TYPE_TAXONOMY:
            record["attending_type"] = record["attending_type"] or enum(term_name, ATTENDING_TYPE, "attending_type")
        elif taxonomy == DATA_STATUS_TAXONOMY:
            record["is_sample"] = record["is_sample"] or term_name.casefold() == "sample"
        else:
            record["attributes"].append(attribute)
    if record["minimum_age"] is not None and record["maximum_age"] is not None and record["minimum_age"] > record["maximum_age"]:
        raise Rejected(f"minimum_age {record['minimum_age']:g} is above maximum_age {record['maximum_age']:g}")
    ctx.seen_ids.add(service_id)
    return record


def _organization(raw: dict[str, Any], ctx: FeedContext) -> dict[str, Any] | None:
    nested = raw.get("organization")
    org_id = text(raw.get("organization_id"))
    if nested is None and org_id is None:
        return None
    if nested is None:
        assert org_id is not None
        key = org_id.lower() if is_uuid(org_id) else org_id
        nested = ctx.organizations.get(key)
        if nested is None:
            raise Rejected(f"dangling reference: organization_id {org_id} is not in the feed")
    nested = as_object(nested, "organization")
    oid = check_id(nested.get("id"), "organization", ctx)
    name = text(nested.get("name"))
    if name is None:
        raise Rejected(f"organization {oid}: missing required field name")
    return {
        "id": oid,
        "name": name,
        "description": text(nested.get("description")) or "",
        "email": text(nested.get("email")),
        "website": text(nested.get("website")) or text(nested.get("url")),
        "uri": text(nested.get("uri")),
        "logo": text(nested.get("logo")),
    }


def _schedules(items: list[Any], what: str) -> list[dict[str, Any]]:
    out = []
    for index, item in enumerate(items):
        item = as_object(item, what)
        try:
            parsed = schedules.parse_schedule(item)
        except schedules.ScheduleError as error:
            raise Rejected(f"{what} {index + 1} does not parse: {error}") from None
        fields = parsed.as_oruk()
        fields.update(
            original_id=text(item.get("id")), attending_type=text(item.get("attending_type")),
            notes=text(item.get("notes")),
        )
        out.append(fields)
    return out


def _service_at_location(item: Any, index: int, ctx: FeedContext, warnings: list[str]) -> dict[str, Any]:
    item = as_object(item, "service_at_location")
    location = item.get("location")
    if location is None:
        location_id = text(item.get("location_id"))
        if location_id is None:
            raise Rejected(f"service_at_location {index + 1}: no location and no location_id")
        key = location_id.lower() if is_uuid(location_id) else location_id
        location = ctx.locations.get(key)
        if location is None:
            raise Rejected(f"dangling reference: location_id {location_id} is not in the feed")
    return {
        "original_id": text(item.get("id")),
        "location": check_location(as_object(location, "location"), ctx, warnings),
        "schedules": _schedules(as_list(item, "schedules", "regular_schedules"), f"schedule at location {index + 1}"),
    }


def _phone(raw: Any, index: int, what: str) -> dict[str, Any]:
    raw = as_object(raw, what)
    number = text(raw.get("number"))
    if number is None:
        raise Rejected(f"{what} {index + 1}: missing required field number")
    if not re.search(r"\d{3}", number):
        raise Rejected(f"{what} {index + 1}: {number!r} is not a phone number")
    return {"original_id": text(raw.get("id")), "number": number, "description": text(raw.get("description"))}


def _contact(raw: Any, index: int) -> dict[str, Any]:
    raw = as_object(raw, "contact")
    return {
        "original_id": text(raw.get("id")),
        "name": text(raw.get("name")),
        "title": text(raw.get("title")),
        "email": text(raw.get("email")),
        "phones": [_phone(p, i, f"contact {index + 1} phone") for i, p in enumerate(as_list(raw, "phones"))],
    }


def _cost_option(raw: Any, index: int) -> dict[str, Any]:
    raw = as_object(raw, "cost_option")
    amount = number(raw.get("amount"), f"cost option {index + 1} amount")
    if amount is not None and amount < 0:
        raise Rejected(f"cost option {index + 1} amount {amount:g} is negative")
    return {
        "original_id": text(raw.get("id")),
        "option": text(raw.get("option")),
        "amount": amount,
        "amount_description": text(raw.get("amount_description")),
        "valid_from": text(raw.get("valid_from")),
        "valid_to": text(raw.get("valid_to")),
    }


def _service_area(raw: Any, index: int) -> dict[str, Any]:
    raw = as_object(raw, "service_area")
    return {
        "original_id": text(raw.get("id")),
        "name": text(raw.get("name")) or text(raw.get("service_area")),
        "description": text(raw.get("description")),
        "extent": text(raw.get("extent")),
        "extent_type": text(raw.get("extent_type")),
        "uri": text(raw.get("uri")),
    }


def _attribute(raw: Any, index: int, ctx: FeedContext) -> dict[str, Any]:
    raw = as_object(raw, "attribute")
    term = raw.get("taxonomy_term")
    if term is None:
        term_id = text(raw.get("taxonomy_term_id"))
        if term_id is None:
            raise Rejected(f"attribute {index + 1}: no taxonomy_term and no taxonomy_term_id")
        term = ctx.taxonomy_terms.get(term_id.lower() if is_uuid(term_id) else term_id)
        if term is None:
            raise Rejected(f"dangling reference: taxonomy_term_id {term_id} is not in the feed")
    return {"original_id": text(raw.get("id")), "value": text(raw.get("value")), "label": text(raw.get("label")),
            "taxonomy_term": normalise_term(as_object(term, "taxonomy_term"), ctx)}


def normalise_term(raw: dict[str, Any], ctx: FeedContext) -> dict[str, Any]:
    name = text(raw.get("name")) or text(raw.get("term"))
    if name is None:
        raise Rejected("taxonomy term: missing required field name")
    raw_id = text(raw.get("id"))
    taxonomy = text(raw.get("taxonomy")) or text(raw.get("vocabulary"))
    if raw_id is None or (ctx.strict_ids and not is_uuid(raw_id)):
        if raw_id is not None:
            raise Rejected(f"taxonomy term: bad id {raw_id!r} (ORUK 3.0 ids are UUIDs)")
        raise Rejected(f"taxonomy term {name!r}: missing required field id")
    term_id = raw_id.lower() if is_uuid(raw_id) else str(uuid.uuid5(uuid.NAMESPACE_URL, f"term:{taxonomy}:{raw_id}"))
    return {
        "id": term_id,
        "code": text(raw.get("code")) or (raw_id if not is_uuid(raw_id) else None),
        "name": name,
        "description": text(raw.get("description")) or "",
        "parent_id": text(raw.get("parent_id")) if is_uuid(text(raw.get("parent_id")) or "") else None,
        "taxonomy": taxonomy,
        "taxonomy_id": (text(raw.get("taxonomy_id")) or "").lower() if is_uuid(text(raw.get("taxonomy_id")) or "") else None,
        "term_uri": text(raw.get("term_uri")),
    }
