"""Read ORUK 3.0 documents: an API page (`contents`), a list of services, one service, or a bundle.

A bundle is one JSON object holding flat tables as published by a data dump:
`{"organizations": [...], "locations": [...], "services": [...], "service_at_locations": [...],
"taxonomy_terms": [...]}`; references between them (`organization_id`, `location_id`,
`taxonomy_term_id`) are resolved by `directory.records` and reported when they dangle.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Document:
    """Services from one file or page, plus objects published beside them that services refer to."""

    services: list[Any] = field(default_factory=list)
    organizations: dict[str, Any] = field(default_factory=dict)
    locations: dict[str, Any] = field(default_factory=dict)
    taxonomy_terms: dict[str, Any] = field(default_factory=dict)
    total_pages: int | None = None
    page_number: int | None = None


def _key(value: Any) -> str:
    return str(value).strip().lower()


def _index(items: Any) -> dict[str, Any]:
    if not isinstance(items, list):
        return {}
    return {_key(item["id"]): item for item in items if isinstance(item, dict) and item.get("id") is not None}


def is_page(doc: Any) -> bool:
    return isinstance(doc, dict) and ("contents" in doc or "total_items" in doc)


def read_document(doc: Any) -> Document:
    """Split an ORUK 3.0 JSON document into services and the objects they may refer to."""
    if isinstance(doc, list):
        return Document(services=doc)
    if not isinstance(doc, dict):
        raise ValueError(f"expected a JSON object or list, got {type(doc).__name__}")
    if is_page(doc):
        contents = doc.get("contents")
        if not isinstance(contents, list):
            raise ValueError("page has no `contents` list")
        return Document(services=contents, total_pages=_int(doc.get("total_pages")), page_number=_int(doc.get("page_number")))
    if "services" in doc:
        services = doc["services"]
        if not isinstance(services, list):
            raise ValueError("`services` is not a list")
        out = Document(
            services=services,
            organizations=_index(doc.get("organizations")),
            locations=_index(doc.get("locations")),
            taxonomy_terms=_index(doc.get("taxonomy_terms")),
        )
        for taxonomy in doc.get("taxonomies") or []:
            if isinstance(taxonomy, dict):
                out.taxonomy_terms.update(_index(taxonomy.get("taxonomy_terms")))
        # Flat service_at_locations rows become nested ones on their service.
        by_service: dict[str, list[Any]] = {}
        for row in doc.get("service_at_locations") or []:
            if isinstance(row, dict) and row.get("service_id") is not None:
                by_service.setdefault(_key(row["service_id"]), []).append(row)
        if by_service:
            for service in services:
                if isinstance(service, dict) and "service_at_locations" not in service and service.get("id") is not None:
                    rows = by_service.get(_key(service["id"]))
                    if rows:
                        service["service_at_locations"] = rows
        return out
    if "id" in doc and "name" in doc:
        return Document(services=[doc])
    raise ValueError("not an ORUK 3.0 document: expected `contents`, `services`, a list, or one service")


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
