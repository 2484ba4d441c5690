"""Console passwords, sign-in with lock-out, sessions and what a connector may see, on SQLite and PostgreSQL."""
from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.cases.caseload import NotAllowed, access, all_cases, my_queue, open_case_file, overdue_alerts, require
from casework.cases.connectors import ConnectorError, add_connector
from casework.cases.lifecycle import assign_case
from casework.cases.models import AuditEvent, Connector
from casework.cases.opening import Reason, open_case
from casework.console.access import current_user, set_password, sign_in, sign_out
from casework.console.models import ConsoleSession, LoginFailure
from casework.console.passwords import WeakPassword, hash_password, needs_rehash, verify_password
from casework.console.team import add_member, add_rota_shift, remove_rota_shift, set_member_active
from service.database import make_sessionmaker
from service.settings import Settings

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timezone.utc)
JO, CAT, MO = "07700 900001", "07700 900002", "07700 900100"
JO_PASSWORD = "jo's long door-knocking password"  # noqa: S105
CHEAP = 14  # log2 n for hashes made only to exercise the lock-out: a quarter of the time per check


@pytest.fixture(params=["sqlite", "postgresql"])
def sessions(request: pytest.FixtureRequest) -> sessionmaker:
    if request.param == "sqlite":
        return request.getfixturevalue("app_sessions")
    return make_sessionmaker(request.getfixturevalue("pg_engine"))


@pytest.fixture
def team(sessions: sessionmaker, casework_settings: Settings) -> dict[str, int]:
    ids = {}
    with sessions.begin() as session:
        for key, name, number, patch, role in (("jo", "Jo Bloggs", JO, "CH41", "connector"),
                                               ("cat", "Cat Second", CAT, "CH42", "connector"),
                                               ("mo", "Mo Manager", MO, "", "manager")):
            ids[key] = add_connector(session, name=name, phone=number, email=f"{key}@council.example", patch=patch, role=role,
                                     settings=casework_settings).id
    return ids


def cheap_password(sessions: sessionmaker, connector_id: int, password: str) -> None:
    with sessions.begin() as session:
        session.get(Connector, connector_id).password_hash = hash_password(password, log2_n=CHEAP)


def attempt(sessions, settings, *, phone=JO, password="wrong password entirely", address="203.0.113.7", now=NOW):
    return sign_in(sessions, phone=phone, password=password, address=address, settings=settings, now=now)


def audit_actions(sessions) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


# --- passwords ---------------------------------------------------------------------------------
def test_a_password_is_stored_as_salted_scrypt_with_its_cost():
    first, second = hash_password(JO_PASSWORD), hash_password(JO_PASSWORD)
    assert first.startswith("scrypt$17$8$1$") and first != second, "a fresh salt every time"
    assert JO_PASSWORD not in first
    assert verify_password(JO_PASSWORD, first) and not verify_password(JO_PASSWORD + " ", first)
    assert not verify_password("", first)


def test_short_long_and_missing_passwords():
    with pytest.raises(WeakPassword, match="at least 12"):
        hash_password("short")
    with pytest.raises(WeakPassword, match="at most"):
        hash_password("x" * 257)
    stored = hash_password("y" * 256, log2_n=CHEAP)
    assert verify_password("y" * 256, stored) and not verify_password("y" * 257, stored), "no truncation to a match"
    assert not verify_password(JO_PASSWORD, None) and not verify_password(JO_PASSWORD, "plain text")


def test_checking_against_nothing_costs_as_much_as_a_real_check():
    stored = hash_password(JO_PASSWORD)
    started = time.perf_counter()
    verify_password("a guess at the password", stored)
    real = time.perf_counter() - started
    started = time.perf_counter()
    verify_password("a guess at the password", None)
    decoy = time.perf_counter() - started
    assert decoy > real / 3, (real, decoy)


def test_a_cheaper_old_hash_is_upgraded_at_the_next_sign_in(sessions, casework_settings, team):
    cheap_password(sessions, team["jo"], JO_PASSWORD)
    with sessions() as session:
        assert needs_rehash(session.get(Connector, team["jo"]).password_hash)
    assert attempt(sessions, casework_settings, password=JO_PASSWORD).outcome == "signed_in"
    with sessions() as session:
        assert session.get(Connector, team["jo"]).password_hash.startswith("scrypt$17$")


# --- signing in --------------------------------------------------------------------------------
def test_signing_in_keeps_only_a_digest_of_the_session_id(sessions, casework_settings, team):
    with sessions.begin() as session:
        set_password(session, phone="+447700900001", password=JO_PASSWORD, settings=casework_settings)
    result = attempt(sessions, casework_settings, phone="07700 900 001", password=JO_PASSWORD)
    assert result.outcome == "signed_in" and result.user.name == "Jo Bloggs" and len(result.token) >= 40
    with sessions() as session:
        row = session.scalars(select(ConsoleSession)).one()
        assert result.token not in (row.token_sha256, row.csrf_token)
        user = current_user(session, token=result.token, settings=casework_settings, now=NOW + timedelta(minutes=5))
    assert user is not None and user.connector_id == team["jo"] and user.csrf_token == result.user.csrf_token
    assert audit_actions(sessions)[-2:] == ["password_set", "signed_in"]


def test_no_password_set_or_a_deactivated_connector_cannot_sign_in(sessions, casework_settings, team):
    assert attempt(sessions, casework_settings, phone=CAT, password="anything at all really").outcome == "refused"
    cheap_password(sessions, team["jo"], JO_PASSWORD)
    with sessions.begin() as session:
        set_member_active(session, by=team["mo"], connector_id=team["jo"], active=False)
    assert attempt(sessions, casework_settings, password=JO_PASSWORD).outcome == "refused"


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(sessions, casework_settings, team):
    cheap_password(sessions, team["jo"], JO_PASSWORD)
    outcomes = [attempt(sessions, casework_settings, now=NOW + timedelta(seconds=i)) for i in range(5)]
    assert [o.outcome for o in outcomes] == ["refused"] * 5
    assert [o.locked_until is not None for o in outcomes] == [False] * 4 + [True], "the fifth says it is now locked"
    locked = attempt(sessions, casework_settings, password=JO_PASSWORD, now=NOW + timedelta(minutes=1))
    assert locked.outcome == "locked" and locked.locked_until == NOW + timedelta(minutes=15)
    assert attempt(sessions, casework_settings, password=JO_PASSWORD, now=NOW + timedelta(minutes=14)).outcome == "locked"
    assert attempt(sessions, casework_settings, password=JO_PASSWORD,
                   now=NOW + timedelta(minutes=15, seconds=1)).outcome == "signed_in"
    actions = audit_actions(sessions)
    assert actions.count("sign_in_failed") == 5 and "locked_out" in actions and actions.count("sign_in_locked") == 2
    with sessions() as session:
        assert session.scalars(select(LoginFailure).where(LoginFailure.kind == "account")).all() == [], "cleared on success"


def test_a_right_password_resets_the_count(sessions, casework_settings, team):
    cheap_password(sessions, team["jo"], JO_PASSWORD)
    for i in range(4):
        attempt(sessions, casework_settings, now=NOW + timedelta(seconds=i))
    assert attempt(sessions, casework_settings, password=JO_PASSWORD, now=NOW + timedelta(seconds=5)).outcome == "signed_in"
    for i in range(4):
        assert attempt(sessions, casework_settings, now=NOW + timedelta(seconds=10 + i)).outcome == "refused"
    assert attempt(sessions, casework_settings, password=JO_PASSWORD, now=NOW + timedelta(seconds=20)).outcome == "signed_in"


def test_an_unknown_number_locks_the_same_way(sessions, casework_settings, team):
    unknown = "07700 900999"
    answers = [attempt(sessions, casework_settings, phone=unknown, now=NOW + timedelta(seconds=i)) for i in range(6)]
    assert [a.outcome for a in answers] == ["refused"] * 5 + ["locked"], "nothing tells a real account from a made-up one"
    with sessions() as session:
        assert "0999" not in " ".join(session.scalars(select(AuditEvent.detail)))


def test_one_address_trying_many_numbers_is_locked_out_but_others_are_not(sessions, casework_settings, team):
    settings = dataclasses.replace(casework_settings, extra={**casework_settings.extra, "CONSOLE_ADDRESS_LOCKOUT_FAILURES": "6"})
    cheap_password(sessions, team["jo"], JO_PASSWORD)
    for i in range(6):
        attempt(sessions, settings, phone=f"07700 90{i:04d}", address="198.51.100.9", now=NOW + timedelta(seconds=i))
    assert attempt(sessions, settings, password=JO_PASSWORD, address="198.51.100.9", now=NOW + timedelta(minutes=1)).outcome == "locked"
    assert attempt(sessions, settings, password=JO_PASSWORD, address="192.0.2.44", now=NOW + timedelta(minutes=1)).outcome == "signed_in"
    with sessions() as session:
        assert all("198.51" not in digest for digest in session.scalars(select(LoginFailure.key_digest)))


def test_setting_the_password_again_lifts_a_lock_and_signs_out_everywhere(sessions, casework_settings, team):
    cheap_password(sessions, team["jo"], JO_PASSWORD)
    signed = attempt(sessions, casework_settings, password=JO_PASSWORD, now=NOW)
    for i in range(5):
        attempt(sessions, casework_settings, now=NOW + timedelta(seconds=1 + i))
    new_password = "a brand new password for jo"  # noqa: S105
    with sessions.begin() as session:
        set_password(session, phone=JO, password=new_password, settings=casework_settings)
    with sessions() as session:
        assert current_user(session, token=signed.token, settings=casework_settings, now=NOW + timedelta(minutes=1)) is None
    assert attempt(sessions, casework_settings, password=JO_PASSWORD, now=NOW + timedelta(minutes=1)).outcome == "refused"
    assert attempt(sessions, casework_settings, password=new_password, now=NOW + timedelta(minutes=1)).outcome == "signed_in"


def test_set_password_refuses_unknown_numbers_and_weak_passwords(sessions, casework_settings, team):
    with sessions.begin() as session, pytest.raises(ConnectorError, match="no connector"):
        set_password(session, phone="07700 900555", password=JO_PASSWORD, settings=casework_settings)
    with sessions.begin() as session, pytest.raises(WeakPassword):
        set_password(session, phone=JO, password="password", settings=casework_settings)


# --- sessions ----------------------------------------------------------------------------------
def signed_in(sessions, settings, team, *, now=NOW):
    cheap_password(sessions, team["jo"], JO_PASSWORD)
    result = attempt(sessions, settings, password=JO_PASSWORD, now=now)
    assert result.outcome == "signed_in"
    return result.token


def user_at(sessions, settings, token, when):
    with sessions.begin() as session:
        return current_user(session, token=token, settings=settings, now=when)


def test_a_session_ends_after_an_hour_without_use(sessions, casework_settings, team):
    token = signed_in(sessions, casework_settings, team)
    assert user_at(sessions, casework_settings, token, NOW + timedelta(minutes=50)) is not None
    assert user_at(sessions, casework_settings, token, NOW + timedelta(minutes=105)) is not None, "use keeps it open"
    assert user_at(sessions, casework_settings, token, NOW + timedelta(minutes=166)) is None
    with sessions() as session:
        assert session.scalars(select(ConsoleSession)).all() == [], "an expired session is deleted"


def test_a_session_ends_after_its_lifetime_however_busy(sessions, casework_settings, team):
    token = signed_in(sessions, casework_settings, team)
    for minutes in range(0, 12 * 60, 45):
        assert user_at(sessions, casework_settings, token, NOW + timedelta(minutes=minutes)) is not None
    assert user_at(sessions, casework_settings, token, NOW + timedelta(hours=12)) is None


def test_sign_out_and_deactivation_end_sessions(sessions, casework_settings, team):
    token = signed_in(sessions, casework_settings, team)
    with sessions.begin() as session:
        assert sign_out(session, token=token) is True
    assert user_at(sessions, casework_settings, token, NOW) is None
    token = signed_in(sessions, casework_settings, team)
    with sessions.begin() as session:
        set_member_active(session, by=team["mo"], connector_id=team["jo"], active=False)
    assert user_at(sessions, casework_settings, token, NOW) is None
    assert user_at(sessions, casework_settings, "made-up-token", NOW) is None


# --- what a connector may see and do ----------------------------------------------------------
def crisis(sessions, settings, *, area="CH41", sender="sms:resident1", priority="urgent"):
    with sessions.begin() as session:
        return open_case(session, sender_id=sender, area=area, priority=priority,
                         reasons=[Reason("suicidal", "suicidal:end_it", f"SM-{sender}", "i want to end it all")],
                         lawful_basis="vital_interests", settings=settings, now=NOW).reference


def test_the_queue_holds_what_i_was_alerted_about_and_what_i_own(sessions, casework_settings, team):
    mine = crisis(sessions, casework_settings, area="CH41", sender="sms:a")
    cats = crisis(sessions, casework_settings, area="CH42", sender="sms:b", priority="routine")
    with sessions.begin() as session:
        assert [c.reference for c in my_queue(session, connector_id=team["jo"], now=NOW)] == [mine]
        assign_case(session, reference=cats, connector_id=team["jo"], by=team["mo"], now=NOW)
        queue = my_queue(session, connector_id=team["jo"], now=NOW + timedelta(minutes=11))
    assert [c.reference for c in queue] == [mine, cats], "urgent first"
    assert queue[0].overdue is True and queue[1].overdue is False


def test_a_connector_sees_only_their_cases_and_a_manager_sees_all(sessions, casework_settings, team):
    cats = crisis(sessions, casework_settings, area="CH42")
    with sessions.begin() as session:
        assert access(session, reference=cats, connector_id=team["cat"]).may_act
        assert not access(session, reference=cats, connector_id=team["jo"]).may_see
        file, allowed = open_case_file(session, reference=cats, connector_id=team["mo"], settings=casework_settings)
        assert allowed.is_manager and file.excerpts[0][1] == "i want to end it all"
        with pytest.raises(NotAllowed):
            all_cases(session, connector_id=team["jo"])
        with pytest.raises(NotAllowed):
            overdue_alerts(session, connector_id=team["jo"])
        assert [c.reference for c in all_cases(session, connector_id=team["mo"], priority="urgent")] == [cats]
    with sessions.begin() as session:
        with pytest.raises(NotAllowed):
            require(session, reference=cats, connector_id=team["jo"])
    with sessions() as session:
        events = session.execute(select(AuditEvent.actor, AuditEvent.action, AuditEvent.case_reference)).all()
    assert (f"connector:{team['mo']}", "file_read", cats) in events
    assert (f"connector:{team['jo']}", "refused", cats) in events, "a refusal is recorded"


def test_overdue_alerts_show_what_passed_its_deadline(sessions, casework_settings, team):
    ref = crisis(sessions, casework_settings)
    with sessions.begin() as session:
        assert overdue_alerts(session, connector_id=team["mo"], now=NOW + timedelta(minutes=5)) == []
        late = overdue_alerts(session, connector_id=team["mo"], now=NOW + timedelta(minutes=11))
    assert [(a.reference, a.to, a.channels, a.past_deadline) for a in late] == [(ref, "Jo Bloggs", ("sms", "email"), True)]


def test_team_changes_are_for_managers_and_audited(sessions, casework_settings, team):
    start = NOW + timedelta(days=1)
    with sessions.begin() as session:
        with pytest.raises(NotAllowed):
            add_rota_shift(session, by=team["jo"], connector_id=team["jo"], starts_at=start, ends_at=start + timedelta(hours=8))
    with sessions.begin() as session:
        shift = add_rota_shift(session, by=team["mo"], connector_id=team["jo"], starts_at=start, ends_at=start + timedelta(hours=8))
        remove_rota_shift(session, by=team["mo"], shift_id=shift.id)
        added = add_member(session, by=team["mo"], name="Di New", phone="07700 900003", email="di@council.example",
                           patch="CH43", role="connector", settings=casework_settings)
        with pytest.raises(NotAllowed):
            set_member_active(session, by=team["mo"], connector_id=team["mo"], active=False)
    assert added.patch == ("CH43",)
    with sessions() as session:
        details = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "connector_added")).all()
    assert "0900003" not in " ".join(details)
    assert {"shift_added", "shift_removed", "connector_added"} <= set(audit_actions(sessions))


def test_a_manager_reading_the_team_and_rota_is_recorded(sessions, casework_settings, team):
    from casework.console.team import rota
    from casework.console.team import team as read_team

    with sessions.begin() as session:
        assert [p.name for p in read_team(session, by=team["mo"])] == ["Jo Bloggs", "Cat Second", "Mo Manager"]
        assert rota(session, by=team["mo"], now=NOW) == []
        with pytest.raises(NotAllowed):
            read_team(session, by=team["jo"])
    with sessions() as session:
        details = session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "listed")).all()
    assert details == ["connectors: 3", "rota: 0 shifts to come"]
