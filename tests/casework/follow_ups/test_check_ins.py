"""The "did you go?" check-in in casework: who may be offered one, how the offer is answered, when the
worker may text it (texting hours, consent, opt-out, not into a conversation), and how the answer is
recorded. Real migrated SQLite; the clock is passed in."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from casework.conversation.inbound import BodyVault, record_inbound
from casework.follow_ups.check_ins import answer_check_in, answer_offer, offer_follow_up
from casework.follow_ups.models import FollowUp
from casework.models import Resident, as_utc
from casework.outbox.messages import OutboxMessage
from casework.privacy.consent import current_consent, record_consent
from casework.residents.records import set_opted_out
from jobs.check_ins import send_due_check_ins
from jobs.worker import default_jobs
from service.settings import Settings, SettingsError

LONDON = ZoneInfo("Europe/London")
# Offered on Monday 7 December 2026 at 11:00; the group meets on Tuesday 8 December, 10:00-12:00.
OFFERED = datetime(2026, 12, 7, 11, tzinfo=timezone.utc)
STARTS, ENDS = datetime(2026, 12, 8, 10), datetime(2026, 12, 8, 12)
ASK_AT = datetime(2026, 12, 9, 10, tzinfo=timezone.utc)  # the day after, 10:00 London (GMT in December)


def local(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=LONDON).astimezone(timezone.utc)


@pytest.fixture
def resident(add_resident: Callable[..., str], sessions: sessionmaker) -> str:
    sender = add_resident("+447700900555")
    with sessions.begin() as session:
        session.scalars(select(Resident).where(Resident.sender_id == sender)).one().last_contact_at = OFFERED
    return sender


def offer(sessions: sessionmaker, settings: Settings, sender: str, *, now: datetime = OFFERED, activity: str = "svc-knit",
          starts: datetime = STARTS) -> object:
    with sessions.begin() as session:
        return offer_follow_up(session, sender_id=sender, activity_id=activity, activity_name="Knit and Natter", interest="knitting",
                               place="CH44 5TN", vault=BodyVault.for_settings(settings), starts=starts, ends=ENDS, settings=settings, now=now)


def answer(sessions: sessionmaker, settings: Settings, sender: str, text: str, *, now: datetime = OFFERED + timedelta(minutes=2)) -> object:
    with sessions.begin() as session:
        return answer_offer(session, sender_id=sender, text=text, settings=settings, vault=BodyVault.for_settings(settings), now=now)


def states(sessions: sessionmaker) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(FollowUp.state).order_by(FollowUp.id)))


def check_in_texts(sessions: sessionmaker) -> list[tuple[str, str | None, datetime | None]]:
    with sessions() as session:
        rows = session.execute(select(OutboxMessage.body, OutboxMessage.recipient_sender_id, OutboxMessage.expires_at)
                               .where(OutboxMessage.purpose == "follow_up").order_by(OutboxMessage.id))
        return [(body, sender, as_utc(expires)) for body, sender, expires in rows]


def test_an_sms_resident_is_offered_a_check_in_for_the_next_session_and_yes_schedules_it_the_day_after(
        sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    made = offer(sessions, casework_settings, resident)
    assert made is not None and (made.name, made.day) == ("Knit and Natter", "Tuesday 8 December")
    agreed = answer(sessions, casework_settings, resident, "Yes please!")
    assert agreed is not None and agreed.agreed and agreed.day == "Wednesday 9 December"
    assert (agreed.interest, agreed.place) == ("knitting", "CH44 5TN"), "for the next question, 'Shall I remember...?'"
    with sessions() as session:
        row = session.scalars(select(FollowUp)).one()
        assert (row.state, as_utc(row.ask_at), as_utc(row.meets_at)) == ("agreed", ASK_AT, local(8, 10))
        assert row.place_encrypted and "CH44" not in row.place_encrypted, "a place may be a postcode: sealed"
        assert current_consent(session, resident)["follow_up"] is True


def test_no_is_heard_and_not_asked_again_for_a_month_and_anything_else_lets_the_offer_lapse(
        sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    offer(sessions, casework_settings, resident)
    assert answer(sessions, casework_settings, resident, "what about thursdays") is None, "not an answer: it goes to the bot"
    assert states(sessions) == ["lapsed"]
    assert answer(sessions, casework_settings, resident, "1") is None, "a lapsed offer is not answered later"
    offer(sessions, casework_settings, resident)
    declined = answer(sessions, casework_settings, resident, "2")
    assert declined is not None and not declined.agreed
    with sessions() as session:
        assert current_consent(session, resident)["follow_up"] is False
    later = OFFERED + timedelta(days=10)
    assert offer(sessions, casework_settings, resident, now=later, starts=STARTS + timedelta(days=14)) is None, "a no stands for 30 days"
    assert offer(sessions, casework_settings, resident, now=OFFERED + timedelta(days=31), starts=STARTS + timedelta(days=35)) is not None


def test_an_answer_half_a_day_later_is_not_taken_for_one(sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    offer(sessions, casework_settings, resident)
    assert answer(sessions, casework_settings, resident, "1", now=OFFERED + timedelta(hours=13)) is None
    assert states(sessions) == ["lapsed"]


@pytest.mark.parametrize("who", ["web", "opted_out", "no_number"])
def test_no_offer_to_web_chat_to_an_opted_out_resident_or_without_a_number(
        who: str, sessions: sessionmaker, casework_settings: Settings, add_resident: Callable[..., str]) -> None:
    sender = add_resident("+447700900556", opted_out=who == "opted_out")
    if who == "web":
        sender = "web:abc123"
    if who == "no_number":
        with sessions.begin() as session:
            session.scalars(select(Resident).where(Resident.sender_id == sender)).one().phone_encrypted = None
    assert offer(sessions, casework_settings, sender) is None
    assert states(sessions) == []


def test_no_offer_for_a_session_already_past_or_months_away_or_a_group_already_agreed(
        sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    assert offer(sessions, casework_settings, resident, starts=datetime(2026, 12, 7, 9)) is None, "it met this morning"
    assert offer(sessions, casework_settings, resident, starts=datetime(2027, 3, 1, 10)) is None, "too far ahead to promise"
    offer(sessions, casework_settings, resident)
    answer(sessions, casework_settings, resident, "ok")
    assert offer(sessions, casework_settings, resident, now=OFFERED + timedelta(hours=1)) is None, "already agreed for this group"
    assert offer(sessions, casework_settings, resident, now=OFFERED + timedelta(hours=1), activity="svc-choir") is not None


def agreed(sessions: sessionmaker, settings: Settings, sender: str) -> None:
    offer(sessions, settings, sender)
    assert answer(sessions, settings, sender, "yes") is not None


def test_the_worker_texts_the_check_in_in_texting_hours_once_and_never_after_nine_at_night(
        sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    agreed(sessions, casework_settings, resident)
    assert send_due_check_ins(sessions, casework_settings, now=local(9, 9, 59)).handled == 0, "not before its time"
    assert send_due_check_ins(sessions, casework_settings, now=local(9, 10)).handled == 1
    [(body, to, expires)] = check_in_texts(sessions)
    assert to == resident
    assert body == ("Hello, it's the community connector text service. Did you get to Knit and Natter on Tuesday 8 December? "
                    "Reply 1 if you went or 2 if you didn't.")
    assert expires == local(9, 21), "a text held up by the provider is dropped rather than sent at night"
    assert send_due_check_ins(sessions, casework_settings, now=local(9, 10, 1)).handled == 0, "sent once"
    assert states(sessions) == ["asked"]


def test_a_check_in_due_at_night_waits_for_the_morning(sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    agreed(sessions, casework_settings, resident)
    assert send_due_check_ins(sessions, casework_settings, now=local(9, 21, 30)).handled == 0
    assert send_due_check_ins(sessions, casework_settings, now=local(10, 8, 59)).handled == 0
    assert send_due_check_ins(sessions, casework_settings, now=local(10, 9)).handled == 1


def test_quiet_hours_are_configurable(sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    settings = dataclasses.replace(casework_settings, extra={**casework_settings.extra, "CHECK_IN_HOURS": "Mon-Fri 12:00-14:00"})
    agreed(sessions, settings, resident)
    assert send_due_check_ins(sessions, settings, now=local(9, 10)).handled == 0
    assert send_due_check_ins(sessions, settings, now=local(9, 12)).handled == 1


@pytest.mark.parametrize("how", ["stop", "consent_withdrawn"])
def test_stop_or_a_withdrawn_consent_means_no_check_in_is_ever_sent(
        how: str, sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    agreed(sessions, casework_settings, resident)
    with sessions.begin() as session:
        if how == "stop":
            set_opted_out(session, resident, True)
        else:
            record_consent(session, sender_id=resident, purpose="follow_up", granted=False, source="request", at=local(8, 15))
    assert send_due_check_ins(sessions, casework_settings, now=local(9, 10)).handled == 0
    assert states(sessions) == ["expired"] and check_in_texts(sessions) == []


def test_not_into_a_conversation_in_progress_and_not_a_week_late(
        sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    agreed(sessions, casework_settings, resident)
    with sessions.begin() as session:
        session.scalars(select(Resident).where(Resident.sender_id == resident)).one().last_contact_at = local(9, 9, 50)
    assert send_due_check_ins(sessions, casework_settings, now=local(9, 10)).handled == 0, "they texted ten minutes ago"
    assert send_due_check_ins(sessions, casework_settings, now=local(9, 10, 21)).handled == 1
    other = offer(sessions, casework_settings, resident, activity="svc-choir", now=OFFERED + timedelta(hours=2))
    assert other is not None and answer(sessions, casework_settings, resident, "yes", now=OFFERED + timedelta(hours=2, minutes=1))
    assert send_due_check_ins(sessions, casework_settings, now=local(9, 11)).handled == 0, "one check-in at a time"
    assert send_due_check_ins(sessions, casework_settings, now=local(17, 11)).handled == 0
    assert states(sessions) == ["asked", "expired"], "more than a week late: dropped"


def asked(sessions: sessionmaker, settings: Settings, sender: str) -> None:
    agreed(sessions, settings, sender)
    assert send_due_check_ins(sessions, settings, now=local(9, 10)).handled == 1


def reply(sessions: sessionmaker, settings: Settings, sender: str, text: str, n: int, at: datetime) -> object:
    vault = BodyVault.for_settings(settings)
    with sessions.begin() as session:
        record_inbound(session, channel="sms", message_id=f"SM{n}", sender_id=sender, body_encrypted=vault.seal(text))
        session.flush()
        return answer_check_in(session, sender_id=sender, message_id=f"SM{n}", text=text, vault=vault, now=at)


def test_the_first_reply_after_the_check_in_is_its_answer_with_why_not_sealed(
        sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    asked(sessions, casework_settings, resident)
    got = reply(sessions, casework_settings, resident, "no couldnt get a lift", 1, local(9, 10, 5))
    assert got is not None and (got.went, got.reason, got.interest, got.place, got.name) == (
        False, "transport", "knitting", "CH44 5TN", "Knit and Natter")
    with sessions() as session:
        row = session.scalars(select(FollowUp)).one()
        assert (row.state, row.went, row.reason) == ("answered", False, "transport")
        assert "lift" not in (row.answer_encrypted or "") and BodyVault.for_settings(casework_settings).open(row.answer_encrypted) == "no couldnt get a lift"


def test_a_first_reply_that_is_not_an_answer_goes_on_and_the_check_in_closes_unanswered(
        sessions: sessionmaker, casework_settings: Settings, resident: str) -> None:
    asked(sessions, casework_settings, resident)
    assert reply(sessions, casework_settings, resident, "any choirs in wallasey", 1, local(9, 10, 5)) is None
    assert reply(sessions, casework_settings, resident, "yes", 2, local(9, 10, 6)) is None, "only the first reply answers it"
    assert states(sessions) == ["no_reply"]


@pytest.mark.parametrize(("name", "value"), [("CHECK_IN_HOURS", "Mon-Sun 25:00-26:00"), ("CHECK_IN_HOURS", "whenever"),
                                             ("CHECK_IN_ASK_FROM", "ten")])
def test_a_setting_that_cannot_be_read_stops_the_worker_at_its_start_naming_it(
        name: str, value: str, sessions: sessionmaker, casework_settings: Settings) -> None:
    settings = dataclasses.replace(casework_settings, extra={**casework_settings.extra, name: value})
    with pytest.raises(SettingsError, match=name):
        default_jobs(settings, sessions)
