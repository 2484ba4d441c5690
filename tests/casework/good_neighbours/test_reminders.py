"""Reminders for a training question left unanswered (casework.good_neighbours.reminders, queued by the
worker's job jobs.training_reminders): after TRAINING_REMIND_AFTER_DAYS, in texting hours only, at most
TRAINING_REMINDERS times, never after STOP, never into a conversation in progress, only in training."""
from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update

from casework.cases.models import VolunteerTraining
from casework.good_neighbours.states import pause, start_training
from casework.models import Resident
from casework.residents.records import set_opted_out
from jobs.training_reminders import send_due_training_reminders
from jobs.worker import default_jobs
from tests.casework.good_neighbours.conftest import NOW, reply, texts_to

THREE_DAYS_ON = NOW + timedelta(days=3)  # Saturday 14:00, texting hours


def in_training(sessions, settings, sign_up, **options):
    reference, sender = sign_up(**options)
    with sessions.begin() as session:
        start_training(session, reference=reference, actor="connector:1", settings=settings, now=NOW)
    return reference, sender


def reminders_to(sessions, sender):
    with sessions() as session:
        return [m.body for m in texts_to(session, sender, "training_reminder")]


def test_an_unanswered_question_is_asked_again_kindly_at_most_twice(sessions, casework_settings, sign_up):
    _, sender = in_training(sessions, casework_settings, sign_up, name="Margaret")
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON - timedelta(minutes=1)).handled == 0
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON).handled == 1
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON + timedelta(seconds=1)).handled == 0, "once"
    [first] = reminders_to(sessions, sender)
    assert first.startswith("Hello Margaret, a gentle reminder") and "Reply 1" in first
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON + timedelta(days=3)).handled == 1
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON + timedelta(days=30)).handled == 0, "two at most"
    with sessions() as session:
        row = session.scalars(select(VolunteerTraining)).one()
        assert (row.reminders, row.remind_at, row.state) == (2, None, "asked")
        [reminder] = texts_to(session, sender, "training_reminder")[:1]
        assert reminder.expires_at.replace(tzinfo=timezone.utc) == datetime(2026, 11, 28, 21, 0, tzinfo=timezone.utc), "never at night"
    # The reminder asks the question again: a number now answers it.
    assert reply(sessions, casework_settings, sender, "2", at=THREE_DAYS_ON + timedelta(days=3, minutes=5)).outcome == "right"


def test_a_question_left_for_the_bot_is_asked_again_by_the_reminder(sessions, casework_settings, sign_up):
    _, sender = in_training(sessions, casework_settings, sign_up)
    assert reply(sessions, casework_settings, sender, "whats on in wallasey", at=NOW + timedelta(hours=1)) is None
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON).handled == 1
    assert reply(sessions, casework_settings, sender, "1", at=THREE_DAYS_ON + timedelta(minutes=5)).outcome == "wrong"


def test_the_number_of_reminders_and_their_wait_are_settings(sessions, casework_settings, sign_up):
    settings = dataclasses.replace(casework_settings, extra={**casework_settings.extra, "TRAINING_REMIND_AFTER_DAYS": "1",
                                                             "TRAINING_REMINDERS": "1"})
    _, sender = in_training(sessions, settings, sign_up)
    assert send_due_training_reminders(sessions, settings, now=NOW + timedelta(days=1)).handled == 1
    assert send_due_training_reminders(sessions, settings, now=NOW + timedelta(days=9)).handled == 0
    assert len(reminders_to(sessions, sender)) == 1


def test_no_reminder_at_night(sessions, casework_settings, sign_up):
    in_training(sessions, casework_settings, sign_up)
    night = datetime(2026, 11, 28, 22, 0, tzinfo=timezone.utc)
    assert send_due_training_reminders(sessions, casework_settings, now=night).handled == 0
    assert send_due_training_reminders(sessions, casework_settings, now=night + timedelta(hours=11)).handled == 1  # 09:00


def test_no_reminder_after_stop_until_start(sessions, casework_settings, sign_up):
    _, sender = in_training(sessions, casework_settings, sign_up)
    with sessions.begin() as session:
        set_opted_out(session, sender, True)
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON).handled == 0
    with sessions.begin() as session:
        set_opted_out(session, sender, False)
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON + timedelta(hours=1)).handled == 0, "looked at later"
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON + timedelta(days=3)).handled == 1
    with sessions() as session:
        assert all(m.state != "blocked_opted_out" for m in texts_to(session, sender))


def test_no_reminder_into_a_conversation_or_to_someone_paused(sessions, casework_settings, sign_up):
    chatting, chatting_sender = in_training(sessions, casework_settings, sign_up)
    paused, _ = in_training(sessions, casework_settings, sign_up)
    with sessions.begin() as session:
        session.execute(update(Resident).where(Resident.sender_id == chatting_sender).values(last_contact_at=THREE_DAYS_ON - timedelta(minutes=5)))
        pause(session, reference=paused, actor="connector:1", now=NOW + timedelta(days=1))
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON).handled == 0
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON + timedelta(minutes=40)).handled == 1


def test_the_worker_runs_the_reminders(sessions, casework_settings):
    names = [job.name for job in default_jobs(casework_settings, sessions)]
    assert names.index("check_ins") < names.index("training_reminders") < names.index("outbox"), "queued before the outbox sends"


def test_a_module_held_after_stop_goes_itself_once_they_text_start(sessions, casework_settings, sign_up):
    reference, sender = in_training(sessions, casework_settings, sign_up, opted_out=True, name="Margaret")
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON).handled == 0
    with sessions.begin() as session:
        set_opted_out(session, sender, False)
    assert send_due_training_reminders(sessions, casework_settings, now=THREE_DAYS_ON + timedelta(days=3)).handled == 1
    with sessions() as session:
        [module_one] = texts_to(session, sender, "training")
        assert module_one.body.startswith("Hello Margaret, welcome to good neighbour training")
        row = session.scalars(select(VolunteerTraining)).one()
        assert (row.state, row.reminders) == ("asked", 0), "its first asking, with its reminders still to come"
    assert reminders_to(sessions, sender) == []
