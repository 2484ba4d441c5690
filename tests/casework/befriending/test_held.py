"""Erasure, subject access and the retention purge reach befriending: requests, matches (either side),
their check-ins (the answers and the texts asking, to either side) and every relayed text, whose words are
sealed in the outbox and in the dry-run file only until sent (RETENTION_INBOUND_DAYS, as every message)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from casework.befriending.check_ins import answer_match_check_in
from casework.befriending.tables import BefriendingCheckIn, BefriendingMatch, BefriendingRequest, BefriendingText
from casework.cases.models import AuditEvent
from casework.models import InboundMessage, Resident, utcnow
from casework.outbox.messages import OutboxMessage
from casework.outbox.sender import build_sender
from casework.privacy.retention import purge_casework, retention_policy
from casework.privacy.subject_access import RELAYED_TO_THEM
from jobs import subject_access as sar
from jobs.erasure import erase_senders
from jobs.match_check_ins import send_due_match_check_ins
from tests.casework.befriending.conftest import BEFRIENDING, NOW, message_id, relay


def counts(sessions) -> dict[str, int]:
    with sessions() as session:
        return {table.__tablename__: session.scalar(select(func.count()).select_from(table))
                for table in (BefriendingRequest, BefriendingMatch, BefriendingText)} | {
            "relayed": session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.purpose == "relay"))}


def test_erasing_the_resident_takes_their_request_match_and_texts_both_ways(sessions, settings, live_match) -> None:
    match, resident, helper = live_match()
    relay(sessions, settings, BEFRIENDING[0], resident, "hello Margaret, from Wendlebury")
    relay(sessions, settings, BEFRIENDING[0], helper, "hello Doris")
    send(sessions, settings)
    assert "Wendlebury" in settings.outbox_path.read_text(), "the dry-run file is the stand-in phone"
    assert counts(sessions) == {"befriending_request": 1, "befriending_match": 1, "befriending_text": 2, "relayed": 2}

    report = erase_senders([resident], settings, requested_by="cli:sam", reason="test", sessions=sessions, tracker_urls=[], now=NOW)
    assert counts(sessions) == {"befriending_request": 0, "befriending_match": 0, "befriending_text": 0, "relayed": 0}
    assert "Wendlebury" not in settings.outbox_path.read_text() and "hello Doris" not in settings.outbox_path.read_text()
    assert report.rows["befriending_match"] == 1
    with sessions() as session:
        assert session.scalars(select(AuditEvent.id).where(AuditEvent.case_reference == match)).all() == []


def test_erasing_either_side_takes_the_texts_that_named_them_to_the_other(sessions, settings, live_match) -> None:
    """The question ("would you ring Doris now and then?") and the first text from the match's number name the
    other person: erasing one side takes both texts to the other side, from the outbox and the dry-run file."""
    for erased in ("resident", "volunteer"):
        _, resident, helper = live_match()
        other = helper if erased == "resident" else resident
        send(sessions, settings)
        with sessions() as session:
            to_other = session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient_sender_id == other,
                                                                        OutboxMessage.purpose == "befriending")).all()
        assert any("would you" in body.lower() for body in to_other) and any("This is your befriending number" in body for body in to_other)
        erase_senders([resident if erased == "resident" else helper], settings, requested_by="cli:sam", reason="test",
                      sessions=sessions, tracker_urls=[], now=NOW)
        with sessions() as session:
            left = session.scalars(select(OutboxMessage.body).where(OutboxMessage.recipient_sender_id == other,
                                                                    OutboxMessage.purpose == "befriending")).all()
        assert left == [], f"erasing the {erased} leaves no text to the other side that names them"
        assert "This is your befriending number" not in settings.outbox_path.read_text()


def test_erasing_the_volunteer_takes_the_match_and_its_texts(sessions, settings, live_match) -> None:
    _, resident, helper = live_match()
    relay(sessions, settings, BEFRIENDING[0], helper, "hello Doris")
    erase_senders([helper], settings, requested_by="cli:sam", reason="test", sessions=sessions, tracker_urls=[], now=NOW)
    assert counts(sessions) == {"befriending_request": 1, "befriending_match": 0, "befriending_text": 0, "relayed": 0}


def test_subject_access_shows_their_own_words_and_not_the_other_sides(sessions, settings, live_match) -> None:
    match, resident, helper = live_match()
    relay(sessions, settings, BEFRIENDING[0], resident, "hello Margaret, from Wendlebury")
    relay(sessions, settings, BEFRIENDING[0], helper, "hello Doris, greetings from Quillington")
    found = sar.export(sessions, settings, [resident], tracker_urls=[])
    [request] = found.held.befriending_requests
    [theirs] = found.held.befriending_matches
    assert (request.first_name, theirs.reference, theirs.role, theirs.their_answer) == ("Doris", match, "resident", "yes")
    assert [(t.way, t.words) for t in theirs.texts] == [("sent", "Doris: hello Margaret, from Wendlebury"), ("received", None)]
    html, text = sar.render_html(found), sar.to_json(found)
    assert "Wendlebury" in html and "Quillington" not in html and "Quillington" not in text
    assert RELAYED_TO_THEM in text and "Margaret Quillby" not in text, "the other side by role only"


def test_relayed_texts_go_after_the_messages_period(sessions, settings, live_match) -> None:
    _, resident, _ = live_match()
    relay(sessions, settings, BEFRIENDING[0], resident, "hello Margaret")
    send(sessions, settings)
    policy = retention_policy(settings)
    with sessions.begin() as session:
        assert not purge_casework(session, policy=policy, now=NOW + timedelta(days=1)).rows.get("befriending_text")
    with sessions.begin() as session:
        purged = purge_casework(session, policy=policy, now=utc_later(policy.inbound))
    assert purged.rows["befriending_text"] == 1 and counts(sessions)["relayed"] == 0
    assert counts(sessions)["befriending_match"] == 1, "the match itself goes with the people in it"


def utc_later(period: timedelta):
    """Past the period for what happened at the test's clock and for the outbox rows, which carry the machine's own time."""
    return max(NOW, utcnow()) + period + timedelta(days=1)


def send(sessions, settings) -> None:
    """The worker's sender at the test's clock (the texts were queued for its texting hours)."""
    assert build_sender(settings, sessions, clock=lambda: NOW + timedelta(minutes=11)).send_due().sent


def checked_in(sessions, settings, live_match):
    """A live match two weeks on: both asked how it is going (the texts sent), the resident answered 3, the volunteer 1."""
    match, resident, helper = live_match()
    due = NOW + timedelta(days=14, minutes=5)
    with sessions.begin() as session:
        for row in session.scalars(select(Resident).where(Resident.sender_id.in_([resident, helper]))):
            row.last_contact_at = NOW
    assert send_due_match_check_ins(sessions, settings, now=due).handled == 2
    build_sender(settings, sessions, clock=lambda: due + timedelta(seconds=1)).send_due()
    for sender, answer in ((resident, "3"), (helper, "1")):
        with sessions.begin() as session:
            mid = message_id()
            session.add(InboundMessage(channel="sms", message_id=mid, sender_id=sender, received_at=due + timedelta(hours=1)))
            session.flush()
            assert answer_match_check_in(session, sender_id=sender, message_id=mid, text=answer, settings=settings,
                                         now=due + timedelta(hours=1)) is not None
    return match, resident, helper


def check_in_counts(sessions) -> tuple[int, int]:
    with sessions() as session:
        return (session.scalar(select(func.count()).select_from(BefriendingCheckIn)),
                session.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.purpose == "befriending_check_in")))


def test_erasing_either_side_takes_the_matchs_check_ins_and_their_texts_to_both(sessions, settings, live_match) -> None:
    match, resident, helper = checked_in(sessions, settings, live_match)
    assert check_in_counts(sessions) == (4, 2), "two answered, the next month's two due; a text to each"
    assert "How is it going with Doris" in settings.outbox_path.read_text(), "the volunteer's text names her"
    report = erase_senders([resident], settings, requested_by="cli:sam", reason="test", sessions=sessions, tracker_urls=[], now=NOW)
    assert check_in_counts(sessions) == (0, 0)
    assert report.rows["befriending_check_in"] == 4
    assert "How is it going with" not in settings.outbox_path.read_text(), "neither check-in text is left in the dry-run file"


def test_subject_access_shows_their_own_check_in_answers_and_not_the_other_sides(sessions, settings, live_match) -> None:
    match, resident, helper = checked_in(sessions, settings, live_match)
    [theirs] = sar.export(sessions, settings, [resident], tracker_urls=[]).held.befriending_matches
    assert [(c.round, c.answer) for c in theirs.check_ins] == [(1, "problem")]
    found = sar.export(sessions, settings, [helper], tracker_urls=[])
    [helpers] = found.held.befriending_matches
    assert [(c.round, c.answer) for c in helpers.check_ins] == [(1, "well")]
    html = sar.render_html(found)
    assert "1, going well" in html and "3, a problem" not in html
