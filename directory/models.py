"""The activity directory's tables, shaped after Open Referral UK 3.0 (HSDS 3.0 with the UK profile).

Every top-level record (organization, service, location, taxonomy term) remembers the feed it came
from, its id in that feed and when it was last seen, so a re-import updates in place and a record
that disappears from its feed is retired (kept, never suggested), not deleted. Child rows (schedules,
contacts, phones, cost options, addresses...) belong to one parent and are rewritten with it.

`SearchEntry` and `SearchTerm` are a derived index for `find_activities`, rebuilt for a service
whenever that service changes; they are never exported.
"""
from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declared_attr, relationship

from service.database import Base

ID = 36  # a UUID in its text form


class Feed(Base):
    """Where records come from: a file, a folder, a URL, a CSV, or the shipped sample."""

    __tablename__ = "directory_feed"
    id = Column(Integer, primary_key=True)
    source = Column(String(1000), nullable=False, unique=True)
    kind = Column(String(16), nullable=False)  # oruk3 | oruk1 | csv | sample
    is_sample = Column(Boolean, nullable=False, default=False)
    first_imported_at = Column(DateTime(timezone=True), nullable=False)
    last_imported_at = Column(DateTime(timezone=True), nullable=False)


class _Provenance:
    @declared_attr
    def feed_id(cls):  # type: ignore[no-untyped-def]  # a mixin's foreign key must be built per table
        return Column(Integer, ForeignKey("directory_feed.id"), nullable=True, index=True)

    original_id = Column(String(200), nullable=True)
    content_hash = Column(String(64), nullable=True)
    last_seen_at = Column(DateTime(timezone=True), nullable=True)
    retired_at = Column(DateTime(timezone=True), nullable=True)


class Organization(_Provenance, Base):
    __tablename__ = "directory_organization"
    id = Column(String(ID), primary_key=True)
    name = Column(Text, nullable=False)
    description = Column(Text, nullable=False, default="")
    email = Column(String(320))
    website = Column(String(1000))
    uri = Column(String(1000))
    logo = Column(String(1000))
    __table_args__ = (UniqueConstraint("feed_id", "original_id", name="uq_directory_organization_feed_original"),)


class Service(_Provenance, Base):
    __tablename__ = "directory_service"
    id = Column(String(ID), primary_key=True)
    organization_id = Column(String(ID), ForeignKey("directory_organization.id"), nullable=True, index=True)
    name = Column(Text, nullable=False)
    description = Column(Text, nullable=False, default="")
    url = Column(String(1000))
    email = Column(String(320))
    status = Column(String(24), nullable=False)  # active | inactive | defunct | temporarily closed
    fees = Column(Text)
    eligibility_description = Column(Text)
    minimum_age = Column(Float)
    maximum_age = Column(Float)
    # How people come: drop-in | referral | appointment | membership (None: the feed did not say).
    attending_access = Column(String(16))
    # Where it happens: venue | phone | online | home visit (None: the feed did not say).
    attending_type = Column(String(16))
    assured_date = Column(String(10))
    # ORUK 3.0's "who last assured the service": for a group a connector approved in the console
    # (directory.community_groups), their address, or the team's (GROUPS_ASSURER_EMAIL).
    assurer_email = Column(String(320))
    alert = Column(Text)
    last_modified = Column(DateTime(timezone=True))
    is_sample = Column(Boolean, nullable=False, default=False)

    organization = relationship("Organization", lazy="joined")
    service_at_locations = relationship("ServiceAtLocation", cascade="all, delete-orphan", order_by="ServiceAtLocation.position")
    schedules = relationship(
        "Schedule", cascade="all, delete-orphan", order_by="Schedule.position",
        primaryjoin="and_(Schedule.service_id == Service.id, Schedule.service_at_location_id.is_(None))",
        overlaps="schedules",
    )
    contacts = relationship("Contact", cascade="all, delete-orphan", order_by="Contact.position")
    phones = relationship(
        "Phone", cascade="all, delete-orphan", order_by="Phone.position",
        primaryjoin="and_(Phone.service_id == Service.id, Phone.contact_id.is_(None))",
        overlaps="phones",
    )
    cost_options = relationship("CostOption", cascade="all, delete-orphan", order_by="CostOption.position")
    service_areas = relationship("ServiceArea", cascade="all, delete-orphan", order_by="ServiceArea.position")
    attributes = relationship("Attribute", cascade="all, delete-orphan", order_by="Attribute.position")
    __table_args__ = (UniqueConstraint("feed_id", "original_id", name="uq_directory_service_feed_original"),)


class Location(_Provenance, Base):
    __tablename__ = "directory_location"
    id = Column(String(ID), primary_key=True)
    location_type = Column(String(16), nullable=False, default="physical")
    name = Column(Text)
    description = Column(Text)
    latitude = Column(Float)
    longitude = Column(Float)
    # How the coordinates were found: feed | postcode (the feed's were missing or wrong) | None.
    geocoded_from = Column(String(16))
    external_identifier = Column(String(200))
    external_identifier_type = Column(String(50))

    addresses = relationship("Address", cascade="all, delete-orphan", order_by="Address.position")
    accessibility = relationship("Accessibility", cascade="all, delete-orphan", order_by="Accessibility.position")
    __table_args__ = (UniqueConstraint("feed_id", "original_id", name="uq_directory_location_feed_original"),)


class Address(Base):
    __tablename__ = "directory_address"
    id = Column(String(ID), primary_key=True)
    location_id = Column(String(ID), ForeignKey("directory_location.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    attention = Column(Text)
    address_1 = Column(Text, nullable=False, default="")
    city = Column(Text, nullable=False, default="")
    region = Column(Text)
    state_province = Column(Text, nullable=False, default="")
    postal_code = Column(String(10), nullable=False, default="", index=True)
    country = Column(String(2), nullable=False, default="GB")
    address_type = Column(String(16), nullable=False, default="physical")


class Accessibility(Base):
    __tablename__ = "directory_accessibility"
    id = Column(String(ID), primary_key=True)
    location_id = Column(String(ID), ForeignKey("directory_location.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    description = Column(Text)
    details = Column(Text)
    url = Column(String(1000))


class ServiceAtLocation(Base):
    __tablename__ = "directory_service_at_location"
    id = Column(String(ID), primary_key=True)
    service_id = Column(String(ID), ForeignKey("directory_service.id", ondelete="CASCADE"), nullable=False, index=True)
    location_id = Column(String(ID), ForeignKey("directory_location.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)

    location = relationship("Location", lazy="joined")
    schedules = relationship("Schedule", cascade="all, delete-orphan", order_by="Schedule.position", overlaps="schedules")


class Schedule(Base):
    """An RFC 5545 recurrence in ORUK's columns: WEEKLY/MONTHLY, interval, byday ("TU", "1SA"), times."""

    __tablename__ = "directory_schedule"
    id = Column(String(ID), primary_key=True)
    service_id = Column(String(ID), ForeignKey("directory_service.id", ondelete="CASCADE"), nullable=False, index=True)
    service_at_location_id = Column(
        String(ID),
        # Named by hand: the conventional name is longer than PostgreSQL's 63-character limit.
        ForeignKey("directory_service_at_location.id", ondelete="CASCADE", name="fk_directory_schedule_service_at_location"),
        nullable=True,
        index=True,
    )
    position = Column(Integer, nullable=False, default=0)
    freq = Column(String(8))
    interval = Column(Integer)
    byday = Column(String(100))
    bymonthday = Column(String(100))
    dtstart = Column(String(10))
    valid_from = Column(String(10))
    valid_to = Column(String(10))
    opens_at = Column(String(8))
    closes_at = Column(String(8))
    description = Column(Text)
    attending_type = Column(Text)
    notes = Column(Text)


class Contact(Base):
    __tablename__ = "directory_contact"
    id = Column(String(ID), primary_key=True)
    service_id = Column(String(ID), ForeignKey("directory_service.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    name = Column(Text)
    title = Column(Text)
    email = Column(String(320))

    phones = relationship("Phone", cascade="all, delete-orphan", order_by="Phone.position", overlaps="phones")


class Phone(Base):
    __tablename__ = "directory_phone"
    id = Column(String(ID), primary_key=True)
    service_id = Column(String(ID), ForeignKey("directory_service.id", ondelete="CASCADE"), nullable=False, index=True)
    contact_id = Column(String(ID), ForeignKey("directory_contact.id", ondelete="CASCADE"), nullable=True)
    position = Column(Integer, nullable=False, default=0)
    number = Column(String(50), nullable=False)
    description = Column(Text)


class CostOption(Base):
    __tablename__ = "directory_cost_option"
    id = Column(String(ID), primary_key=True)
    service_id = Column(String(ID), ForeignKey("directory_service.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    option = Column(Text)
    amount = Column(Float)
    amount_description = Column(Text)
    valid_from = Column(String(10))
    valid_to = Column(String(10))


class ServiceArea(Base):
    __tablename__ = "directory_service_area"
    id = Column(String(ID), primary_key=True)
    service_id = Column(String(ID), ForeignKey("directory_service.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    name = Column(Text)
    description = Column(Text)
    extent = Column(Text)
    extent_type = Column(String(20))
    uri = Column(String(1000))


class Taxonomy(Base):
    __tablename__ = "directory_taxonomy"
    id = Column(String(ID), primary_key=True)
    name = Column(Text, nullable=False)
    description = Column(Text, nullable=False, default="")
    uri = Column(String(1000))
    version = Column(String(50))


class TaxonomyTerm(_Provenance, Base):
    __tablename__ = "directory_taxonomy_term"
    id = Column(String(ID), primary_key=True)
    code = Column(String(200))
    name = Column(Text, nullable=False)
    description = Column(Text, nullable=False, default="")
    parent_id = Column(String(ID))
    taxonomy = Column(Text)  # the vocabulary's name, as ORUK's free-text `taxonomy` field
    taxonomy_id = Column(String(ID), ForeignKey("directory_taxonomy.id"), nullable=True, index=True)
    term_uri = Column(String(1000))


class Attribute(Base):
    """Links a service to a taxonomy term (what it is about: "Crafts", "Walking", "Befriending")."""

    __tablename__ = "directory_attribute"
    id = Column(String(ID), primary_key=True)
    service_id = Column(String(ID), ForeignKey("directory_service.id", ondelete="CASCADE"), nullable=False, index=True)
    taxonomy_term_id = Column(String(ID), ForeignKey("directory_taxonomy_term.id"), nullable=False, index=True)
    position = Column(Integer, nullable=False, default=0)
    value = Column(Text)
    label = Column(Text)

    taxonomy_term = relationship("TaxonomyTerm", lazy="joined")


class SearchEntry(Base):
    """One suggestible (service, place) pair with everything ranking needs, so a search reads one table.

    Rows exist only for active, unretired services. `days` is a bitmask of weekdays the service
    meets (bit 0 = Monday); 0 means no schedule is known (phone befriending, "ring to arrange").
    """

    __tablename__ = "directory_search_entry"
    id = Column(Integer, primary_key=True)
    service_id = Column(String(ID), ForeignKey("directory_service.id", ondelete="CASCADE"), nullable=False, index=True)
    service_at_location_id = Column(String(ID), nullable=True)
    latitude = Column(Float)
    longitude = Column(Float)
    days = Column(Integer, nullable=False, default=0)
    is_free = Column(Boolean, nullable=False, default=False)
    is_drop_in = Column(Boolean, nullable=False, default=False)
    wheelchair = Column(Boolean, nullable=False, default=False)
    hearing_loop = Column(Boolean, nullable=False, default=False)
    # What a suggestion shows, worked out once at import so a search never walks the ORUK tables.
    name = Column(Text, nullable=False, default="")
    organization = Column(Text, nullable=False, default="")
    summary = Column(Text, nullable=False, default="")
    when_text = Column(Text, nullable=False, default="")
    where_text = Column(Text, nullable=False, default="")
    cost_text = Column(Text, nullable=False, default="")
    contact = Column(Text, nullable=False, default="")
    postcode = Column(String(10), nullable=False, default="")
    schedules_json = Column(Text, nullable=False, default="[]")
    is_sample = Column(Boolean, nullable=False, default=False)
    # What the group is about as a sentence vector (float16, directory.meaning); NULL when the encoder
    # was missing at import: the entry is then matched by words alone.
    meaning = Column(LargeBinary, nullable=True)
    __table_args__ = (Index("ix_directory_search_entry_lat_lon", "latitude", "longitude"),)


class SearchTerm(Base):
    """Word stems and interest concepts of a search entry, with how strongly each describes it."""

    __tablename__ = "directory_search_term"
    term = Column(String(40), primary_key=True)
    entry_id = Column(Integer, ForeignKey("directory_search_entry.id", ondelete="CASCADE"), primary_key=True, index=True)
    weight = Column(Float, nullable=False)
    # Copied from the entry, with a 0.1-degree latitude band (about 7 miles), so "knit* within 10 miles"
    # is a few tight range scans of (term, band, longitude) in the index below, not a country-wide strip.
    latitude = Column(Float)
    longitude = Column(Float)
    band = Column(Integer)
    __table_args__ = (
        Index("ix_directory_search_term_term_band", "term", "band", "longitude", "latitude", "entry_id", "weight"),
    )
