"""ACK by SMS: with and without a reference, tolerant of how it is typed; wrong references; non-connectors."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from casework.cases.acknowledgement import acknowledge_case, handle_connector_message, parse_ack
from casework.cases.audit import trail
from casework.cases.lifecycle import close_case
from casework.cases.models import Alert, Case
from casework.cases.opening import Reason, open_case
from casework.cases.reading import case_detail
from casework.outbox.messages import OutboxMessage
from casework.residents.identity import phone_hash
from service.text import is_gsm
from tests.casework.conftest import HASH_KEY

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)
JO = "07700 900001"
SAM = "07700 900002"


@pytest.fixture
def team(add_connector):
    return {"jo": add_connector("Jo Connector", JO, patch="CH41"), "sam": add_connector("Sam Second", SAM, patch="CH41")}


def open_one(sessions, settings, sender="sms:r1", priority="urgent", area="CH41"):
    with sessions.begin() as session:
        return open_case(session, sender_id=sender, area=area, priority=priority, reasons=[Reason("danger", "danger:t")],
                         lawful_basis="vital_interests", settings=settings, now=NOW)


def text_from(sessions, settings, number, text):
    with sessions.begin() as session:
        return handle_connector_message(session, phone_hash=phone_hash(number, key=HASH_KEY), text=text, settings=settings)


@pytest.mark.parametrize("typed, reference", [
    ("ACK WC-48213", "WC-48213"), ("ack wc48213", "WC-48213"), ("Ack wc-48213.", "WC-48213"), (" ACK  WC 48213 ", "WC-48213"),
    ("ack 48213", "48213"), ("ACK", None), ("ack.", None), ("Acknowledged WC-48213", "WC-48213"),
])
def test_acks_are_read_however_they_are_typed(typed, reference):
    assert parse_ack(typed) == (True, reference)


@pytest.mark.parametrize("typed", ["hello", "acknowledge me later please", "back WC-48213", "ACK WC-48213 and WC-1", ""])
def test_other_texts_are_not_acks(typed):
    assert parse_ack(typed)[0] is False


def test_a_resident_is_not_a_connector(sessions, casework_settings, team):
    assert text_from(sessions, casework_settings, "07700 900999", "ACK") is None
    assert text_from(sessions, casework_settings, "07700 900999", "i want to end it all") is None


def test_ack_with_the_reference_acknowledges_the_case_and_closes_its_alerts(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    reply = text_from(sessions, casework_settings, JO, "ack " + opened.reference.lower().replace("-", "") + ".")
    assert reply.acknowledged and reply.reference == opened.reference and reply.connector_id == team["jo"]
    assert reply.text == f"Thanks Jo. {opened.reference} is acknowledged. Details are in the console."
    assert is_gsm(reply.text)
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.state == "acknowledged" and case.acknowledged_by_id == team["jo"] and case.owner_id == team["jo"]
        assert {a.state for a in session.scalars(select(Alert))} == {"acknowledged"}
        detail = case_detail(session, opened.reference)
    assert detail.acknowledged_by == "Jo Connector" and all(a.acknowledged_at for a in detail.alerts)
    events = [(e.actor, e.action, e.detail) for e in _trail(sessions, opened.reference)]
    assert (f"connector:{team['jo']}", "acknowledged", "via sms; 2 pending alerts closed") in events


def test_ack_alone_takes_the_most_urgent_case_waiting_then_the_oldest(sessions, casework_settings, team):
    first = open_one(sessions, casework_settings, sender="sms:r1", priority="routine")
    second = open_one(sessions, casework_settings, sender="sms:r2")
    third = open_one(sessions, casework_settings, sender="sms:r3")
    assert text_from(sessions, casework_settings, JO, "ACK").reference == second.reference, "urgent before routine"
    assert text_from(sessions, casework_settings, JO, "ACK").reference == third.reference
    assert text_from(sessions, casework_settings, JO, "Ack").reference == first.reference
    reply = text_from(sessions, casework_settings, JO, "ACK")
    assert not reply.acknowledged and "no alert waiting" in reply.text


def test_a_wrong_reference_says_so_and_changes_nothing(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    reply = text_from(sessions, casework_settings, JO, "ACK WC-1234")
    assert not reply.acknowledged and reply.text.startswith("No case WC-1234.") and opened.reference in reply.text
    with sessions() as session:
        assert session.scalars(select(Case.state)).one() == "new"


def test_digits_alone_find_the_one_case_they_name(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    reply = text_from(sessions, casework_settings, JO, "ack " + opened.reference.split("-")[1])
    assert reply.acknowledged and reply.reference == opened.reference


def test_a_second_ack_is_told_who_has_it(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    text_from(sessions, casework_settings, JO, f"ACK {opened.reference}")
    again = text_from(sessions, casework_settings, JO, f"ACK {opened.reference}")
    assert again.text == f"{opened.reference} was already acknowledged by you."
    other = text_from(sessions, casework_settings, SAM, f"ACK {opened.reference}")
    assert not other.acknowledged and other.text.startswith(f"{opened.reference} was already acknowledged by Jo Connector at ")


def test_a_closed_case_cannot_be_acknowledged(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    with sessions.begin() as session:
        close_case(session, reference=opened.reference, outcome="duplicate", by=team["sam"], settings=casework_settings)
    assert text_from(sessions, casework_settings, JO, f"ACK {opened.reference}").text == f"{opened.reference} is closed; nothing to acknowledge."


def test_anything_else_from_a_connector_gets_help_not_the_bot(sessions, casework_settings, team):
    idle = text_from(sessions, casework_settings, JO, "hello is this working")
    assert idle is not None and "ACK" in idle.text and not idle.acknowledged
    opened = open_one(sessions, casework_settings)
    busy = text_from(sessions, casework_settings, JO, "on my way")
    assert busy.reference == opened.reference and f"ACK {opened.reference}" in busy.text


def test_acknowledging_also_stops_alerts_still_waiting_in_the_outbox(sessions, casework_settings, team):
    saturday_night = datetime(2026, 11, 28, 22, 0, tzinfo=timezone.utc)
    with sessions.begin() as session:
        opened = open_case(session, sender_id="sms:r", area="CH41", priority="routine", reasons=[Reason("isolated", "t")],
                           lawful_basis="consent", settings=casework_settings, now=saturday_night)
    with sessions.begin() as session:
        acknowledge_case(session, reference=opened.reference, connector_id=team["sam"], via="console")
    with sessions() as session:
        assert {m.state for m in session.scalars(select(OutboxMessage))} == {"expired"}
        assert {a.state for a in session.scalars(select(Alert))} == {"superseded"}  # they were Jo's; Sam took it


def test_every_reply_is_gsm7_and_one_segment(sessions, casework_settings, team):
    opened = open_one(sessions, casework_settings)
    replies = [text_from(sessions, casework_settings, JO, t) for t in ("hi", "ACK WC-99999", f"ACK {opened.reference}")]
    replies += [text_from(sessions, casework_settings, JO, t) for t in (f"ACK {opened.reference}", "ACK", "hi")]
    replies.append(text_from(sessions, casework_settings, SAM, f"ACK {opened.reference}"))
    for reply in replies:
        assert is_gsm(reply.text) and len(reply.text) <= 160, reply.text


def _trail(sessions, reference):
    with sessions() as session:
        return trail(session, reference)


def test_a_connector_never_alerted_about_a_case_cannot_take_it_by_text_or_learn_it_exists(sessions, casework_settings,
                                                                                          add_connector):
    """Issue 16: a connector for another patch texted ACK <ref> for a case that had alerted someone else
    and became its owner. Now the reply is word for word the one for a reference that does not exist."""
    add_connector("Jo Connector", JO, patch="CH41")
    add_connector("Ola Other", "07700 900003", patch="CT1")
    opened = open_one(sessions, casework_settings)
    missing = text_from(sessions, casework_settings, "07700 900003", "ACK WC-00000")
    refused = text_from(sessions, casework_settings, "07700 900003", f"ACK {opened.reference}")
    assert not refused.acknowledged
    assert refused.text == missing.text.replace("WC-00000", opened.reference), "nothing says the case exists"
    digits = text_from(sessions, casework_settings, "07700 900003", "ack " + opened.reference.split("-")[1])
    assert not digits.acknowledged and "Jo" not in digits.text
    with sessions() as session:
        case = session.scalars(select(Case)).one()
        assert case.state == "new" and case.owner_id is None and case.acknowledged_by_id is None
        assert {a.state for a in session.scalars(select(Alert))} != {"superseded"}
    assert ("refused", "acknowledging by text: not theirs to see") in [(e.action, e.detail) for e in _trail(sessions, opened.reference)]
    assert text_from(sessions, casework_settings, JO, f"ACK {opened.reference}").acknowledged, "the connector alerted still can"
