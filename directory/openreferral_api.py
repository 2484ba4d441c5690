"""The read-only Open Referral UK 3.0 API, as pure functions the web app mounts under `/openreferral`.

`handle(session, path, query)` returns (HTTP status, JSON body); no web framework is imported here,
so the API is tested without a server and the web app only adapts requests and responses.

Endpoints: `/` (about), `/services` (paged; `search`, `taxonomy_term_id`, `taxonomy_id`,
`modified_after`), `/services/{id}`, `/taxonomies`, `/taxonomies/{id}`, `/taxonomy_terms` (paged;
`taxonomy_id`), `/taxonomy_terms/{id}`, `/service_at_locations` (paged; `postcode` + `proximity` in
metres, as the ORUK spec says), `/service_at_locations/{id}`. Pages count from 1.
"""
from __future__ import annotations

from collections.abc import Callable
from math import cos, radians
from typing import Any

from dateutil.parser import isoparse
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from directory.export import (
    count,
    load_options,
    location_json,
    page_json,
    published_services,
    service_json,
    term_json,
)
from directory.geocoding import distance_miles, geocode_postcode
from directory.models import Attribute, Location, Service, ServiceAtLocation, Taxonomy, TaxonomyTerm

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
METRES_PER_MILE = 1609.344
ABOUT = {
    "version": "3.0",
    "profile": "https://openreferraluk.org",
    "openapi_url": "https://raw.githubusercontent.com/openreferral/uk-profile/main/openapi.json",
}

Query = dict[str, list[str]]


class BadRequest(ValueError):
    pass


def _one(query: Query, name: str) -> str | None:
    values = query.get(name) or []
    value = values[0].strip() if values else ""
    return value or None


def _int(query: Query, name: str, default: int, low: int, high: int) -> int:
    raw = _one(query, name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number") from None
    if not low <= value <= high:
        raise BadRequest(f"{name} must be between {low} and {high}")
    return value


def _paging(query: Query) -> tuple[int, int]:
    return _int(query, "page", 1, 1, 1_000_000), _int(query, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)


def handle(session: Session, path: str, query: Query | None = None) -> tuple[int, dict[str, Any]]:
    """Answer one GET request. `path` is relative to the mount point ("/services", "/services/<id>")."""
    query = query or {}
    parts = [p for p in path.strip("/").split("/") if p]
    if parts[:1] == ["openreferral"]:
        parts = parts[1:]
    routes: dict[str, tuple[Callable[..., tuple[int, dict[str, Any]]], Callable[..., tuple[int, dict[str, Any]]]]] = {
        "services": (_services, _service),
        "taxonomies": (_taxonomies, _taxonomy),
        "taxonomy_terms": (_taxonomy_terms, _taxonomy_term),
        "service_at_locations": (_service_at_locations, _service_at_location),
    }
    try:
        if not parts:
            return 200, dict(ABOUT)
        if parts[0] in routes and len(parts) <= 2:
            listing, single = routes[parts[0]]
            return listing(session, query) if len(parts) == 1 else single(session, parts[1])
    except BadRequest as error:
        return 400, {"error": str(error)}
    return 404, {"error": f"no such endpoint: /{'/'.join(parts)}"}


def _not_found(what: str, ident: str) -> tuple[int, dict[str, Any]]:
    return 404, {"error": f"no {what} with id {ident}"}


def _services(session: Session, query: Query) -> tuple[int, dict[str, Any]]:
    page, per_page = _paging(query)
    stmt = published_services()
    search = _one(query, "search")
    if search:
        like = f"%{search.lower()}%"
        stmt = stmt.where(or_(Service.name.ilike(like), Service.description.ilike(like)))
    term_id = _one(query, "taxonomy_term_id")
    if term_id:
        stmt = stmt.where(Service.id.in_(select(Attribute.service_id).where(Attribute.taxonomy_term_id == term_id)))
    taxonomy_id = _one(query, "taxonomy_id")
    if taxonomy_id:
        stmt = stmt.where(Service.id.in_(
            select(Attribute.service_id).join(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == taxonomy_id)))
    modified_after = _one(query, "modified_after")
    if modified_after:
        try:
            stmt = stmt.where(Service.last_modified >= isoparse(modified_after))
        except ValueError:
            raise BadRequest("modified_after must be an ISO 8601 date-time") from None
    total = count(session, stmt)
    rows = session.scalars(stmt.options(*load_options()).limit(per_page).offset((page - 1) * per_page)).unique().all()
    return 200, page_json([service_json(s) for s in rows], total, page, per_page)


def _service(session: Session, ident: str) -> tuple[int, dict[str, Any]]:
    service = session.scalars(published_services().where(Service.id == ident).options(*load_options())).first()
    return (200, service_json(service)) if service is not None else _not_found("service", ident)


def _taxonomy_dict(taxonomy: Taxonomy, terms: list[TaxonomyTerm] | None = None) -> dict[str, Any]:
    out = {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description or taxonomy.name}
    if taxonomy.uri:
        out["uri"] = taxonomy.uri
    if taxonomy.version:
        out["version"] = taxonomy.version
    if terms is not None:
        out["taxonomy_terms"] = [term_json(t) for t in terms]
    return out


def _taxonomies(session: Session, query: Query) -> tuple[int, dict[str, Any]]:
    page, per_page = _paging(query)
    stmt = select(Taxonomy).order_by(Taxonomy.name, Taxonomy.id)
    total = count(session, stmt)
    rows = session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return 200, page_json([_taxonomy_dict(t) for t in rows], total, page, per_page)


def _taxonomy(session: Session, ident: str) -> tuple[int, dict[str, Any]]:
    taxonomy = session.get(Taxonomy, ident)
    if taxonomy is None:
        return _not_found("taxonomy", ident)
    terms = session.scalars(select(TaxonomyTerm).where(TaxonomyTerm.taxonomy_id == ident).order_by(TaxonomyTerm.name)).all()
    return 200, _taxonomy_dict(taxonomy, list(terms))


def _taxonomy_terms(session: Session, query: Query) -> tuple[int, dict[str, Any]]:
    page, per_page = _paging(query)
    stmt = select(TaxonomyTerm).order_by(TaxonomyTerm.taxonomy, TaxonomyTerm.name, TaxonomyTerm.id)
    taxonomy_id = _one(query, "taxonomy_id")
    if taxonomy_id:
        stmt = stmt.where(TaxonomyTerm.taxonomy_id == taxonomy_id)
    total = count(session, stmt)
    rows = session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return 200, page_json([term_json(t) for t in rows], total, page, per_page)


def _taxonomy_term(session: Session, ident: str) -> tuple[int, dict[str, Any]]:
    term = session.get(TaxonomyTerm, ident)
    return (200, term_json(term)) if term is not None else _not_found("taxonomy term", ident)


def _sal_json(sal: ServiceAtLocation, service: Service, distance_m: float | None = None) -> dict[str, Any]:
    body = {"id": sal.id, "service_id": service.id, "location_id": sal.location_id,
            "location": location_json(sal.location), "service": service_json(service)}
    if distance_m is not None:
        body["distance"] = round(distance_m)
    return body


def _service_at_locations(session: Session, query: Query) -> tuple[int, dict[str, Any]]:
    page, per_page = _paging(query)
    stmt = (select(ServiceAtLocation, Service).join(Service, ServiceAtLocation.service_id == Service.id)
            .join(Location, ServiceAtLocation.location_id == Location.id)
            .where(Service.status == "active", Service.retired_at.is_(None)))
    postcode = _one(query, "postcode")
    proximity = _one(query, "proximity")
    if proximity and not postcode:
        raise BadRequest("proximity needs a postcode")
    if not postcode:
        stmt = stmt.order_by(Service.name, ServiceAtLocation.id)
        total = count(session, stmt)
        rows = session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
        return 200, page_json([_sal_json(sal, service) for sal, service in rows], total, page, per_page)
    place = geocode_postcode(postcode)
    if place is None:
        raise BadRequest(f"postcode {postcode!r} could not be located")
    try:
        metres = float(proximity) if proximity else 16_093.44  # 10 miles when no proximity is given
    except ValueError:
        raise BadRequest("proximity must be a number of metres") from None
    if not 0 < metres <= 200_000:
        raise BadRequest("proximity must be between 1 and 200000 metres")
    miles = metres / METRES_PER_MILE
    dlat = miles / 69.05
    dlon = miles / (69.05 * max(cos(radians(place.lat)), 0.01))
    stmt = stmt.where(Location.latitude.between(place.lat - dlat, place.lat + dlat),
                      Location.longitude.between(place.lon - dlon, place.lon + dlon))
    near = []
    for sal, service in session.execute(stmt):
        location = sal.location
        distance = distance_miles(place.lat, place.lon, location.latitude, location.longitude)
        if distance <= miles:
            near.append((distance, service.name, sal.id, sal, service))
    near.sort(key=lambda row: row[:3])
    chosen = near[(page - 1) * per_page : page * per_page]
    contents = [_sal_json(sal, service, distance * METRES_PER_MILE) for distance, _, _, sal, service in chosen]
    return 200, page_json(contents, len(near), page, per_page)


def _service_at_location(session: Session, ident: str) -> tuple[int, dict[str, Any]]:
    row = session.execute(
        select(ServiceAtLocation, Service).join(Service, ServiceAtLocation.service_id == Service.id)
        .where(ServiceAtLocation.id == ident, Service.status == "active", Service.retired_at.is_(None))
    ).first()
    return (200, _sal_json(row[0], row[1])) if row is not None else _not_found("service at location", ident)
