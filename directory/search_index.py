"""Keep the search index (`SearchEntry`, `SearchTerm`) in step with the directory.

The index holds one row per suggestible (service, place) with its coordinates, meeting days, cost
and access flags and the text a suggestion shows, plus its interest terms carrying the same
coordinates; a search is then one range scan on (term, latitude) and one primary-key read, and
never walks the ORUK tables. Only active, unretired services are indexed: an inactive service stays
in the directory (and in exports) but is never suggested.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from directory import interests, meaning, schedules
from directory.models import Location, SearchEntry, SearchTerm, Service
from directory.sample_build import SAMPLE_NOTE
from service.text import to_gsm_basic

WHEELCHAIR = re.compile(r"wheelchair|step[- ]free|level access|ramp|accessible toilet|lift to all", re.I)
HEARING_LOOP = re.compile(r"hearing loop|induction loop|loop system|t-?loop", re.I)
FREE = re.compile(r"\bfree\b|no charge|no cost|donations? welcome", re.I)
SCHEDULE_FIELDS = ("freq", "interval", "byday", "bymonthday", "dtstart", "valid_from", "valid_to", "opens_at",
                   "closes_at", "description")
SUMMARY_CHARS = 300


@dataclass
class Place:
    """One place a service happens, as the index needs it."""

    service_at_location_id: str | None
    latitude: float | None
    longitude: float | None
    schedules: list[dict[str, object]]
    where: str
    postcode: str
    accessibility: str = ""


@dataclass
class EntryFacts:
    """Everything the index needs about one service, as plain values (the benchmark builds these directly)."""

    service_id: str
    name: str
    description: str = ""
    organization: str = ""
    taxonomy: list[str] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    schedules: list[dict[str, object]] = field(default_factory=list)
    remote_where: str = ""
    cost: str = ""
    contact: str = ""
    is_free: bool = False
    is_drop_in: bool = False
    is_sample: bool = False


def terms_for(facts: EntryFacts) -> dict[str, float]:
    # Weights: a word in the name says most about what a group is; taxonomy terms were chosen by the
    # publisher; descriptions mention many things in passing ("tea and biscuits after the walk").
    return interests.index_terms(
        [(facts.name, 1.0), *((term, 0.9) for term in facts.taxonomy), (facts.description, 0.5),
         (facts.organization, 0.3)]
    )


def rows_for(facts: EntryFacts) -> list[tuple[dict[str, object], dict[str, float]]]:
    terms = terms_for(facts)
    places = facts.places or [Place(None, None, None, [], facts.remote_where, "")]
    rows = []
    for place in places:
        raw_schedules = place.schedules or facts.schedules
        parsed = [schedules.parse_schedule(s) for s in raw_schedules]
        entry: dict[str, object] = {
            "service_id": facts.service_id,
            "service_at_location_id": place.service_at_location_id,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "days": schedules.weekday_mask(parsed),
            "is_free": facts.is_free,
            "is_drop_in": facts.is_drop_in,
            "wheelchair": bool(WHEELCHAIR.search(place.accessibility)),
            "hearing_loop": bool(HEARING_LOOP.search(place.accessibility)),
            "name": to_gsm_basic(facts.name),
            "organization": to_gsm_basic(facts.organization),
            "summary": _clip(to_gsm_basic(facts.description), SUMMARY_CHARS),
            "when_text": to_gsm_basic(schedules.describe_all(parsed)),
            "where_text": to_gsm_basic(place.where),
            "cost_text": to_gsm_basic(facts.cost),
            "contact": to_gsm_basic(facts.contact),
            "postcode": place.postcode,
            "schedules_json": json.dumps([s.as_oruk() for s in parsed], separators=(",", ":")),
            "is_sample": facts.is_sample,
            # The vector is filled in afterwards, for many entries at once (fill_meanings).
            "meaning": None,
        }
        rows.append((entry, terms))
    return rows


def meaning_text(facts: EntryFacts) -> str:
    # The sample's "invented group" note says nothing about what a group does.
    description = facts.description.removeprefix(SAMPLE_NOTE) if facts.is_sample else facts.description
    return meaning.group_text(facts.name, facts.taxonomy, description)


# A batch of entries read by the encoder at once; the import's transaction holds them all.
MEANING_BATCH = 256


def fill_meanings(session: Session) -> int:
    """Give every search entry without a sentence vector its vector (one encoder pass per batch of
    services); returns how many entries got one. Nothing happens without the encoder."""
    if meaning.encoder() is None:
        return 0
    filled = 0
    while True:
        missing = session.execute(
            select(SearchEntry.service_id).where(SearchEntry.meaning.is_(None)).distinct().limit(MEANING_BATCH)
        ).scalars().all()
        if not missing:
            return filled
        services = session.execute(select(Service).where(Service.id.in_(missing))).scalars().all()
        texts = {service.id: meaning_text(facts_for(service)) for service in services}
        vectors = dict(zip(texts, meaning.group_vectors(list(texts.values())), strict=True))
        for service_id in missing:
            vector = vectors.get(service_id)
            if vector is None:  # the entry's service is gone, or the encoder failed: never loop on it
                return filled
            result = session.execute(
                update(SearchEntry).where(SearchEntry.service_id == service_id, SearchEntry.meaning.is_(None)).values(meaning=vector),
                execution_options={"synchronize_session": False},
            )
            filled += result.rowcount or 0


def schedule_fields(row: object) -> dict[str, object]:
    return {name: getattr(row, name) for name in SCHEDULE_FIELDS}


def cost_is_free(service: Service) -> bool:
    options = service.cost_options
    if options:
        return all(
            (o.amount is not None and o.amount == 0)
            or (o.amount is None and FREE.search(f"{o.option or ''} {o.amount_description or ''}"))
            for o in options
        )
    return bool(service.fees and FREE.search(service.fees))


def money(amount: float) -> str:
    return f"£{amount:.0f}" if amount == int(amount) else f"£{amount:.2f}"


def cost_text(service: Service) -> str:
    """"Free", "£2 per session", or the publisher's own words; "" when the feed does not say."""
    if cost_is_free(service):
        return "Free"
    priced = [o for o in service.cost_options if o.amount]
    if priced:
        option = min(priced, key=lambda o: o.amount)
        note = (option.amount_description or "").strip()
        text = money(option.amount)
        return f"{text} {note}" if note and len(note) <= 30 else text
    for option in service.cost_options:
        words = " ".join(filter(None, (option.option, option.amount_description)))
        if words:
            return _clip(words, 60)
    return _clip(service.fees or "", 60)


def contact_text(service: Service) -> str:
    """A phone number if there is one (most residents will ring), else an email, else a web address."""
    phones = list(service.phones) + [p for c in service.contacts for p in c.phones]
    if phones:
        return phones[0].number
    email = next((e for e in [service.email] + [c.email for c in service.contacts] if e), None)
    return email or service.url or ""


def _postcode(location: Location) -> str:
    return next((a.postal_code for a in location.addresses if a.postal_code), "")


def _where(location: Location, postcode: str) -> str:
    name = location.name or next((a.address_1 for a in location.addresses if a.address_1), "")
    return ", ".join(part for part in (name, postcode) if part)


REMOTE_WHERE = {"phone": "By phone", "online": "Online", "home visit": "At home"}


def facts_for(service: Service) -> EntryFacts:
    places = []
    for sal in service.service_at_locations:
        location = sal.location
        postcode = _postcode(location)
        places.append(Place(
            service_at_location_id=sal.id,
            latitude=location.latitude,
            longitude=location.longitude,
            schedules=[schedule_fields(s) for s in sal.schedules],
            where=_where(location, postcode),
            postcode=postcode,
            accessibility=" ".join(f"{a.description or ''} {a.details or ''}" for a in location.accessibility),
        ))
    return EntryFacts(
        service_id=service.id,
        name=service.name,
        description=service.description or "",
        organization=service.organization.name if service.organization else "",
        taxonomy=[a.taxonomy_term.name for a in service.attributes if a.taxonomy_term is not None],
        places=places,
        schedules=[schedule_fields(s) for s in service.schedules],
        remote_where=REMOTE_WHERE.get(service.attending_type or "", ""),
        cost=cost_text(service),
        contact=contact_text(service),
        is_free=cost_is_free(service),
        is_drop_in=service.attending_access == "drop-in",
        is_sample=bool(service.is_sample),
    )


def is_suggestible(service: Service) -> bool:
    return service.status == "active" and service.retired_at is None


def reindex_service(session: Session, service: Service) -> None:
    """Replace the service's index rows (none if it is not suggestible)."""
    unindex_service(session, service.id)
    if is_suggestible(service):
        write_rows(session, rows_for(facts_for(service)))


def unindex_service(session: Session, service_id: str) -> None:
    entry_ids = select(SearchEntry.id).where(SearchEntry.service_id == service_id).scalar_subquery()
    # Index rows are never loaded as objects, so there is nothing in the session to synchronise.
    session.execute(delete(SearchTerm).where(SearchTerm.entry_id.in_(entry_ids)),
                    execution_options={"synchronize_session": False})
    session.execute(delete(SearchEntry).where(SearchEntry.service_id == service_id),
                    execution_options={"synchronize_session": False})


def write_rows(session: Session, rows: list[tuple[dict[str, object], dict[str, float]]]) -> None:
    for entry, terms in rows:
        entry_id = session.execute(insert(SearchEntry).values(**entry)).inserted_primary_key[0]
        if terms:
            session.execute(
                insert(SearchTerm),
                [
                    {"term": term, "entry_id": entry_id, "weight": weight, "latitude": entry["latitude"],
                     "longitude": entry["longitude"], "band": latitude_band(entry["latitude"])}
                    for term, weight in terms.items()
                ],
            )


def latitude_band(latitude: object) -> int | None:
    """0.1-degree latitude strips: the coarse part of the search index's spatial key."""
    return None if latitude is None else math.floor(float(latitude) * 10)  # type: ignore[arg-type]


def _clip(text: str, size: int) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= size else text[: size - 3].rsplit(" ", 1)[0] + "..."
