"""Write checked records into the directory: create, update in place, leave alone, or retire.

A record's content hash decides whether anything changed, so importing the same feed twice writes
nothing but "last seen". Local ids: a feed's UUID is kept (exports and other directories then agree
on it) unless another feed already owns it; other ids (ORUK 1.0 numbers, CSV rows) get a UUID derived
from the feed and the original id, so re-imports land on the same rows. Child rows get ids derived
from their parent, so they can never collide across feeds.
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from dateutil.parser import isoparse
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from directory import search_index
from directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Feed,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

NAMESPACE = uuid.UUID("6f1d8a52-5b7e-4c1e-9d38-3c0f0e7a9b21")  # this project's id namespace
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def now() -> datetime:
    return datetime.now(timezone.utc)


def derived_id(*parts: object) -> str:
    return str(uuid.uuid5(NAMESPACE, "|".join(str(p) for p in parts)))


def content_hash(record: dict[str, Any]) -> str:
    body = {k: v for k, v in record.items() if k != "warnings"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


@dataclass
class ImportReport:
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    inactive: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (record, reason)
    warnings: list[str] = field(default_factory=list)
    read_errors: list[str] = field(default_factory=list)  # a file or page that could not be read at all
    records_read: int = 0

    def summary(self) -> str:
        return (f"{self.source}: created {self.created}, updated {self.updated}, unchanged {self.unchanged}, "
                f"retired {self.retired}, rejected {len(self.rejected)}"
                + (f" ({self.inactive} inactive: kept, never suggested)" if self.inactive else ""))

    def lines(self) -> list[str]:
        out = [self.summary()]
        reasons = Counter(reason for _, reason in self.rejected)
        if self.rejected:
            out.append("rejected:")
            out.extend(f"  {record}: {reason}" for record, reason in self.rejected)
            if len(reasons) < len(self.rejected):
                out.append("rejections by reason:")
                out.extend(f"  {count} x {reason}" for reason, count in reasons.most_common())
        if self.warnings:
            out.append("warnings:")
            out.extend(f"  {w}" for w in self.warnings)
        if self.read_errors:
            out.append("could not read:")
            out.extend(f"  {e}" for e in self.read_errors)
        return out


def get_feed(session: Session, source: str, kind: str, *, is_sample: bool = False) -> Feed:
    feed = session.scalars(select(Feed).where(Feed.source == source)).first()
    stamp = now()
    if feed is None:
        feed = Feed(source=source, kind=kind, is_sample=is_sample, first_imported_at=stamp, last_imported_at=stamp)
        session.add(feed)
        session.flush()
    else:
        feed.kind, feed.last_imported_at = kind, stamp
    return feed


class Store:
    """One import's writer: call `save` per record, then `retire_unseen` if the whole feed was read."""

    def __init__(self, session: Session, feed: Feed, report: ImportReport) -> None:
        self.session = session
        self.feed = feed
        self.report = report
        self.started = now()
        self._location_ids: dict[str, str] = {}
        self._claimed: set[str] = set()  # child ids handed out in this import

    def _local_id(self, model: Any, original: str) -> str:
        if _UUID.match(original):
            owner = self.session.execute(select(model.feed_id).where(model.id == original)).first()
            if owner is None or owner[0] == self.feed.id:
                return original
        existing = self.session.execute(
            select(model.id).where(model.feed_id == self.feed.id, model.original_id == original)
        ).first()
        return existing[0] if existing else derived_id(self.feed.id, model.__tablename__, original)

    def _child_id(self, model: Any, original: str | None, owner: str, owner_column: str, *fallback: object) -> str:
        """Keep a publisher's UUID for a child row (consumers of our export see the same ids) unless
        another parent already uses it; otherwise derive one from the parent."""
        if original and _UUID.match(original.lower()) and original.lower() not in self._claimed:
            existing = self.session.get(model, original.lower())
            if existing is None or getattr(existing, owner_column) == owner:
                self._claimed.add(original.lower())
                return original.lower()
        derived = derived_id(owner, model.__tablename__, original or "", *fallback)
        self._claimed.add(derived)
        return derived

    def save(self, record: dict[str, Any]) -> None:
        """Create, update or leave one normalised service record (see `directory.records`)."""
        self.report.warnings.extend(record["warnings"])
        digest = content_hash(record)
        service_id = self._local_id(Service, record["id"])
        service = self.session.get(Service, service_id)
        if record["status"] != "active":
            self.report.inactive += 1
        if service is not None and service.content_hash == digest:
            service.last_seen_at = self.started
            if service.retired_at is not None:  # back in the feed: suggest it again
                service.retired_at = None
                search_index.reindex_service(self.session, service)
                self.report.updated += 1
            else:
                self.report.unchanged += 1
            return
        organization = self._organization(record["organization"])
        locations = [self._location(sal["location"]) for sal in record["service_at_locations"]]
        created = service is None
        if created:
            service = Service(id=service_id, feed_id=self.feed.id, original_id=record["id"])
            self.session.add(service)
        else:
            service.schedules.clear()
            service.service_at_locations.clear()
            service.contacts.clear()
            service.phones.clear()
            service.cost_options.clear()
            service.service_areas.clear()
            service.attributes.clear()
            self.session.flush()
        service.organization = organization
        for name in ("name", "description", "url", "email", "status", "fees", "eligibility_description",
                     "minimum_age", "maximum_age", "attending_access", "attending_type", "alert", "assurer_email"):
            setattr(service, name, record[name])
        service.assured_date = (record["assured_date"] or "")[:10] or None
        service.last_modified = _datetime(record["last_modified"])
        service.is_sample = bool(record["is_sample"] or self.feed.is_sample)
        service.content_hash = digest
        service.last_seen_at = self.started
        service.retired_at = None
        self._children(service, record, locations)
        self.session.flush()
        search_index.reindex_service(self.session, service)
        if created:
            self.report.created += 1
        else:
            self.report.updated += 1

    def _children(self, service: Service, record: dict[str, Any], locations: list[Location]) -> None:
        sid = service.id
        for i, raw in enumerate(record["schedules"]):
            service.schedules.append(self._schedule(sid, None, i, raw))
        for i, (raw, location) in enumerate(zip(record["service_at_locations"], locations, strict=True)):
            sal = ServiceAtLocation(id=self._child_id(ServiceAtLocation, raw["original_id"], sid, "service_id", i, location.id),
                                    location=location, position=i)
            for j, sched in enumerate(raw["schedules"]):
                sal.schedules.append(self._schedule(sid, sal.id, j, sched))
            service.service_at_locations.append(sal)
        for i, raw in enumerate(record["contacts"]):
            contact = Contact(id=self._child_id(Contact, raw["original_id"], sid, "service_id", i), position=i,
                              name=raw["name"], title=raw["title"], email=raw["email"])
            for j, phone in enumerate(raw["phones"]):
                contact.phones.append(Phone(id=self._child_id(Phone, phone["original_id"], sid, "service_id", "c", i, j),
                                            service_id=sid, position=j, number=phone["number"],
                                            description=phone["description"]))
            service.contacts.append(contact)
        for i, phone in enumerate(record["phones"]):
            service.phones.append(Phone(id=self._child_id(Phone, phone["original_id"], sid, "service_id", i), position=i,
                                        number=phone["number"], description=phone["description"]))
        for i, raw in enumerate(record["cost_options"]):
            service.cost_options.append(CostOption(
                id=self._child_id(CostOption, raw["original_id"], sid, "service_id", i), position=i, option=raw["option"],
                amount=raw["amount"], amount_description=raw["amount_description"],
                valid_from=(raw["valid_from"] or "")[:10] or None, valid_to=(raw["valid_to"] or "")[:10] or None))
        for i, raw in enumerate(record["service_areas"]):
            service.service_areas.append(ServiceArea(
                id=self._child_id(ServiceArea, raw["original_id"], sid, "service_id", i), position=i, name=raw["name"],
                description=raw["description"], extent=raw["extent"], extent_type=raw["extent_type"], uri=raw["uri"]))
        for i, raw in enumerate(record["attributes"]):
            term = self._term(raw["taxonomy_term"])
            service.attributes.append(Attribute(
                id=self._child_id(Attribute, raw["original_id"], sid, "service_id", i, term.id),
                taxonomy_term=term, position=i, value=raw["value"], label=raw["label"]))

    def _schedule(self, service_id: str, sal_id: str | None, position: int, raw: dict[str, Any]) -> Schedule:
        return Schedule(
            id=self._child_id(Schedule, raw.get("original_id"), service_id, "service_id", sal_id or "", position),
            service_id=service_id, service_at_location_id=sal_id, position=position,
            **{k: raw.get(k) for k in ("freq", "interval", "byday", "bymonthday", "dtstart", "valid_from", "valid_to",
                                        "opens_at", "closes_at", "description", "attending_type", "notes")},
        )

    def _organization(self, raw: dict[str, Any] | None) -> Organization | None:
        if raw is None:
            return None
        org_id = self._local_id(Organization, raw["id"])
        org = self.session.get(Organization, org_id)
        if org is None:
            org = Organization(id=org_id, feed_id=self.feed.id, original_id=raw["id"])
            self.session.add(org)
        for name in ("name", "description", "email", "website", "uri", "logo"):
            setattr(org, name, raw[name])
        org.last_seen_at, org.retired_at = self.started, None
        return org

    def _location(self, raw: dict[str, Any]) -> Location:
        if raw["id"] in self._location_ids:
            location = self.session.get(Location, self._location_ids[raw["id"]])
        else:
            location = self.session.get(Location, self._local_id(Location, raw["id"]))
        digest = content_hash(raw)
        if location is not None and location.content_hash == digest:
            location.last_seen_at = self.started
            return location
        moved = False
        if location is None:
            location = Location(id=self._local_id(Location, raw["id"]), feed_id=self.feed.id, original_id=raw["id"])
            self.session.add(location)
        else:
            moved = (location.latitude, location.longitude) != (raw["latitude"], raw["longitude"])
            location.addresses.clear()
            location.accessibility.clear()
            self.session.flush()
        for name in ("location_type", "name", "description", "latitude", "longitude", "geocoded_from",
                     "external_identifier", "external_identifier_type"):
            setattr(location, name, raw[name])
        for i, a in enumerate(raw["addresses"]):
            location.addresses.append(Address(
                id=self._child_id(Address, a["original_id"], location.id, "location_id", i), position=i,
                **{k: a[k] for k in ("attention", "address_1", "city", "region", "state_province", "postal_code",
                                     "country", "address_type")}))
        for i, a in enumerate(raw["accessibility"]):
            location.accessibility.append(Accessibility(
                id=self._child_id(Accessibility, a["original_id"], location.id, "location_id", i), position=i,
                description=a["description"], details=a["details"], url=a["url"]))
        location.content_hash, location.last_seen_at, location.retired_at = digest, self.started, None
        self._location_ids[raw["id"]] = location.id
        self.session.flush()
        if moved:
            self._reindex_users(location.id)
        return location

    def _reindex_users(self, location_id: str) -> None:
        """Other services meet at this place too; their index rows carry its old coordinates."""
        users = self.session.scalars(
            select(Service).join(ServiceAtLocation).where(ServiceAtLocation.location_id == location_id)
        ).unique()
        for user in users:
            search_index.reindex_service(self.session, user)

    def _term(self, raw: dict[str, Any]) -> TaxonomyTerm:
        term = self.session.get(TaxonomyTerm, raw["id"])
        if term is None:
            term = TaxonomyTerm(id=raw["id"], feed_id=self.feed.id)
            self.session.add(term)
        for name in ("code", "name", "description", "parent_id", "taxonomy", "term_uri"):
            setattr(term, name, raw[name])
        term.taxonomy_id = self._taxonomy(raw["taxonomy"], raw.get("taxonomy_id")) if raw["taxonomy"] else None
        term.last_seen_at = self.started
        self.session.flush()
        return term

    def touch(self, original_id: str) -> None:
        """Mark a service seen without changing it (its new version was rejected)."""
        key = original_id.lower() if _UUID.match(original_id.lower()) else original_id
        self.session.execute(
            update(Service).where(Service.feed_id == self.feed.id, Service.original_id == key)
            .values(last_seen_at=self.started),
            execution_options={"synchronize_session": False},
        )

    def _taxonomy(self, name: str, taxonomy_id: str | None) -> str:
        """The vocabulary a term belongs to, created on first sight (ORUK terms name theirs as text)."""
        tid = taxonomy_id or derived_id("taxonomy", name.casefold())
        if self.session.get(Taxonomy, tid) is None:
            self.session.add(Taxonomy(id=tid, name=name, description=f"Terms published as {name!r}"))
            self.session.flush()
        return tid

    def retire_unseen(self) -> int:
        """Services this feed published before but not this time: kept, marked retired, unindexed."""
        gone = list(self.session.scalars(
            select(Service).where(Service.feed_id == self.feed.id, Service.retired_at.is_(None),
                                  (Service.last_seen_at < self.started) | Service.last_seen_at.is_(None))
        ))
        for service in gone:
            service.retired_at = self.started
            search_index.unindex_service(self.session, service.id)
        self.session.execute(
            update(Location).where(Location.feed_id == self.feed.id, Location.retired_at.is_(None),
                                   Location.last_seen_at < self.started).values(retired_at=self.started),
            execution_options={"synchronize_session": False},
        )
        self.report.retired += len(gone)
        return len(gone)



def _datetime(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = isoparse(value)
    except (ValueError, OverflowError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
