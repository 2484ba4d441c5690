"""Our directory as ORUK 3.0 objects: `python -m directory export` and the read-only API share this.

Fields ORUK 3.0 has no place for travel as attributes in our own vocabularies, so another directory
(or our importer) can read them back: `attending_access` (drop-in, referral...), `attending_type`
(venue, phone, online, home visit) and `data_status` (sample). Empty values are left out rather
than sent as null, which the schemas do not allow.
"""
from __future__ import annotations

from datetime import timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql import Select

from directory.models import Attribute, Contact, Location, Service, ServiceAtLocation, TaxonomyTerm
from directory.records import ACCESS_TAXONOMY, DATA_STATUS_TAXONOMY, TYPE_TAXONOMY
from directory.search_index import schedule_fields
from directory.store import derived_id


def _clean(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if v is not None and v != []}


def load_options() -> list[Any]:
    sal = selectinload(Service.service_at_locations)
    return [
        selectinload(Service.schedules),
        sal.selectinload(ServiceAtLocation.schedules),
        sal.selectinload(ServiceAtLocation.location).selectinload(Location.addresses),
        sal.selectinload(ServiceAtLocation.location).selectinload(Location.accessibility),
        selectinload(Service.contacts).selectinload(Contact.phones),
        selectinload(Service.phones),
        selectinload(Service.cost_options),
        selectinload(Service.service_areas),
        selectinload(Service.attributes).joinedload(Attribute.taxonomy_term),
    ]


def published_services() -> Select:
    """Active, unretired services in a stable order (the API pages through this)."""
    return (select(Service).where(Service.status == "active", Service.retired_at.is_(None))
            .order_by(Service.name, Service.id))


def organization_json(org: Any) -> dict[str, Any]:
    return _clean({"id": org.id, "name": org.name, "description": org.description or "", "email": org.email,
                   "website": org.website, "uri": org.uri, "logo": org.logo})


def term_json(term: TaxonomyTerm) -> dict[str, Any]:
    return _clean({"id": term.id, "name": term.name, "description": term.description or term.name,
                   "parent_id": term.parent_id, "taxonomy": term.taxonomy, "taxonomy_id": term.taxonomy_id,
                   "term_uri": term.term_uri, "code": term.code})


def _schedule_json(row: Any, service_id: str, sal_id: str | None) -> dict[str, Any]:
    fields = schedule_fields(row)
    return _clean({"id": row.id, "service_id": service_id, "service_at_location_id": sal_id, **fields,
                   "attending_type": row.attending_type, "notes": row.notes})


def location_json(location: Location) -> dict[str, Any]:
    return _clean({
        "id": location.id, "location_type": location.location_type, "name": location.name,
        "description": location.description, "latitude": location.latitude, "longitude": location.longitude,
        "external_identifier": location.external_identifier,
        "external_identifier_type": location.external_identifier_type,
        "addresses": [_clean({"id": a.id, "location_id": location.id, "attention": a.attention,
                              "address_1": a.address_1 or "", "city": a.city or "", "region": a.region,
                              "state_province": a.state_province or "", "postal_code": a.postal_code or "",
                              "country": a.country or "GB", "address_type": a.address_type or "physical"})
                      for a in location.addresses],
        "accessibility": [_clean({"id": a.id, "location_id": location.id, "description": a.description,
                                  "details": a.details, "url": a.url}) for a in location.accessibility],
    })


def _synthetic_attribute(service: Service, taxonomy: str, value: str) -> dict[str, Any]:
    term_id = derived_id("term", taxonomy, value)
    return {"id": derived_id(service.id, "attribute", taxonomy), "link_id": service.id, "link_type": "service",
            "link_entity": "service", "taxonomy_term_id": term_id,
            "taxonomy_term": {"id": term_id, "name": value, "description": value, "taxonomy": taxonomy}}


def service_json(service: Service) -> dict[str, Any]:
    attributes = [
        _clean({"id": a.id, "link_id": service.id, "link_type": "service", "link_entity": "service",
                "taxonomy_term_id": a.taxonomy_term_id, "value": a.value, "label": a.label,
                "taxonomy_term": term_json(a.taxonomy_term)})
        for a in service.attributes
    ]
    if service.attending_access:
        attributes.append(_synthetic_attribute(service, ACCESS_TAXONOMY, service.attending_access))
    if service.attending_type:
        attributes.append(_synthetic_attribute(service, TYPE_TAXONOMY, service.attending_type))
    if service.is_sample:
        attributes.append(_synthetic_attribute(service, DATA_STATUS_TAXONOMY, "sample"))
    modified = service.last_modified
    if modified is not None and modified.tzinfo is None:
        modified = modified.replace(tzinfo=timezone.utc)
    return _clean({
        "id": service.id,
        "organization_id": service.organization_id,
        "name": service.name,
        "description": service.description or "",
        "url": service.url,
        "email": service.email,
        "status": service.status,
        "fees": service.fees,
        "eligibility_description": service.eligibility_description,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": service.assured_date,
        "assurer_email": service.assurer_email,
        "alert": service.alert,
        "last_modified": modified.isoformat().replace("+00:00", "Z") if modified else None,
        "organization": organization_json(service.organization) if service.organization else None,
        "schedules": [_schedule_json(s, service.id, None) for s in service.schedules],
        "service_at_locations": [
            _clean({"id": sal.id, "service_id": service.id, "location_id": sal.location_id,
                    "location": location_json(sal.location),
                    "schedules": [_schedule_json(s, service.id, sal.id) for s in sal.schedules]})
            for sal in service.service_at_locations
        ],
        "contacts": [_clean({"id": c.id, "service_id": service.id, "name": c.name, "title": c.title, "email": c.email,
                             "phones": [_clean({"id": p.id, "contact_id": c.id, "number": p.number,
                                                "description": p.description}) for p in c.phones]})
                     for c in service.contacts],
        # HSDS 3.0 puts phones on the service; the UK profile's schema tolerates them.
        "phones": [_clean({"id": p.id, "service_id": service.id, "number": p.number, "description": p.description})
                   for p in service.phones],
        "cost_options": [_clean({"id": o.id, "service_id": service.id, "option": o.option, "amount": o.amount,
                                 "currency": "GBP" if o.amount is not None else None,
                                 "amount_description": o.amount_description, "valid_from": o.valid_from,
                                 "valid_to": o.valid_to}) for o in service.cost_options],
        "service_areas": [_clean({"id": a.id, "service_id": service.id, "name": a.name, "description": a.description,
                                  "extent": a.extent, "extent_type": a.extent_type, "uri": a.uri})
                          for a in service.service_areas],
        "attributes": attributes,
    })


def page_json(contents: list[dict[str, Any]], total_items: int, page: int, per_page: int) -> dict[str, Any]:
    total_pages = max(1, -(-total_items // per_page)) if per_page else 1
    return {"total_items": total_items, "total_pages": total_pages, "page_number": page, "size": len(contents),
            "first_page": page == 1, "last_page": page >= total_pages, "empty": not contents, "contents": contents}


def export_page(session: Session) -> dict[str, Any]:
    """Every active service, fully nested, as one ORUK 3.0 page."""
    services = session.scalars(published_services().options(*load_options())).unique().all()
    contents = [service_json(s) for s in services]
    return page_json(contents, len(contents), 1, max(1, len(contents)))


def count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
