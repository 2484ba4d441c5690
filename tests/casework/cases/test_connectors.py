"""Connectors, the rota, and who an alert goes to (patch, order of addition, managers last)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from casework.cases.connectors import (
    ConnectorError,
    add_connector,
    add_shift,
    alert_order,
    connector_for_phone_hash,
    on_duty,
    parse_patch,
    postcode_district,
    set_active,
)
from casework.cases.models import Connector
from casework.cases.opening import Reason, open_case
from casework.residents.identity import InvalidPhoneNumber, phone_hash
from tests.casework.conftest import HASH_KEY

NOW = datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)


def names(people):
    return [p.name for p in people]


@pytest.fixture
def team(add_connector):
    """Added in this order on purpose: routing follows the order of addition, managers after connectors."""
    return {
        "mo": add_connector("Mo Manager", "07700 900100", patch="CH41", role="manager"),
        "ann": add_connector("Ann North", "07700 900001", patch="CH44 CH45"),
        "bob": add_connector("Bob Birkenhead", "07700 900002", patch="CH41 CH42"),
        "cat": add_connector("Cat Birkenhead", "07700 900003", patch="ch41, CH43"),
        "meg": add_connector("Meg Manager", "07700 900101", role="manager"),
    }


def test_the_number_is_sealed_and_found_by_its_keyed_hash(sessions, casework_settings, team, vault):
    with sessions() as session:
        row = session.get(Connector, team["ann"])
        assert "900001" not in row.mobile_encrypted and vault.open(row.mobile_encrypted) == "+447700900001"
        assert row.phone_hash == phone_hash("+447700900001", key=HASH_KEY)
        found = connector_for_phone_hash(session, phone_hash("07700 900001", key=HASH_KEY))
        assert found is not None and found.name == "Ann North" and found.patch == ("CH44", "CH45")
        assert connector_for_phone_hash(session, phone_hash("07700 900999", key=HASH_KEY)) is None


def test_a_connector_is_checked_before_it_is_added(sessions, casework_settings, team):
    with sessions.begin() as session:
        for wrong in ({"phone": "07700 900001"}, {"role": "boss"}, {"email": "not-an-address"}, {"patch": "Wallasey"},
                      {"name": "  "}):
            arguments = {"name": "Dee", "phone": "07700 900009", "email": "dee@council.example", "patch": "CH41",
                         "role": "connector", **wrong}
            with pytest.raises(ConnectorError):
                add_connector(session, settings=casework_settings, **arguments)
        with pytest.raises(InvalidPhoneNumber):
            add_connector(session, name="Dee", phone="12", email="d@council.example", patch="", settings=casework_settings)


def test_postcodes_and_patches_are_read_leniently():
    assert postcode_district("ch41 5ab") == "CH41" and postcode_district("CH41") == "CH41"
    assert postcode_district("SW1A 1AA") == "SW1A" and postcode_district("Wallasey") is None
    assert postcode_district(None) is None
    assert parse_patch("CH41 ch42, CH41;CH") == ("CH41", "CH42", "CH")


def test_the_patch_connectors_come_first_in_order_of_addition_then_managers(sessions, team):
    with sessions() as session:
        assert names(alert_order(session, area="CH41", at=NOW)) == ["Bob Birkenhead", "Cat Birkenhead", "Mo Manager",
                                                                     "Meg Manager"]
        assert names(alert_order(session, area="CH45", at=NOW)) == ["Ann North", "Mo Manager", "Meg Manager"]


def test_no_area_or_an_area_nobody_covers_goes_to_everyone_on_duty_connectors_first(sessions, team):
    everyone = ["Ann North", "Bob Birkenhead", "Cat Birkenhead", "Mo Manager", "Meg Manager"]
    with sessions() as session:
        assert names(alert_order(session, area=None, at=NOW)) == everyone
        assert names(alert_order(session, area="L1", at=NOW)) == everyone


def test_a_postcode_area_in_a_patch_covers_its_districts(sessions, add_connector):
    add_connector("Wide", "07700 900005", patch="CH")
    add_connector("Narrow", "07700 900006", patch="L1")
    with sessions() as session:
        assert names(alert_order(session, area="CH49", at=NOW)) == ["Wide"]


def test_with_no_rota_everyone_is_on_duty_and_with_one_only_those_on_shift(sessions, team):
    with sessions() as session:
        assert len(on_duty(session, at=NOW)) == 5
    with sessions.begin() as session:
        add_shift(session, connector_id=team["cat"], starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=7))
        add_shift(session, connector_id=team["meg"], starts_at=NOW - timedelta(hours=1), ends_at=NOW + timedelta(hours=7))
        add_shift(session, connector_id=team["bob"], starts_at=NOW + timedelta(hours=8), ends_at=NOW + timedelta(hours=16))
    with sessions() as session:
        assert names(on_duty(session, at=NOW)) == ["Cat Birkenhead", "Meg Manager"]
        assert names(alert_order(session, area="CH41", at=NOW)) == ["Cat Birkenhead", "Meg Manager"]
        assert names(alert_order(session, area="CH41", at=NOW + timedelta(hours=9))) == ["Bob Birkenhead"]
        assert names(on_duty(session, at=NOW + timedelta(days=2))) == []


def test_an_inactive_connector_is_not_alerted(sessions, team):
    with sessions.begin() as session:
        set_active(session, team["bob"], False)
    with sessions() as session:
        assert names(alert_order(session, area="CH41", at=NOW))[0] == "Cat Birkenhead"
        assert connector_for_phone_hash(session, phone_hash("07700 900002", key=HASH_KEY)) is None


def test_a_shift_must_end_after_it_starts(sessions, team):
    with sessions.begin() as session, pytest.raises(ConnectorError):
        add_shift(session, connector_id=team["ann"], starts_at=NOW, ends_at=NOW)


def test_an_urgent_case_with_nobody_on_shift_goes_to_whoever_is_active(sessions, casework_settings, team):
    with sessions.begin() as session:
        add_shift(session, connector_id=team["ann"], starts_at=NOW + timedelta(days=1), ends_at=NOW + timedelta(days=1, hours=8))
    with sessions.begin() as session:
        urgent = open_case(session, sender_id="sms:u", area="CH41", priority="urgent", reasons=[Reason("danger", "t")],
                           lawful_basis="vital_interests", settings=casework_settings, now=NOW)
        routine = open_case(session, sender_id="sms:r", area="CH41", priority="routine", reasons=[Reason("isolated", "t")],
                            lawful_basis="consent", settings=casework_settings, now=NOW)
    assert [a.connector_name for a in urgent.alerts_queued] == ["Bob Birkenhead", "Bob Birkenhead"]
    assert routine.alerts_queued == []


def test_the_first_alert_goes_to_the_first_in_the_area(sessions, casework_settings, team):
    with sessions.begin() as session:
        opened = open_case(session, sender_id="sms:x", area="CH42 7QQ", priority="high", reasons=[Reason("scam", "t")],
                           lawful_basis="public_task", settings=casework_settings, now=NOW)
    assert {a.connector_name for a in opened.alerts_queued} == {"Bob Birkenhead"}
    with sessions() as session:
        assert session.scalars(select(Connector.name).where(Connector.id == team["bob"])).one() == "Bob Birkenhead"
