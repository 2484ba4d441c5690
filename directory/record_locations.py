"""Check and normalise where a service meets (a feed's location): coordinates inside the UK, replaced
from the postcode when swapped or impossible (or swapped back when the postcode cannot be located, and
rejected otherwise), its addresses and its accessibility."""
from __future__ import annotations

from typing import Any

from directory.geocoding import in_great_britain_or_ni, normalise_postcode
from directory.record_fields import FeedContext, Rejected, as_list, as_object, check_id, enum, number, text

__all__ = ["LOCATION_TYPES", "check_location"]

LOCATION_TYPES = ("physical", "postal", "virtual")


def check_location(raw: dict[str, Any], ctx: FeedContext, warnings: list[str]) -> dict[str, Any]:
    lid = check_id(raw.get("id"), "location", ctx)
    addresses = [_address(a, i) for i, a in enumerate(as_list(raw, "addresses", "physical_addresses", "postal_addresses"))]
    lat = number(raw.get("latitude"), f"location {lid} latitude")
    lon = number(raw.get("longitude"), f"location {lid} longitude")
    postcode = next((a["postal_code"] for a in addresses if a["postal_code"]), None)
    geocoded_from = None
    if lat is not None and lon is not None and in_great_britain_or_ni(lat, lon):
        geocoded_from = "feed"
    else:
        point = ctx.geocode(postcode) if postcode else None
        problem = None if lat is None or lon is None else f"coordinates ({lat:g}, {lon:g}) are outside the UK"
        if lat is not None and lon is not None and in_great_britain_or_ni(lon, lat):
            problem = f"latitude and longitude ({lat:g}, {lon:g}) are swapped"
        if point is not None:
            lat, lon, geocoded_from = point[0], point[1], "postcode"
            if problem:
                warnings.append(f"location {lid}: {problem}; placed by postcode {postcode}")
        elif problem and "swapped" in problem:
            lat, lon, geocoded_from = lon, lat, "feed"
            warnings.append(f"location {lid}: {problem}; swapped back (postcode could not be located)")
        elif problem:
            raise Rejected(f"location {lid}: {problem} and no postcode to place it by")
        else:
            lat = lon = None
            if postcode:
                warnings.append(f"location {lid}: no coordinates and postcode {postcode} could not be located")
    location_type = enum(raw.get("location_type"), LOCATION_TYPES, "location_type") or "physical"
    accessibility = [
        _accessibility(a, i) for i, a in enumerate(as_list(raw, "accessibility", "accessibility_for_disabilities"))
    ]
    return {
        "id": lid,
        "location_type": location_type,
        "name": text(raw.get("name")),
        "description": text(raw.get("description")),
        "latitude": round(lat, 6) if lat is not None else None,
        "longitude": round(lon, 6) if lon is not None else None,
        "geocoded_from": geocoded_from,
        "external_identifier": text(raw.get("external_identifier")),
        "external_identifier_type": text(raw.get("external_identifier_type")),
        "addresses": addresses,
        "accessibility": accessibility,
    }


def _address(raw: Any, index: int) -> dict[str, Any]:
    raw = as_object(raw, "address")
    postcode_text = text(raw.get("postal_code")) or ""
    postcode = normalise_postcode(postcode_text) if postcode_text else ""
    address_1 = text(raw.get("address_1")) or ""
    if not postcode_text and not address_1:
        raise Rejected(f"address {index + 1}: missing required fields address_1 and postal_code")
    return {
        "original_id": text(raw.get("id")),
        "attention": text(raw.get("attention")),
        "address_1": ", ".join(filter(None, [address_1, *(text(raw.get(f"address_{n}")) for n in (2, 3, 4))])),
        "city": text(raw.get("city")) or "",
        "region": text(raw.get("region")),
        "state_province": text(raw.get("state_province")) or "",
        # Keep what the publisher wrote when it is not a GB postcode (a Northern Ireland or typo'd one).
        "postal_code": postcode if postcode and " " in postcode else postcode_text.upper(),
        "country": (text(raw.get("country")) or "GB").upper()[:2],
        "address_type": enum(raw.get("address_type"), LOCATION_TYPES, "address_type") or "physical",
    }


def _accessibility(raw: Any, index: int) -> dict[str, Any]:
    raw = as_object(raw, "accessibility")
    return {
        "original_id": text(raw.get("id")),
        "description": text(raw.get("description")) or text(raw.get("accessibility")),
        "details": text(raw.get("details")),
        "url": text(raw.get("url")),
    }
