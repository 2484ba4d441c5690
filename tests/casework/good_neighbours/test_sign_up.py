"""Good-neighbour sign-ups (casework.good_neighbours.sign_up): recorded sealed and `applied`, the area's
connector told through the outbox in working hours, nobody promised a call when there is no connector,
and the details read back (audited)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from casework.cases.models import AuditEvent, Volunteer
from casework.cases.opening import CaseworkError
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.volunteers import list_volunteers, volunteer_details
from casework.outbox.messages import OutboxMessage
from casework.texts import all_texts
from service.database import make_sessionmaker
from service.text import is_gsm, segment_count
from tests.casework.conftest import ENCRYPTION_KEY, HASH_KEY


def trail(session):
    return session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()

# A Wednesday afternoon: inside the default working hours, so the texts may go at once.
NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)
# A Saturday evening: outside them.
SATURDAY_NIGHT = datetime(2026, 11, 28, 21, 0, tzinfo=timezone.utc)
MARGARET = VolunteerOffer(name="Margaret", area_label="Wallasey", area="CH44", availability="weekday mornings",
                          roles=("befriending_calls", "driving"), channel="sms", sender_id="sms:abc")


def sign_up(sessions, settings, offer=MARGARET, now=NOW):
    with sessions.begin() as session:
        return sign_up_volunteer(session, offer=offer, settings=settings, now=now)


def test_a_sign_up_is_kept_sealed_and_the_areas_connector_is_told(sessions, casework_settings, add_connector):
    add_connector("Mo Manager", "07700 900100", role="manager")
    local = add_connector("Jo Wallasey", "07700 900001", patch="CH44 CH45")
    add_connector("Bo Birkenhead", "07700 900002", patch="CH41")
    signed = sign_up(sessions, casework_settings)
    assert signed.connector_told and signed.reference.startswith("GN-")
    with sessions() as session:
        stored = session.scalars(select(Volunteer)).one()
        assert (stored.area, stored.area_label, stored.roles, stored.connector_id, stored.state) == (
            "CH44", "Wallasey", "befriending_calls,driving", local, "applied")
        assert "Margaret" not in stored.name_encrypted and "mornings" not in stored.availability_encrypted
        sent = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "volunteer")).all()
    assert sorted(m.channel for m in sent) == ["email", "sms"]
    assert {m.recipient_sender_id for m in sent} == {f"connector:{local}"}
    sms = next(m for m in sent if m.channel == "sms")
    assert signed.reference in sms.body and "CH44" in sms.body and "befriending calls, driving" in sms.body
    # Only what a connector needs to know there is someone: no name, nothing they typed.
    assert "Margaret" not in sms.body and "mornings" not in sms.body
    assert is_gsm(sms.body) and segment_count(sms.body) == 1
    with sessions() as session:
        assert any(e.action == "volunteer_signed_up" and signed.reference in e.detail for e in trail(session))


def test_outside_working_hours_the_connector_is_told_next_morning(sessions, casework_settings, add_connector):
    add_connector("Jo Wallasey", "07700 900001", patch="CH44")
    sign_up(sessions, casework_settings, now=SATURDAY_NIGHT)
    with sessions() as session:
        sms = session.scalars(select(OutboxMessage).where(OutboxMessage.channel == "sms")).one()
    not_before = sms.not_before if sms.not_before.tzinfo else sms.not_before.replace(tzinfo=timezone.utc)
    assert not_before > SATURDAY_NIGHT and not_before.weekday() == 0  # Monday


def test_with_no_connector_the_sign_up_is_kept_and_nobody_is_promised(sessions, casework_settings):
    signed = sign_up(sessions, casework_settings)
    assert not signed.connector_told
    with sessions() as session:
        assert session.scalars(select(Volunteer)).one().connector_id is None
        assert session.scalars(select(OutboxMessage)).all() == []
        assert any(e.action == "volunteer_signed_up" and "nobody to tell" in e.detail for e in trail(session))


def test_the_details_are_read_back_for_ringing_and_the_read_is_audited(sessions, casework_settings, add_resident):
    sender = add_resident("07700 900555")
    signed = sign_up(sessions, casework_settings, offer=VolunteerOffer(**{**MARGARET.__dict__, "sender_id": sender}))
    web = sign_up(sessions, casework_settings, offer=VolunteerOffer(
        name="Ravi", area_label="CT9", area="CT9", availability="saturdays", roles=("group_helper",), channel="webchat",
        sender_id="web:xyz", contact="ravi@example.org"))
    with sessions.begin() as session:
        margaret = volunteer_details(session, reference=signed.reference.lower(), settings=casework_settings, actor="cli:jo")
        ravi = volunteer_details(session, reference=web.reference, settings=casework_settings, actor="cli:jo")
        assert volunteer_details(session, reference="GN-1", settings=casework_settings, actor="cli:jo") is None
    assert margaret is not None and ravi is not None
    assert (margaret.name, margaret.availability, margaret.roles) == ("Margaret", "weekday mornings", ("befriending_calls", "driving"))
    assert margaret.contact == "+447700900555"  # their SMS number, to ring them
    assert ravi.contact == "ravi@example.org"
    with sessions() as session:
        assert sum(e.action == "volunteer_read" for e in trail(session)) == 2
        listed = list_volunteers(session)
    assert [v.reference for v in listed] == [web.reference, signed.reference]  # newest first
    assert all("Margaret" not in repr(v) and "Ravi" not in repr(v) for v in listed)


@pytest.mark.parametrize("change", [{"roles": ()}, {"roles": ("juggling",)}, {"name": " "}, {"availability": ""}])
def test_an_incomplete_sign_up_is_refused(sessions, casework_settings, change):
    with pytest.raises(CaseworkError):
        sign_up(sessions, casework_settings, offer=VolunteerOffer(**{**MARGARET.__dict__, **change}))


def test_the_connector_texts_are_gsm7_and_name_every_role():
    texts = all_texts()["texts"]
    for role in ("befriending_calls", "visits", "group_helper", "driving"):
        assert texts[f"volunteer_role_{role}"]
    body = texts["volunteer_sms"].format(reference="GN-123456", area="Royal Tunbridge Wells",
                                         roles="befriending calls, visits, helping at a group, driving")
    assert is_gsm(body) and segment_count(body) <= 2


def test_sign_up_on_postgresql(pg_engine, casework_settings, add_connector):
    import dataclasses

    from casework.cases.connectors import add_connector as register

    settings = dataclasses.replace(casework_settings, phone_hash_key=HASH_KEY, phone_encryption_key=ENCRYPTION_KEY)
    sessions = make_sessionmaker(pg_engine)
    with sessions.begin() as session:
        register(session, name="Jo Wallasey", phone="07700 900001", email="jo@council.example", patch="CH44",
                 role="connector", settings=settings)
    signed = sign_up(sessions, settings)
    assert signed.connector_told
    with sessions.begin() as session:
        found = volunteer_details(session, reference=signed.reference, settings=settings, actor="test")
    assert found is not None and found.name == "Margaret"
