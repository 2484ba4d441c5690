"""Groups people start themselves: a group a connector approved in the console, put into the directory.

The proposal itself (who proposed it, the approval) is casework's (casework.proposed_groups); this module
only writes the group the way every import does: the listing is turned into the CSV importer's ORUK 3.0
shape (`import_csv.row_to_service`, so day, frequency, times and cost mean what they mean in a CSV),
checked by `records.normalise_service`, stored by `store.Store` in a feed of its own and indexed for
search. So an approved group is found by the bot, exported and served by the Open Referral API like any
other, with its provenance: the feed `FEED_SOURCE`, the proposal's reference as its original id, and ORUK's
`assured_date` (the day it was approved), `assurer_email` (who approved it) and `last_modified`.
That feed is never retired as a whole: only approvals write into it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from directory import record_fields, records, search_index
from directory.import_csv import row_to_service
from directory.models import Feed, Service
from directory.store import ImportReport, Store, get_feed

__all__ = ["FEED_SOURCE", "FEED_KIND", "FREQUENCIES", "WEEKS", "GroupListing", "ListingRejected", "check_listing", "publish_group",
           "published_service_id", "published_phones", "published_email", "withdraw_contact", "read_time"]

FEED_SOURCE = "groups approved in the console"
FEED_KIND = "proposed"
FREQUENCIES = ("weekly", "fortnightly", "monthly")
WEEKS = ("1", "2", "3", "4", "last")  # for monthly: which week of the month
# "10am", "10.30 am", "10:30", "14:30", "2pm", "noon"
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$")


class ListingRejected(ValueError):
    """The directory would not keep this group as it stands; the message says why (import-report words)."""


@dataclass(frozen=True)
class GroupListing:
    """What the directory shows about a group (plain values, as the form read them)."""

    name: str
    description: str
    venue: str
    address: str
    town: str
    postcode: str  # a GB postcode the offline table locates
    days: tuple[str, ...]  # day names: ("Tuesday",)
    frequency: str  # FREQUENCIES
    week_of_month: str  # WEEKS, for monthly; "" otherwise
    start_time: str  # HH:MM
    end_time: str  # HH:MM or ""
    cost: str  # "Free", "2.50", "£3 with lunch"
    contact: str  # how people get in touch with the group: a phone number or an email address, or ""

    def row(self) -> dict[str, str]:
        """The listing as a CSV row (directory.import_csv's columns)."""
        contact = self.contact.strip()
        return {
            "name": self.name, "description": self.description, "venue": self.venue, "address": self.address,
            "town": self.town, "postcode": self.postcode, "day": ", ".join(self.days), "frequency": self.frequency,
            "week_of_month": self.week_of_month if self.frequency == "monthly" else "", "start_time": self.start_time,
            "end_time": self.end_time, "cost": self.cost, "access": "drop-in", "type": "venue",
            "phone": contact if contact and "@" not in contact else "", "email": contact if "@" in contact else "",
        }


def read_time(text: str) -> str | None:
    """"HH:MM" for a time as people write it ("10am", "2.30pm", "14:30", "noon"); None if it is not one."""
    text = text.strip().lower().replace(" ", "")
    if text in ("noon", "midday", "12noon"):
        return "12:00"
    match = _TIME.match(text)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), (match.group(3) or "").replace(".", "")
    if minute > 59 or hour > 23 or (half and not 1 <= hour <= 12):
        return None
    if not half and match.group(2) is None and not 7 <= hour <= 23:
        return None  # "3" alone: 3am or 3pm? ask again rather than send someone at the wrong time
    if half == "pm" and hour != 12:
        hour += 12
    elif half == "am" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _service(listing: GroupListing, *, reference: str) -> dict[str, Any]:
    service = row_to_service(listing.row(), 0)
    service["id"] = reference
    return service


def _normalised(raw: dict[str, Any]) -> dict[str, Any]:
    try:
        record = records.normalise_service(raw, record_fields.FeedContext(strict_ids=False))
    except record_fields.Rejected as rejected:
        raise ListingRejected(str(rejected)) from None
    located = [sal["location"] for sal in record["service_at_locations"] if sal["location"]["latitude"] is not None]
    if not located:
        raise ListingRejected("its postcode could not be located")
    return record


def check_listing(listing: GroupListing) -> None:
    """ListingRejected when the directory would refuse this group (a schedule that does not parse, a place
    it cannot locate): the form checks before anyone is asked to approve it."""
    _normalised(_service(listing, reference="check"))


def published_service_id(session: Session, reference: str) -> str | None:
    """The directory's id of the group published under this proposal's reference, if it was."""
    feed_id = select(Feed.id).where(Feed.source == FEED_SOURCE).scalar_subquery()
    return session.scalars(select(Service.id).where(Service.feed_id == feed_id, Service.original_id == reference)).first()


def publish_group(session: Session, listing: GroupListing, *, reference: str, approved_at: datetime, assurer_email: str | None) -> str:
    """Put the approved group into the directory (or update it, under the same reference); its service id.

    Runs in the caller's transaction, so the proposal is marked approved only with its group stored."""
    raw = _service(listing, reference=reference)
    stamp = approved_at.astimezone(timezone.utc)
    raw["assured_date"] = stamp.date().isoformat()
    raw["assurer_email"] = assurer_email
    raw["last_modified"] = stamp.isoformat().replace("+00:00", "Z")
    record = _normalised(raw)
    feed = get_feed(session, FEED_SOURCE, FEED_KIND)
    Store(session, feed, ImportReport(source=FEED_SOURCE)).save(record)
    search_index.fill_meanings(session)
    service_id = published_service_id(session, reference)
    assert service_id is not None  # just saved
    return service_id


def published_phones(session: Session, reference: str) -> list[str]:
    """The phone numbers shown with the group published under this reference (as typed)."""
    service_id = published_service_id(session, reference)
    if service_id is None:
        return []
    service = session.get(Service, service_id)
    return [phone.number for phone in service.phones] if service is not None else []


def published_email(session: Session, reference: str) -> str | None:
    """The email address shown with the group published under this reference, if any (as typed)."""
    service_id = published_service_id(session, reference)
    service = session.get(Service, service_id) if service_id is not None else None
    return service.email if service is not None else None


def withdraw_contact(session: Session, reference: str) -> bool:
    """Take the contact off a published group (its proposer was erased and it was their number or address); the group
    stays, found as a drop-in. Whether anything was taken off."""
    service_id = published_service_id(session, reference)
    service = session.get(Service, service_id) if service_id is not None else None
    if service is None or not (service.phones or service.email):
        return False
    service.phones.clear()
    service.email = None
    service.content_hash = None  # what it holds no longer matches what was approved
    session.flush()
    search_index.reindex_service(session, service)
    return True
