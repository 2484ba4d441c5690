"""Erasure and subject access for people who gave only an email address (no number, no sender id to find
them by): a web-chat volunteer, a group's proposer on the web form (with the emails the service sent them and
the address published with their listed group), a neighbour who reported a worry; through the staff commands
`python -m jobs.erasure --email` and `python -m jobs.subject_access --email`. And a group being proposed by text:
its sealed answers are in the export and go with the resident. Real migrated SQLite; real postcode table."""
from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from casework.cases.connectors import add_connector
from casework.cases.models import AuditEvent, Report, Volunteer, VolunteerCheck
from casework.cases.reports import ReportDetails, open_report
from casework.conversation.inbound import record_inbound
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.states import note_details, record_checks
from casework.models import InboundMessage, Resident
from casework.outbox.messages import OutboxMessage
from casework.proposed_groups.by_text import answer_group_by_text, start_group_by_text
from casework.proposed_groups.decisions import approve
from casework.proposed_groups.models import GroupDraft, ProposedGroup
from casework.proposed_groups.proposals import Proposer, propose_group
from casework.residents.identity import PhoneVault, sms_sender_id
from casework.residents.records import touch_resident
from directory.community_groups import GroupListing, published_email
from jobs import erasure as erasure_module
from jobs import subject_access as sar
from jobs.erasure import erase_senders
from tests.casework.conftest import ENCRYPTION_KEY, HASH_KEY

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)  # a Wednesday afternoon
ANN, BEA, RAVI, NELL = "ann@example.org", "bea@example.org", "ravi@example.org", "nell@example.org"
TEXTER = "+447700900641"


def listing(name: str, contact: str) -> GroupListing:
    return GroupListing(name=name, description="Knitting, tea and a natter.", venue="St Paul's Church Hall", address="Church Road",
                        town="Wallasey", postcode="CH44 5TN", days=("Thursday",), frequency="weekly", week_of_month="", start_time="10:00",
                        end_time="12:00", cost="Free", contact=contact)


@pytest.fixture
def people(sessions, casework_settings) -> dict[str, str]:
    """Ann proposed a group on the form with her email, which it shows; it was approved and she was emailed. Bea
    proposed another (kept). Ravi volunteered in web chat leaving only his email. Nell reported a worry and left hers."""
    with sessions.begin() as session:
        jo = add_connector(session, name="Jo Wallasey", phone="+447700900001", email="jo@council.example", patch="CH44",
                           settings=casework_settings).id
        ann = propose_group(session, listing=listing("Seacombe Knit and Natter", ANN), proposer=Proposer("Ann Hughes", "organiser", ANN),
                            settings=casework_settings, now=NOW).reference
        approve(session, reference=ann, actor=f"connector:{jo}", settings=casework_settings, now=NOW)
        bea = propose_group(session, listing=listing("Liscard Lunch Club", BEA), proposer=Proposer("Bea Jones", "helper", BEA),
                            settings=casework_settings, now=NOW).reference
        touch_resident(session, sender_id="web:ravi-session", channel="webchat")
        record_inbound(session, channel="webchat", message_id="web-ravi-1", sender_id="web:ravi-session")
        ravi = sign_up_volunteer(session, offer=VolunteerOffer("Ravi Quillfeather", "Margate", "CT9", "saturday mornings", ("visits",),
                                                               "webchat", "web:ravi-session", contact=RAVI), settings=casework_settings,
                                 now=NOW).reference
        note_details(session, reference=ravi, actor="connector:1", settings=casework_settings, interests="marquetry", availability="saturday mornings", now=NOW)
        record_checks(session, reference=ravi, actor="connector:1", settings=casework_settings, seen={"references": date(2026, 11, 20)}, now=NOW)
        open_report(session, report=ReportDetails(relationship="neighbour", who="the man at number 12", worry="not seen him all week",
                                                  urgency="soon", postcode="CH44 5TN", reporter_contact=NELL, notify_on_close=True),
                    settings=casework_settings, now=NOW)
    return {"ann": ann, "bea": bea, "ravi": ravi}


@pytest.fixture
def staff_env(casework_settings, app_engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name, value in {"DATABASE_URL": str(app_engine.url), "VAR_DIR": str(tmp_path), "PHONE_HASH_KEY": HASH_KEY,
                        "PHONE_ENCRYPTION_KEY": ENCRYPTION_KEY, "OUTBOX_PATH": str(casework_settings.outbox_path),
                        "CRISIS_SPOOL_PATH": str(tmp_path / "crisis-spool.jsonl"), "ENVIRONMENT": "test"}.items():
        monkeypatch.setenv(name, value)
    for name in ("TRACKER_DATABASE_URL", "PHONE_HASH_KEY_PREVIOUS", "PHONE_ENCRYPTION_KEY_PREVIOUS"):
        monkeypatch.delenv(name, raising=False)
    yield


def test_subject_access_by_email_finds_the_proposal_the_emails_and_the_report(sessions, casework_settings, people, staff_env, tmp_path,
                                                                            capsys) -> None:
    assert sar.main(["--email", ANN, "--out", str(tmp_path / "ann"), "--by", "Sam Manager"]) == 0
    assert ANN not in capsys.readouterr().out
    held = json.loads(next((tmp_path / "ann").glob("*.json")).read_text())
    [group] = held["groups_proposed"]
    assert (group["reference"], group["name"], group["contact"], group["state"]) == (people["ann"], "Ann Hughes", ANN, "approved")
    assert [m["purpose"] for m in held["sent"]] == ["group_approved"], "the email telling her it is listed, not the connector's"
    assert held["volunteering"] == [] and held["reports_made"] == []

    found = sar.export(sessions, casework_settings, [], emails=[" Nell@Example.org"], tracker_urls=[])
    assert [(r.relationship, r.asked_to_be_told) for r in found.held.reports_made] == [("neighbour", True)]
    assert found.held.groups_proposed == [] and found.found


def test_subject_access_by_email_finds_a_web_chat_volunteer_and_their_conversation(sessions, casework_settings, people, staff_env,
                                                                                 tmp_path) -> None:
    assert sar.main(["--email", RAVI, "--out", str(tmp_path / "ravi")]) == 0
    held = json.loads(next((tmp_path / "ravi").glob("*.json")).read_text())
    [volunteer] = held["volunteering"]
    assert (volunteer["reference"], volunteer["name"], volunteer["contact"], volunteer["interests"]) == (
        people["ravi"], "Ravi Quillfeather", RAVI, "marquetry")
    assert [r["channel"] for r in held["residents"]] == ["webchat"] and len(held["messages"]) == 1, "the web chat they signed up in"
    assert held["groups_proposed"] == []


def test_erasure_by_email_takes_the_proposal_its_emails_and_the_published_address_and_nobody_elses(sessions, casework_settings, people,
                                                                                                 staff_env, capsys) -> None:
    assert erasure_module.main(["--email", "Ann@Example.org ", "--by", "Sam Manager", "--yes"]) == 0
    out = capsys.readouterr().out
    assert "proposed_group 1" in out and ANN not in out.lower()
    with sessions() as session:
        assert session.scalars(select(ProposedGroup.reference)).all() == [people["bea"]]
        purposes = session.scalars(select(OutboxMessage.purpose).where(OutboxMessage.channel == "email")).all()
        assert "group_approved" not in purposes and "group_proposed" in purposes, "the connectors' emails name no one and stay"
        assert published_email(session, people["ann"]) is None, "the listed group stays, without her address"
        assert session.scalars(select(Volunteer.reference)).all() == [people["ravi"]]
        assert session.scalars(select(Report.reporter_contact_encrypted)).one() is not None


def test_erasure_by_email_takes_a_web_chat_volunteer_with_their_checks_trail_and_conversation(sessions, casework_settings, people) -> None:
    report = erase_senders([], casework_settings, requested_by="cli:sam", reason="test", emails=[RAVI], sessions=sessions, tracker_urls=[],
                           now=NOW)
    assert report.residents == 1 and report.rows["volunteer"] == 1 and report.rows["volunteer_check"] == 1
    with sessions() as session:
        assert session.scalars(select(Volunteer)).all() == [] and session.scalars(select(VolunteerCheck)).all() == []
        assert session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.case_reference == people["ravi"])) == 0
        assert session.scalars(select(Resident.sender_id)).all() == [] and session.scalars(select(InboundMessage)).all() == []
        assert len(session.scalars(select(ProposedGroup)).all()) == 2


def test_erasure_by_email_detaches_the_reporter_and_keeps_the_report(sessions, casework_settings, people) -> None:
    report = erase_senders([], casework_settings, requested_by="cli:sam", reason="test", emails=[NELL], sessions=sessions, tracker_urls=[],
                           now=NOW)
    assert report.reports_detached == 1
    with sessions() as session:
        row = session.scalars(select(Report)).one()
        assert (row.reporter_contact_encrypted, row.notify_on_close) == (None, False)


def group_half_texted(sessions, casework_settings) -> str:
    sender = sms_sender_id(TEXTER, key=HASH_KEY)
    with sessions.begin() as session:
        session.add(Resident(sender_id=sender, channel="sms", phone_encrypted=PhoneVault(ENCRYPTION_KEY).seal(TEXTER), opted_out=False))
        session.flush()
        start_group_by_text(session, sender_id=sender, settings=casework_settings, now=NOW)
        for n, answer in enumerate(("Egremont Ukulele Band", "Strumming for fun, all ages"), start=1):
            record_inbound(session, channel="sms", message_id=f"SM-uke-{n}", sender_id=sender)
            assert answer_group_by_text(session, sender_id=sender, message_id=f"SM-uke-{n}", text=answer, settings=casework_settings, now=NOW)
    return sender


def test_a_group_being_proposed_by_text_is_in_the_export_and_goes_with_the_resident(sessions, casework_settings) -> None:
    sender = group_half_texted(sessions, casework_settings)
    found = sar.export(sessions, casework_settings, [sender], numbers=[TEXTER], tracker_urls=[])
    [draft] = found.held.groups_being_proposed
    assert draft.waiting_for == "where" and draft.answers == {"name": "Egremont Ukulele Band", "about": "Strumming for fun, all ages"}
    assert "Egremont Ukulele Band" in sar.render_html(found) and json.loads(sar.to_json(found))["groups_being_proposed"][0]["answers"]
    with sessions() as session:
        assert "Ukulele" not in session.scalars(select(GroupDraft.answers_encrypted)).one(), "sealed at rest"

    report = erase_senders([sender], casework_settings, requested_by="cli:sam", reason="test", numbers=[TEXTER], sessions=sessions,
                           tracker_urls=[], now=NOW)
    assert report.rows["proposed_group_draft"] == 1
    with sessions() as session:
        assert session.scalars(select(GroupDraft)).all() == []


def test_a_group_proposed_by_text_is_found_and_erased_by_the_number(sessions, casework_settings) -> None:
    sender = group_half_texted(sessions, casework_settings)
    answers = ("Egremont ferry terminal, CH44 6QY", "fridays 7 till 9 in the evening", "£2", "none", "Tom", "1")
    with sessions.begin() as session:
        for n, answer in enumerate(answers, start=3):
            record_inbound(session, channel="sms", message_id=f"SM-uke-{n}", sender_id=sender)
            reply = answer_group_by_text(session, sender_id=sender, message_id=f"SM-uke-{n}", text=answer, settings=casework_settings, now=NOW)
            assert reply is not None, answer
    assert reply.outcome == "sent"
    with sessions() as session:
        group = session.scalars(select(ProposedGroup)).one()
    assert group.area == "CH44" and group.proposer_sender_id == sender
    held = sar.export(sessions, casework_settings, [sender], numbers=[TEXTER], tracker_urls=[]).held
    [record] = held.groups_proposed
    assert (record.reference, record.name, record.contact, record.group["start_time"], record.group["postcode"]) == (
        reply.reference, "Tom", "07700 900641", "19:00", "CH44 6QY")
    report = erase_senders([sender], casework_settings, requested_by="cli:sam", reason="test", numbers=[TEXTER], sessions=sessions,
                           tracker_urls=[], now=NOW)
    assert report.rows["proposed_group"] == 1
