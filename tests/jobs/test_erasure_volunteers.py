"""Erasure and subject access reach a volunteer's data (casework.good_neighbours): the sign-up, what a
connector noted, the checks seen, the training texted and answered, their history in the audit trail,
and the resident row that holds the number training is texted to. A volunteer who signed up in web chat
and left a number is one person with that number: asking by either reaches both."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select, update

from casework.cases.models import AuditEvent, Volunteer, VolunteerCheck, VolunteerTraining
from casework.conversation.inbound import BodyVault
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.states import note_details, record_checks, start_training
from casework.good_neighbours.training import answer_training
from casework.models import InboundMessage, Resident
from casework.residents.identity import sms_sender_id, sms_sender_ids
from jobs import subject_access as sar
from jobs.erasure import erase_resident, erase_senders
from tests.casework.conftest import HASH_KEY

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)
LEFT_IN_WEB_CHAT = "+447700900611"
OTHER_NUMBER = "+447700900612"


def web_volunteer(sessions, settings, *, web_id="web:ravi-session", contact=LEFT_IN_WEB_CHAT, roles=("visits",)) -> str:
    """Ravi signed up in web chat, left his number, was trained in part and had his references seen."""
    with sessions.begin() as session:
        reference = sign_up_volunteer(session, offer=VolunteerOffer("Ravi Quillfeather", "Margate", "CT9", "saturday mornings", roles,
                                                                    "webchat", web_id, contact=contact), settings=settings, now=NOW).reference
        session.execute(update(Resident).values(last_contact_at=NOW - timedelta(hours=1)))
        note_details(session, reference=reference, actor="connector:1", settings=settings, interests="marquetry and Wendlebury tea dances",
                     availability="saturday mornings", now=NOW)
        record_checks(session, reference=reference, actor="connector:1", settings=settings, seen={"references": date(2026, 11, 20)}, now=NOW)
        start_training(session, reference=reference, actor="connector:1", settings=settings, now=NOW)
    texted = sms_sender_id(contact, key=HASH_KEY)
    with sessions.begin() as session:
        session.add(InboundMessage(channel="sms", message_id="SM-ravi-1", sender_id=texted, received_at=NOW + timedelta(hours=1)))
        session.flush()
        assert answer_training(session, sender_id=texted, message_id="SM-ravi-1", text="2", settings=settings, now=NOW + timedelta(hours=1))
    return reference


def held(session, reference):
    volunteer = session.scalars(select(Volunteer).where(Volunteer.reference == reference)).first()
    return {
        "volunteer": volunteer is not None,
        "checks": session.scalar(select(func.count()).select_from(VolunteerCheck)),
        "training": session.scalar(select(func.count()).select_from(VolunteerTraining)),
        "trail": session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.case_reference == reference)),
        "number": session.scalars(select(Resident.id).where(Resident.sender_id == sms_sender_id(LEFT_IN_WEB_CHAT, key=HASH_KEY))).first() is not None,
    }


def test_erasing_the_number_erases_the_volunteer_and_their_web_chat(sessions, casework_settings, add_resident):
    reference = web_volunteer(sessions, casework_settings)
    other = add_resident(OTHER_NUMBER)
    with sessions.begin() as session:
        kept = sign_up_volunteer(session, offer=VolunteerOffer("Pat", "Wallasey", "CH44", "evenings", ("driving",), "sms", other),
                                 settings=casework_settings, now=NOW).reference
        assert held(session, reference) == {"volunteer": True, "checks": 1, "training": 2, "trail": 7, "number": True}

    report = erase_senders(list(sms_sender_ids(LEFT_IN_WEB_CHAT, casework_settings)), casework_settings, requested_by="cli:sam",
                           reason="console request", numbers=[LEFT_IN_WEB_CHAT], sessions=sessions, tracker_urls=[], now=NOW)
    assert report.residents == 2, "the number's pseudonym and the web chat they signed up in"
    assert report.rows["volunteer"] == 1 and report.rows["volunteer_check"] == 1 and report.rows["volunteer_training"] == 2
    with sessions() as session:
        assert held(session, reference) == {"volunteer": False, "checks": 0, "training": 0, "trail": 0, "number": False}
        assert session.scalars(select(Volunteer.reference)).all() == [kept]


def test_forget_me_in_web_chat_erases_the_number_they_left_too(sessions, casework_settings):
    reference = web_volunteer(sessions, casework_settings)
    erase_resident("web:ravi-session", casework_settings, requested_by="resident:webchat", reason="resident_request", sessions=sessions,
                   tracker_urls=[], now=NOW)
    with sessions() as session:
        assert held(session, reference)["volunteer"] is False
        assert held(session, reference)["number"] is False


def test_a_sign_up_from_before_the_number_was_linked_is_found_by_it(sessions, casework_settings):
    reference = web_volunteer(sessions, casework_settings)
    with sessions.begin() as session:  # as migration 0020 leaves a web-chat sign-up made before it
        session.execute(update(Volunteer).values(sms_sender_id=None))
        session.execute(update(VolunteerTraining).values(sender_id="sms:gone"))
    erase_senders(list(sms_sender_ids(LEFT_IN_WEB_CHAT, casework_settings)), casework_settings, requested_by="cli:sam", reason="test",
                  numbers=[LEFT_IN_WEB_CHAT], sessions=sessions, tracker_urls=[], now=NOW)
    with sessions() as session:
        assert held(session, reference)["volunteer"] is False


def test_subject_access_shows_their_volunteering_with_checks_as_dates_only(sessions, casework_settings):
    reference = web_volunteer(sessions, casework_settings)
    found = sar.export(sessions, casework_settings, list(sms_sender_ids(LEFT_IN_WEB_CHAT, casework_settings)), numbers=[LEFT_IN_WEB_CHAT],
                       tracker_urls=[], requested_by="cli:sam")
    [record] = found.held.volunteering
    assert (record.reference, record.name, record.area, record.offers, record.state) == (
        reference, "Ravi Quillfeather", "Margate", "visits", "in_training")
    assert (record.availability, record.interests, record.contact) == ("saturday mornings", "marquetry and Wendlebury tea dances", LEFT_IN_WEB_CHAT)
    assert [(c.check, c.seen_on) for c in record.checks] == [("references", date(2026, 11, 20))]
    assert [(t.module, t.state) for t in record.training] == [("loneliness", "done"), ("worried", "asked")]
    as_json = json.loads(sar.to_json(found))
    assert as_json["volunteering"][0]["reference"] == reference
    page = sar.render_html(found)
    assert "Volunteering with us" in page and "Ravi Quillfeather" in page and "seen on 20 November 2026" in page
    # Asked by the web chat they signed up in, the same record (and the texts sent to their number).
    by_web = sar.export(sessions, casework_settings, ["web:ravi-session"], tracker_urls=[])
    assert [v.reference for v in by_web.held.volunteering] == [reference]
    assert any(m.purpose == "training" for m in by_web.held.sent)


def test_the_words_they_gave_are_sealed_at_rest(sessions, casework_settings):
    reference = web_volunteer(sessions, casework_settings)
    with sessions() as session:
        row = session.scalars(select(Volunteer).where(Volunteer.reference == reference)).one()
        for sealed in (row.name_encrypted, row.availability_encrypted, row.interests_encrypted, row.contact_encrypted):
            assert "Ravi" not in sealed and "marquetry" not in sealed and "900611" not in sealed
        assert BodyVault.for_settings(casework_settings).open(row.interests_encrypted) == "marquetry and Wendlebury tea dances"
