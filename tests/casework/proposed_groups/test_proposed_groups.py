"""Groups people start themselves, through casework: a proposal kept sealed and shown nowhere, a connector's
approval putting it into the directory (found by the bot's search, in the Open Referral export with who
approved it and when), asking for changes through a private link, declining (found nowhere), and a
proposer's erasure and subject access. Real migrated SQLite database; the real postcode table."""
from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import sessionmaker

from casework.cases.connectors import add_connector
from casework.outbox.messages import OutboxMessage
from casework.privacy.subject_access import subject_access
from casework.proposed_groups.decisions import WrongProposalState, approve, ask_for_changes, decline
from casework.proposed_groups.models import ProposedGroup
from casework.proposed_groups.proposals import Proposer, change_proposal, proposal_for_change, propose_group
from casework.proposed_groups.reading import UnknownProposal, proposal_details, require_proposal, visible_proposals
from casework.residents.identity import sms_sender_id
from casework.residents.records import set_opted_out
from directory import find_activities
from directory.community_groups import FEED_SOURCE, GroupListing, published_service_id
from directory.export import export_page
from jobs.erasure import erase_senders
from service.settings import Settings

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)  # a Wednesday afternoon: texting hours
PROPOSER = "+447700900601"


def listing(**changes: object) -> GroupListing:
    values: dict[str, object] = dict(
        name="Seacombe Knit and Natter", description="We knit, chat and have a cuppa. Beginners welcome, needles to borrow.",
        venue="St Paul's Church Hall", address="Church Road", town="Wallasey", postcode="CH44 5TN", days=("Thursday",),
        frequency="weekly", week_of_month="", start_time="10:00", end_time="12:00", cost="Free", contact="0151 496 0777")
    values.update(changes)
    return GroupListing(**values)  # type: ignore[arg-type]


@pytest.fixture
def team(sessions: sessionmaker, casework_settings: Settings) -> dict[str, int]:
    with sessions.begin() as session:
        jo = add_connector(session, name="Jo Wallasey", phone="+447700900001", email="jo@council.example", patch="CH44",
                           settings=casework_settings).id
        cat = add_connector(session, name="Cat Prenton", phone="+447700900002", email="cat@council.example", patch="CH43",
                            settings=casework_settings).id
    return {"jo": jo, "cat": cat}


def proposed(sessions: sessionmaker, settings: Settings, *, contact: str = PROPOSER, form_id: str | None = None, **changes: object) -> str:
    with sessions.begin() as session:
        return propose_group(session, listing=listing(**changes), proposer=Proposer("Ann Hughes", "organiser", contact),
                             settings=settings, form_id=form_id, now=NOW).reference


def knitting_near_seacombe(sessions: sessionmaker) -> list[str]:
    with sessions() as session:
        return [m.name for m in find_activities(session, interest="knitting", near="CH44 5TN")]


def test_a_proposal_is_sealed_shown_nowhere_and_its_connector_told(sessions: sessionmaker, casework_settings: Settings,
                                                                   team: dict[str, int]) -> None:
    reference = proposed(sessions, casework_settings, form_id="a-form-id-of-some-length")
    assert reference.startswith("GP-")
    assert proposed(sessions, casework_settings, form_id="a-form-id-of-some-length") == reference  # sent twice: one proposal
    with sessions() as session:
        raw = session.execute(text("SELECT * FROM proposed_group")).mappings().one()
        told = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "group_proposed")).one()
    held = " ".join(str(v) for v in raw.values())
    for private in ("Ann Hughes", "Knit and Natter", "Church Road", "0151 496 0777", PROPOSER, "900601"):
        assert private not in held
    assert raw["area"] == "CH44" and raw["state"] == "proposed"
    assert raw["proposer_sender_id"] == sms_sender_id(PROPOSER, key=casework_settings.phone_hash_key)
    assert reference in told.body and "CH44" in told.body and "Ann" not in told.body and "Knit" not in told.body
    assert knitting_near_seacombe(sessions) == []
    with sessions() as session:
        assert export_page(session)["contents"] == []


def test_approval_puts_it_in_search_and_the_export_with_who_approved_it_and_when(sessions: sessionmaker, casework_settings: Settings,
                                                                                team: dict[str, int]) -> None:
    reference = proposed(sessions, casework_settings)
    with sessions.begin() as session:
        wanted = require_proposal(session, reference=reference, connector_id=team["jo"])
        service_id = approve(session, reference=wanted, actor=f"connector:{team['jo']}", settings=casework_settings, now=NOW)
    assert knitting_near_seacombe(sessions) == ["Seacombe Knit and Natter"]
    with sessions() as session:
        matches = find_activities(session, interest="knitting", near="CH44 5TN", day="thu")
        page = export_page(session)
        details = proposal_details(session, reference=reference, settings=casework_settings, actor="test")
    assert matches[0].when.startswith("Thursdays") and matches[0].cost == "Free" and "0151 496 0777" in matches[0].contact
    [service] = page["contents"]
    assert service["id"] == service_id and service["name"] == "Seacombe Knit and Natter"
    assert service["assured_date"] == "2026-11-25" and service["assurer_email"] == "jo@council.example"
    assert service["last_modified"] == "2026-11-25T14:00:00Z"
    assert service["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "CH44 5TN"
    assert details.state == "approved" and details.approved_by == f"connector:{team['jo']}" and details.service_id == service_id
    assert [e.action for e in details.history] == ["group_proposed", "group_approved", "group_viewed"]
    with sessions() as session:
        approved_text = session.scalars(select(OutboxMessage.body).where(OutboxMessage.purpose == "group_approved")).one()
        feed = session.execute(text("SELECT kind FROM directory_feed WHERE source = :s"), {"s": FEED_SOURCE}).scalar_one()
    assert reference in approved_text and feed == "proposed"
    with sessions.begin() as session, pytest.raises(WrongProposalState):
        decline(session, reference=reference, actor="connector:1", note="", settings=casework_settings)


def test_a_team_address_can_stand_for_the_connector(sessions: sessionmaker, casework_settings: Settings, team: dict[str, int]) -> None:
    settings = dataclasses.replace(casework_settings, extra={**casework_settings.extra, "GROUPS_ASSURER_EMAIL": "groups@council.example"})
    reference = proposed(sessions, settings)
    with sessions.begin() as session:
        approve(session, reference=reference, actor=f"connector:{team['jo']}", settings=settings, now=NOW)
    with sessions() as session:
        assert export_page(session)["contents"][0]["assurer_email"] == "groups@council.example"


def test_a_declined_group_is_found_nowhere(sessions: sessionmaker, casework_settings: Settings, team: dict[str, int]) -> None:
    reference = proposed(sessions, casework_settings)
    with sessions.begin() as session:
        decline(session, reference=reference, actor=f"connector:{team['jo']}", note="Not a real group", settings=casework_settings)
    assert knitting_near_seacombe(sessions) == []
    with sessions() as session:
        assert export_page(session)["contents"] == []
        assert published_service_id(session, reference) is None
        details = proposal_details(session, reference=reference, settings=casework_settings, actor="test")
    assert details.state == "declined" and details.change_note == "Not a real group"
    with sessions.begin() as session, pytest.raises(WrongProposalState):
        approve(session, reference=reference, actor="connector:1", settings=casework_settings)


def test_asking_for_changes_texts_a_private_link_whose_form_puts_it_back(sessions: sessionmaker, casework_settings: Settings,
                                                                         team: dict[str, int]) -> None:
    reference = proposed(sessions, casework_settings)
    with sessions.begin() as session:
        told = ask_for_changes(session, reference=reference, actor=f"connector:{team['jo']}", note="Please add the end time",
                               settings=casework_settings, now=NOW)
        sms = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "group_changes")).one()
    assert told.channel == "sms" and sms.recipient_sender_id == sms_sender_id(PROPOSER, key=casework_settings.phone_hash_key)
    link = sms.body.split()[-1]
    assert link.startswith("https://connect.example.org/groups/change/")
    token = link.rsplit("/", 1)[1]
    with sessions() as session:
        waiting = proposal_for_change(session, token=token, settings=casework_settings)
        assert proposal_for_change(session, token=token + "x", settings=casework_settings) is None
    assert waiting is not None and waiting.note == "Please add the end time" and waiting.listing.name == "Seacombe Knit and Natter"
    with sessions.begin() as session:
        assert change_proposal(session, token=token, listing=listing(end_time="12:30"), proposer=waiting.proposer,
                               settings=casework_settings) == reference
    with sessions.begin() as session:
        assert change_proposal(session, token=token, listing=listing(), proposer=waiting.proposer, settings=casework_settings) is None
        details = proposal_details(session, reference=reference, settings=casework_settings, actor="test")
    assert details.state == "proposed" and details.listing.end_time == "12:30" and details.change_note is None


def test_nothing_is_texted_to_a_proposer_who_texted_stop(sessions: sessionmaker, casework_settings: Settings, team: dict[str, int]) -> None:
    reference = proposed(sessions, casework_settings)
    with sessions.begin() as session:
        set_opted_out(session, sms_sender_id(PROPOSER, key=casework_settings.phone_hash_key), True)
    with sessions.begin() as session:
        told = ask_for_changes(session, reference=reference, actor="connector:1", note="Which hall?", settings=casework_settings, now=NOW)
        assert told.channel is None
        assert session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "group_changes")).all() == []


def test_an_email_proposer_is_emailed(sessions: sessionmaker, casework_settings: Settings, team: dict[str, int]) -> None:
    reference = proposed(sessions, casework_settings, contact="ann@example.com")
    with sessions.begin() as session:
        assert ask_for_changes(session, reference=reference, actor="connector:1", note="Which hall?", settings=casework_settings).channel == "email"


def test_a_connector_sees_their_patch_a_manager_every_one(sessions: sessionmaker, casework_settings: Settings,
                                                         team: dict[str, int]) -> None:
    reference = proposed(sessions, casework_settings)
    with sessions.begin() as session:
        assert [p.group_name for p in visible_proposals(session, connector_id=team["jo"], settings=casework_settings).proposals] == [
            "Seacombe Knit and Natter"]
        assert visible_proposals(session, connector_id=team["cat"], settings=casework_settings).proposals == []
        with pytest.raises(UnknownProposal):
            require_proposal(session, reference=reference, connector_id=team["cat"])


def test_erasure_by_number_takes_the_proposal_and_the_number_it_published(sessions: sessionmaker, casework_settings: Settings,
                                                                          team: dict[str, int]) -> None:
    with sessions.begin() as session:
        reference = propose_group(session, listing=listing(contact="07700 900601"), proposer=Proposer("Ann", "organiser", PROPOSER),
                                  settings=casework_settings, now=NOW).reference
        approve(session, reference=reference, actor=f"connector:{team['jo']}", settings=casework_settings, now=NOW)
    with sessions() as session:
        held = subject_access(session, [sms_sender_id(PROPOSER, key=casework_settings.phone_hash_key)], settings=casework_settings)
    [record] = held.groups_proposed
    assert record.reference == reference and record.name == "Ann" and record.group["name"] == "Seacombe Knit and Natter"
    assert record.state == "approved" and held.found
    report = erase_senders([sms_sender_id(PROPOSER, key=casework_settings.phone_hash_key)], casework_settings, requested_by="test",
                           reason="test", numbers={PROPOSER}, sessions=sessions, tracker_urls=[])
    assert report.rows["proposed_group"] == 1
    with sessions() as session:
        assert session.execute(text("SELECT count(*) FROM proposed_group")).scalar_one() == 0
        [service] = export_page(session)["contents"]
    assert service["name"] == "Seacombe Knit and Natter" and "phones" not in service  # the group stays, without their number
    assert knitting_near_seacombe(sessions) == ["Seacombe Knit and Natter"]


def test_the_migration_matches_the_model(sessions: sessionmaker) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from service.database import Base

    with sessions.kw["bind"].connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert [d for d in diff if "proposed_group" in repr(d) or "assurer_email" in repr(d)] == []
    assert json.dumps(ProposedGroup.__table__.c.listing_encrypted.info) == '{"sealed": "body"}'
