"""What the "add a group you run" form sent, checked: the values to show again and, per field, what is wrong.

Pure functions (no request, no database), as web.report_form: every rule is tested without a server.
Errors are codes (`missing`, `postcode`...); the sentences are in web/templates/group_form.html. The
place must be a postcode the offline table locates (directory.geocoding), so the group is found by
distance; the day, frequency and times become a schedule the directory reads (directory.community_groups,
whose own check runs last, so nothing reaches a connector that the directory would then refuse).
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from casework.cases.opening import CaseworkError
from casework.cases.reports import check_reporter_contact
from casework.proposed_groups.models import PROPOSER_ROLES
from casework.proposed_groups.proposals import Proposer
from directory.community_groups import FREQUENCIES, WEEKS, GroupListing, ListingRejected, check_listing, read_time
from directory.geocoding import geocode_postcode, normalise_postcode

__all__ = ["FIELDS", "DAYS", "CHOICES", "LENGTHS", "GroupReading", "read_group_form", "values_of", "read_time"]

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FIELDS = ("name", "description", "venue", "address", "town", "postcode", "days", "frequency", "week_of_month", "start_time",
          "end_time", "cost", "contact", "publish", "proposer_name", "proposer_role", "proposer_contact")
CHOICES = {"frequency": FREQUENCIES, "week_of_month": WEEKS, "proposer_role": PROPOSER_ROLES}
LENGTHS = {"name": 120, "description": 1000, "venue": 120, "address": 200, "town": 80, "postcode": 12, "start_time": 12,
           "end_time": 12, "cost": 80, "contact": 254, "proposer_name": 120, "proposer_contact": 254}
REQUIRED = ("name", "description", "address", "postcode", "start_time", "cost", "proposer_name", "proposer_contact")


@dataclass(frozen=True)
class GroupReading:
    values: dict[str, object]  # what was typed, as typed (days: a list of day names); shown again on an error
    errors: dict[str, str] = field(default_factory=dict)  # field -> error code, in page order

    @property
    def ok(self) -> bool:
        return not self.errors

    def listing(self) -> GroupListing:
        """The group for the directory (only when `ok`)."""
        v = self.values
        return GroupListing(
            name=str(v["name"]), description=str(v["description"]), venue=str(v["venue"]), address=str(v["address"]),
            town=str(v["town"]), postcode=normalise_postcode(str(v["postcode"])) or "", days=tuple(v["days"]),  # type: ignore[arg-type]
            frequency=str(v["frequency"]), week_of_month=str(v["week_of_month"]) if v["frequency"] == "monthly" else "",
            start_time=read_time(str(v["start_time"])) or "", end_time=read_time(str(v["end_time"])) or "",
            cost=str(v["cost"]), contact=str(v["contact"]),
        )

    def proposer(self) -> Proposer:
        v = self.values
        return Proposer(str(v["proposer_name"]), str(v["proposer_role"]), str(v["proposer_contact"]))


def _text(fields: Mapping[str, object], name: str) -> str:
    raw = fields.get(name)
    if isinstance(raw, list):
        raw = raw[0] if raw else ""
    # NUL and other control characters never belong in a group's details (newlines do, in what happens).
    return "".join(ch for ch in str(raw or "") if ch in "\n\t" or ch.isprintable()).strip()


def values_of(listing: GroupListing, proposer: Proposer) -> dict[str, object]:
    """A proposal as the form shows it again (the proposer changing it after a connector asked)."""
    return {"name": listing.name, "description": listing.description, "venue": listing.venue, "address": listing.address,
            "town": listing.town, "postcode": listing.postcode, "days": list(listing.days), "frequency": listing.frequency,
            "week_of_month": listing.week_of_month, "start_time": listing.start_time, "end_time": listing.end_time,
            "cost": listing.cost, "contact": listing.contact, "publish": "yes", "proposer_name": proposer.name,
            "proposer_role": proposer.role, "proposer_contact": proposer.contact}


def read_group_form(fields: Mapping[str, object], days: list[str]) -> GroupReading:
    """`fields`: the form's single values; `days`: every day ticked (a form sends one value per box)."""
    values: dict[str, object] = {name: _text(fields, name) for name in FIELDS if name != "days"}
    values["days"] = [day for day in DAYS if day in days]
    errors: dict[str, str] = {}
    for name in LENGTHS:
        if len(str(values[name])) > LENGTHS[name]:
            errors[name] = "too_long"
        elif name in REQUIRED and not values[name]:
            errors[name] = "missing"
    if "postcode" not in errors:
        postcode = normalise_postcode(str(values["postcode"]))
        if postcode is None or " " not in postcode:
            errors["postcode"] = "postcode"
        elif geocode_postcode(postcode) is None:
            errors["postcode"] = "not_found"
    if not values["days"]:
        errors["days"] = "missing"
    for name, allowed in CHOICES.items():
        if values[name] not in allowed:
            if name == "week_of_month" and values["frequency"] != "monthly":
                values[name] = ""
                continue
            values[name] = ""
            errors[name] = "missing"
    for name in ("start_time", "end_time"):
        if values[name] and name not in errors and read_time(str(values[name])) is None:
            errors[name] = "time"
    start, end = read_time(str(values["start_time"])), read_time(str(values["end_time"]))
    if start and end and end <= start:
        errors["end_time"] = "before_start"
    for name in ("contact", "proposer_contact"):
        if values[name] and name not in errors:
            try:
                check_reporter_contact(str(values[name]))
            except CaseworkError:
                errors[name] = "contact"
    values["publish"] = "yes" if values["publish"] else ""
    if not values["publish"]:
        errors["publish"] = "missing"
    reading = GroupReading(values, errors)
    if not errors:
        try:
            check_listing(reading.listing())
        except ListingRejected:
            errors["days"] = "schedule"  # the only part the checks above cannot already vouch for
    order = {name: index for index, name in enumerate(FIELDS)}
    return GroupReading(values, dict(sorted(errors.items(), key=lambda item: order[item[0]])))
