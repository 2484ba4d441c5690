"""Training by text (casework.good_neighbours.training): the modules' words fit a basic phone, module 1 is
queued for texting hours when a connector moves a volunteer to training, and `answer_training` takes a
number as the answer, moves on, explains a wrong one, completes the training, and answers None cheaply
for everyone else. A real SQLite database (and PostgreSQL for one whole run)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select

from casework.cases.models import AuditEvent, VolunteerTraining
from casework.follow_ups.models import FollowUp
from casework.good_neighbours.states import approve, pause, record_checks, start_training
from casework.good_neighbours.training import (
    MODULES,
    TrainingText,
    answer_number,
    answer_training,
    first_name,
    module_text,
    reminder_text,
    wrong_text,
)
from casework.models import SmsConversationState
from casework.residents.records import set_opted_out
from casework.safety.numbers import SAFETY_NUMBERS
from casework.texts import all_texts
from service.database import make_sessionmaker
from service.text import is_gsm, segment_count
from tests.casework.good_neighbours.conftest import NOW, reply, texts_to, volunteer

LONGEST_NAME = "Bartholomew-Fitzroy-Jones"  # more than a first name is ever kept (20 characters)


def start(sessions, settings, reference, *, now=NOW):
    with sessions.begin() as session:
        return start_training(session, reference=reference, actor="connector:1", settings=settings, now=now)


def rows(sessions, reference):
    with sessions() as session:
        return {t.module: (t.state, t.wrong_answers) for t in session.scalars(
            select(VolunteerTraining).where(VolunteerTraining.volunteer_id == volunteer(session, reference).id))}


# --- the words -------------------------------------------------------------------------------------

@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.name)
def test_each_module_fits_three_sms_segments_and_its_question_offers_the_right_number(module):
    lesson = module_text(module.name, first=first_name(LONGEST_NAME)).render()
    assert is_gsm(lesson) and segment_count(lesson) <= 3, (len(lesson), lesson)
    for text in (wrong_text(module.name), reminder_text(module.name, first=first_name(LONGEST_NAME))):
        body = text.render()
        assert is_gsm(body) and segment_count(body) <= 3, (text.key, len(body))
    question = all_texts()["texts"][f"training_{module.name}_question"]
    assert re.search(r"Reply 1 .+, 2 .+, 3 .+", question), "answered by a number, 1 to 3"
    assert question in lesson.replace(SAFETY_NUMBERS["emergency"], "{emergency}"), "the lesson ends with its question"


def test_the_short_replies_fit_one_segment_and_every_training_text_is_used():
    for key in ("training_right", "training_right_later", "training_complete"):
        body = TrainingText(key, {"done": 3, "total": 4}).render()
        assert is_gsm(body) and segment_count(body) == 1, key
    used = {f"training_{m.name}{part}" for m in MODULES for part in ("", "_question", "_wrong")}
    used |= {"training_right", "training_right_later", "training_complete", "training_reminder"}
    assert {key for key in all_texts()["texts"] if key.startswith("training_")} == used


def test_the_safety_numbers_come_from_their_one_table():
    scams = module_text("scams", first="Jo").render()
    assert SAFETY_NUMBERS["report_fraud"] in scams and SAFETY_NUMBERS["emergency"] in scams
    assert "0300" not in all_texts()["texts"]["training_scams"], "written once, in casework/safety/numbers.py"


@pytest.mark.parametrize(("text", "number"), [("2", 2), (" 2. ", 2), ("its 2", 2), ("Two", 2), ("i think 3", 3), ("4", 4),
                                              ("1 or 2", None), ("any choirs near wallasey", None), ("", None),
                                              ("i have 2 dogs and a cat at home", None)])
def test_a_short_reply_with_one_number_is_an_answer(text, number):
    assert answer_number(text) == number


# --- module 1, queued -----------------------------------------------------------------------------

def test_moving_to_training_queues_module_one_for_texting_hours(sessions, casework_settings, sign_up):
    reference, sender = sign_up(name="Margaret Jones")
    started = start(sessions, casework_settings, reference)
    assert (started.state, started.module, started.texted) == ("in_training", "loneliness", True)
    with sessions() as session:
        [text] = texts_to(session, sender, "training")
        assert text.body.startswith("Hello Margaret, welcome") and "Jones" not in text.body
        assert text.not_before.replace(tzinfo=timezone.utc) == NOW
        assert text.expires_at.replace(tzinfo=timezone.utc) == datetime(2026, 11, 25, 21, 0, tzinfo=timezone.utc)
    assert rows(sessions, reference) == {"loneliness": ("asked", 0)}


def test_moved_at_night_module_one_waits_for_the_morning(sessions, casework_settings, sign_up):
    reference, sender = sign_up()
    night = datetime(2026, 11, 25, 22, 30, tzinfo=timezone.utc)
    start(sessions, casework_settings, reference, now=night)
    with sessions() as session:
        [text] = texts_to(session, sender, "training")
        assert text.not_before.replace(tzinfo=timezone.utc) == datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
        assert text.expires_at.replace(tzinfo=timezone.utc) == datetime(2026, 11, 26, 21, 0, tzinfo=timezone.utc)
    # A "2" texted that night (for something else) is no answer to a question not yet sent.
    assert reply(sessions, casework_settings, sender, "2", at=night + timedelta(minutes=5)) is None


def test_nothing_goes_to_a_number_that_texted_stop(sessions, casework_settings, sign_up):
    reference, sender = sign_up(opted_out=True)
    started = start(sessions, casework_settings, reference)
    assert (started.state, started.texted, started.why_not) == ("in_training", False, "opted_out")
    with sessions() as session:
        assert texts_to(session, sender) == []
    assert rows(sessions, reference) == {"loneliness": ("held", 0)}
    assert reply(sessions, casework_settings, sender, "2", at=NOW + timedelta(hours=1)) is None


def test_a_web_chat_volunteer_is_texted_at_the_number_they_left(sessions, casework_settings, sign_up):
    reference, sender = sign_up(channel="webchat", contact="07700 900123")
    assert sender.startswith("sms:")
    assert start(sessions, casework_settings, reference).texted
    with sessions() as session:
        assert len(texts_to(session, sender, "training")) == 1
    assert reply(sessions, casework_settings, sender, "2", at=NOW + timedelta(hours=1)).outcome == "right"


def test_with_only_an_email_there_is_nothing_to_text(sessions, casework_settings, sign_up):
    reference, _ = sign_up(channel="webchat", contact="ravi@example.org")
    started = start(sessions, casework_settings, reference)
    assert (started.state, started.texted, started.why_not) == ("in_training", False, "no_number")
    assert rows(sessions, reference) == {}


# --- the answers -----------------------------------------------------------------------------------

def test_answers_move_through_every_module_and_complete_the_training(sessions, casework_settings, sign_up, add_connector):
    jo = add_connector("Jo Wallasey", "07700 900001", patch="CH44")
    reference, sender = sign_up()
    start(sessions, casework_settings, reference)
    at = NOW + timedelta(hours=1)

    wrong = reply(sessions, casework_settings, sender, "1", at=at)
    assert (wrong.outcome, wrong.module, [t.key for t in wrong.texts]) == ("wrong", "loneliness", ["training_loneliness_wrong"])
    assert wrong.bodies()[0].startswith("Not quite.") and "Reply 1" in wrong.bodies()[0], "why, and the question again"
    assert segment_count(wrong.bodies()[0]) <= 2

    right = reply(sessions, casework_settings, sender, "its 2", at=at + timedelta(minutes=2))
    assert (right.outcome, right.bodies()) == ("right", ("That's right, well done: 1 of 4 done. The next part follows in a moment.",))
    assert rows(sessions, reference) == {"loneliness": ("done", 1), "worried": ("asked", 0)}
    with sessions() as session:
        module_two = texts_to(session, sender, "training")[-1]
        assert module_two.body.startswith("2 of 4: when you are worried")
        # A text of its own, after the reply (Twilio waits up to 15 s for that).
        assert module_two.not_before.replace(tzinfo=timezone.utc) == at + timedelta(minutes=2, seconds=15)

    for minutes, (module, answer) in enumerate((("worried", "1"), ("scams", "3")), start=3):
        assert reply(sessions, casework_settings, sender, answer, at=at + timedelta(minutes=minutes)).module == module
    finished = reply(sessions, casework_settings, sender, "two", at=at + timedelta(minutes=9))
    assert (finished.outcome, finished.module, finished.bodies()) == (
        "finished", "groups", ("That's right, and that is all 4 done: thank you! Your community connector will be in touch about what comes next.",))
    with sessions() as session:
        assert len(texts_to(session, sender, "training")) == 4, "one text a module"
        done = volunteer(session, reference)
        assert done.training_completed_at is not None and done.state == "in_training", "ready only once approved too"
        told = [m for m in texts_to(session, f"connector:{jo}") if "finished their training" in m.body]
        assert len(told) == 1 and reference in told[0].body and "/console/volunteers/" in told[0].body
        actions = [e.action for e in session.scalars(select(AuditEvent).where(AuditEvent.case_reference == reference))]
    assert actions.count("volunteer_module_done") == 4 and "volunteer_trained" in actions
    # Nothing is waiting any more: the next "2" is the bot's.
    assert reply(sessions, casework_settings, sender, "2", at=at + timedelta(minutes=10)) is None


def test_a_right_answer_late_in_the_evening_brings_the_next_part_in_the_morning(sessions, casework_settings, sign_up):
    reference, sender = sign_up()
    start(sessions, casework_settings, reference)
    evening = datetime(2026, 11, 25, 20, 59, 50, tzinfo=timezone.utc)
    right = reply(sessions, casework_settings, sender, "2", at=evening)
    assert [t.key for t in right.texts] == ["training_right_later"]
    with sessions() as session:
        module_two = texts_to(session, sender, "training")[-1]
        assert module_two.not_before.replace(tzinfo=timezone.utc) == datetime(2026, 11, 26, 9, 0, tzinfo=timezone.utc)
    assert reply(sessions, casework_settings, sender, "1", at=evening + timedelta(minutes=5)) is None, "not asked yet"
    assert reply(sessions, casework_settings, sender, "1", at=datetime(2026, 11, 26, 9, 30, tzinfo=timezone.utc)).outcome == "right"


def test_an_approved_volunteer_is_ready_with_their_last_answer(sessions, casework_settings, sign_up):
    reference, sender = sign_up(roles=("visits",))
    with sessions.begin() as session:
        record_checks(session, reference=reference, actor="connector:9", settings=casework_settings, now=NOW,
                      seen={"references": NOW.date(), "dbs": NOW.date()})
        assert approve(session, reference=reference, actor="connector:9", now=NOW) == "applied"
    start(sessions, casework_settings, reference)
    at = NOW + timedelta(hours=1)
    for minutes, module in enumerate(MODULES):
        reply(sessions, casework_settings, sender, str(module.answer), at=at + timedelta(minutes=minutes))
    with sessions() as session:
        ready = volunteer(session, reference)
        assert (ready.state, ready.state_changed_by) == ("ready", "intake")


def test_a_text_about_something_else_is_left_to_the_bot_and_the_question_waits(sessions, casework_settings, sign_up):
    reference, sender = sign_up()
    start(sessions, casework_settings, reference)
    at = NOW + timedelta(hours=1)
    for words in ("ok thanks", "what does lonely look like", "any singing groups near wallasey"):
        assert reply(sessions, casework_settings, sender, words, at=at) is None
    assert rows(sessions, reference) == {"loneliness": ("asked", 0)}
    assert reply(sessions, casework_settings, sender, "2", at=at + timedelta(minutes=1)).outcome == "right"


def test_a_number_is_the_bots_when_it_offered_numbered_choices_since_the_question(sessions, casework_settings, sign_up):
    reference, sender = sign_up()
    start(sessions, casework_settings, reference)
    with sessions.begin() as session:  # the bot's three groups, "text a number for details", after the question
        session.add(SmsConversationState(sender_id=sender, choices_json='{"1": "/details"}', updated_at=NOW + timedelta(minutes=30)))
    assert reply(sessions, casework_settings, sender, "2", at=NOW + timedelta(hours=1)) is None
    assert rows(sessions, reference) == {"loneliness": ("asked", 0)}, "still waiting for its answer"


def test_a_number_is_the_check_ins_when_one_was_offered_since_the_question(sessions, casework_settings, sign_up):
    reference, sender = sign_up()
    start(sessions, casework_settings, reference)
    with sessions.begin() as session:  # "Shall I text you after Knit and Natter...? Reply 1 or 2", after the question
        session.add(FollowUp(sender_id=sender, activity_id="svc", activity_name="Knit and Natter", meets_at=NOW + timedelta(days=2),
                             state="offered", offered_at=NOW + timedelta(minutes=30)))
    assert reply(sessions, casework_settings, sender, "1", at=NOW + timedelta(hours=1)) is None


def test_paused_or_opted_out_since_there_is_no_answer(sessions, casework_settings, sign_up):
    paused, paused_sender = sign_up()
    stopped, stopped_sender = sign_up()
    for reference in (paused, stopped):
        start(sessions, casework_settings, reference)
    with sessions.begin() as session:
        pause(session, reference=paused, actor="connector:1", now=NOW)
        set_opted_out(session, stopped_sender, True)
    assert reply(sessions, casework_settings, paused_sender, "2", at=NOW + timedelta(hours=1)) is None
    assert reply(sessions, casework_settings, stopped_sender, "2", at=NOW + timedelta(hours=1)) is None
    assert rows(sessions, paused) == {"loneliness": ("waiting", 0)}


def test_nobody_in_training_costs_one_indexed_query(sessions, casework_settings, sign_up):
    sign_up()  # a volunteer, not in training
    statements: list[tuple[str, tuple]] = []
    engine = sessions.kw["bind"]

    def count(conn, cursor, statement, parameters, *args):  # noqa: ANN001
        statements.append((statement, tuple(parameters)))

    with sessions.begin() as session:
        session.connection()  # the transaction's own BEGIN is not the look-up
        event.listen(engine, "before_cursor_execute", count)
        try:
            assert answer_training(session, sender_id="sms:someone", message_id="SM1", text="2", settings=casework_settings) is None
        finally:
            event.remove(engine, "before_cursor_execute", count)
        [(statement, parameters)] = statements
        assert "volunteer_training" in statement
        plan = " ".join(str(row) for row in session.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters))
    assert "ix_volunteer_training_waiting" in plan


def test_training_by_text_on_postgresql(pg_engine, casework_settings, add_resident):
    from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
    from casework.models import InboundMessage, Resident
    from casework.residents.identity import PhoneVault, sms_sender_id
    from tests.casework.conftest import ENCRYPTION_KEY, HASH_KEY

    sessions = make_sessionmaker(pg_engine)
    sender = sms_sender_id("+447700900321", key=HASH_KEY)
    with sessions.begin() as session:
        session.add(Resident(sender_id=sender, channel="sms", phone_encrypted=PhoneVault(ENCRYPTION_KEY).seal("+447700900321"), opted_out=False))
        session.flush()
        reference = sign_up_volunteer(session, offer=VolunteerOffer("Pat", "Wallasey", "CH44", "evenings", ("driving",), "sms", sender),
                                      settings=casework_settings, now=NOW).reference
        start_training(session, reference=reference, actor="connector:1", settings=casework_settings, now=NOW)
    at = NOW + timedelta(hours=1)
    for minutes, module in enumerate(MODULES):
        with sessions.begin() as session:
            session.add(InboundMessage(channel="sms", message_id=f"PG{minutes}", sender_id=sender, received_at=at + timedelta(minutes=minutes)))
            session.flush()
            answered = answer_training(session, sender_id=sender, message_id=f"PG{minutes}", text=str(module.answer), settings=casework_settings,
                                       now=at + timedelta(minutes=minutes))
            assert answered is not None and answered.module == module.name
    with sessions() as session:
        assert volunteer(session, reference).training_completed_at is not None
