"""Training by text: four short modules, one after another, each ending with one question answered 1, 2 or 3.

1. `send_next_module` (when a connector moves a volunteer to training, or resumes it): the first module
   not yet done is queued through the outbox for texting hours (CHECK_IN_HOURS, as the "did you go?"
   check-ins: nothing at night; a text the provider could not send by the end of those hours is
   dropped, and the reminder asks again). Nothing is queued to a number that texted STOP: the module
   is held, and the reminder pass sends it once they text START.
2. `answer_training` (the intake, for every text): when this sender has a question waiting, a reply
   that is a number (a few words at most: "2", "its 2", "two") is its answer. Right: the module is
   done, the reply says so, and the next module follows as a text of its own (texting hours again);
   after the last, the reply says training is complete (and the volunteer is ready if a manager has
   approved them; their connector is told in working hours). Wrong: a short explanation and the
   question again. A text that is not a number ("ok thanks", a question, a search) is not taken: the
   bot answers it and the question still waits. Nor is a number when the bot has offered numbered
   choices, or a "did you go?" offer or check-in was put to them, since the question: it is theirs.
   A question left unanswered is asked again (casework.good_neighbours.reminders).

The words are casework/texts.yml's `training_*`; here are only which module comes when and which
number is right. Runs inside the caller's transaction; plain values out.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cryptography.fernet import InvalidToken
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from casework.cases import audit
from casework.cases.alert_settings import alert_settings
from casework.cases.models import Connector, Volunteer, VolunteerTraining
from casework.conversation.inbound import BodyVault
from casework.conversation.state import choices_offered_at
from casework.follow_ups.check_ins import check_in_hours
from casework.follow_ups.models import FollowUp
from casework.good_neighbours.readiness import settle
from casework.good_neighbours.texting import texting_sender
from casework.good_neighbours.volunteers import console_link
from casework.models import as_utc, utcnow
from casework.outbox.messages import enqueue_connector_sms, enqueue_sms
from casework.residents.records import is_opted_out
from casework.safety.numbers import SAFETY_NUMBERS
from casework.texts import render
from service.settings import Settings, SettingsError
from service.text import words_of

__all__ = ["TrainingModule", "MODULES", "TrainingSettings", "training_settings", "TrainingText", "TrainingReply", "TrainingSent",
           "module_text", "wrong_text", "reminder_text", "answer_number", "send_next_module", "hold_training", "answer_training",
           "complete_training", "first_name", "offered_since"]

DEFAULT_REMIND_AFTER_DAYS = "3"
DEFAULT_REMINDERS = "2"
ANSWER_MOST_WORDS = 4  # "i think its 2"; longer texts with a number in them are about something else
FOLLOWS_REPLY = timedelta(seconds=15)  # the next module is queued to go after the reply to the answer


@dataclass(frozen=True)
class TrainingModule:
    name: str  # casework/texts.yml: training_<name>, training_<name>_question, training_<name>_wrong
    answer: int  # the right number in training_<name>_question


MODULES = (
    TrainingModule("loneliness", 2),  # spotting loneliness
    TrainingModule("worried", 1),  # worried about someone: 999, or tell a connector
    TrainingModule("scams", 3),  # scams and doorstep crime
    TrainingModule("groups", 2),  # finding groups with this service
)
_BY_NAME = {module.name: module for module in MODULES}
_NUMBER_WORDS = {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "8": 8, "9": 9, "one": 1, "two": 2, "three": 3}


@dataclass(frozen=True)
class TrainingSettings:
    remind_after: timedelta  # TRAINING_REMIND_AFTER_DAYS: no answer for this long, a reminder
    reminders: int  # TRAINING_REMINDERS: at most this many for one module


def training_settings(settings: Settings) -> TrainingSettings:
    raw_days, raw_count = settings.value("TRAINING_REMIND_AFTER_DAYS", DEFAULT_REMIND_AFTER_DAYS), settings.value("TRAINING_REMINDERS", DEFAULT_REMINDERS)
    try:
        days, count = float(raw_days), int(raw_count)
    except ValueError:
        raise SettingsError(f"TRAINING_REMIND_AFTER_DAYS must be a number of days and TRAINING_REMINDERS a whole number, "
                            f"got {raw_days!r} and {raw_count!r}") from None
    if days <= 0 or count < 0:
        raise SettingsError("TRAINING_REMIND_AFTER_DAYS must be more than 0 and TRAINING_REMINDERS 0 or more")
    return TrainingSettings(timedelta(days=days), count)


@dataclass(frozen=True)
class TrainingText:
    """One text by its name in casework/texts.yml and the values it is filled with."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)

    def render(self) -> str:
        return render(self.key, **self.values)


@dataclass(frozen=True)
class TrainingReply:
    """What to say to a training answer: each text one message, in order."""

    outcome: str  # right (the next module follows) | wrong (why, and the question again) | finished
    module: str  # the module the answer was for
    texts: tuple[TrainingText, ...]

    def bodies(self) -> tuple[str, ...]:
        return tuple(text.render() for text in self.texts)


def first_name(name: str) -> str:
    return (name.split() or ["there"])[0][:20]  # the longest that keeps module 1 within 3 segments


def _values(name: str) -> dict[str, object]:
    position = [m.name for m in MODULES].index(name) + 1
    return {**SAFETY_NUMBERS, "number": position, "total": len(MODULES),
            "question": render(f"training_{name}_question", **SAFETY_NUMBERS)}


def module_text(name: str, *, first: str) -> TrainingText:
    return TrainingText(f"training_{name}", {**_values(name), "name": first})


def wrong_text(name: str) -> TrainingText:
    return TrainingText(f"training_{name}_wrong", _values(name))


def reminder_text(name: str, *, first: str) -> TrainingText:
    return TrainingText("training_reminder", {**_values(name), "name": first})


def answer_number(text: str) -> int | None:
    """The number a short reply gives ("2", "its 2", "two"), or None: not a number, several, or a longer text."""
    words = words_of(text).split()
    if not words or len(words) > ANSWER_MOST_WORDS:
        return None
    numbers = {_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS}
    return numbers.pop() if len(numbers) == 1 else None


def _opened_name(volunteer: Volunteer, settings: Settings) -> str:
    try:
        return first_name(BodyVault.for_settings(settings).open(volunteer.name_encrypted))
    except InvalidToken:
        return "there"


def _row(session: Session, volunteer: Volunteer, module: str, sender_id: str, *, texted_at: datetime) -> VolunteerTraining:
    """The module's row for this volunteer (made on first use), to be texted to `sender_id` at `texted_at`."""
    row = session.scalars(select(VolunteerTraining).where(VolunteerTraining.volunteer_id == volunteer.id,
                                                          VolunteerTraining.module == module)).first()
    if row is None:
        row = VolunteerTraining(volunteer_id=volunteer.id, module=module, sender_id=sender_id, state="waiting", texted_at=texted_at,
                                reminders=0, wrong_answers=0)
        session.add(row)
    row.sender_id, row.texted_at, row.reminders = sender_id, texted_at, 0
    return row


def _next_module(session: Session, volunteer: Volunteer) -> TrainingModule | None:
    done = set(session.scalars(select(VolunteerTraining.module).where(VolunteerTraining.volunteer_id == volunteer.id,
                                                                       VolunteerTraining.state == "done")))
    return next((m for m in MODULES if m.name not in done), None)


@dataclass(frozen=True)
class TrainingSent:
    module: str | None  # the module queued (or held); None when every module is done
    texted: bool
    why_not: str | None = None  # no_number | opted_out | all_done
    sends_at: datetime | None = None  # when it may go: now, or when texting hours next open


def send_next_module(session: Session, volunteer: Volunteer, *, actor: str, settings: Settings, now: datetime,
                     after: timedelta = timedelta(0)) -> TrainingSent:
    """Queue the first module not yet done for texting hours, no sooner than `after` from now (see the
    module docstring)."""
    module = _next_module(session, volunteer)
    if module is None:
        return TrainingSent(None, False, "all_done")
    sender_id = texting_sender(session, volunteer, settings)
    if sender_id is None:
        return TrainingSent(module.name, False, "no_number")
    plan = training_settings(settings)
    row = _row(session, volunteer, module.name, sender_id, texted_at=now)
    if is_opted_out(session, sender_id):
        # Held, not lost: the reminder pass looks again every TRAINING_REMIND_AFTER_DAYS and sends the
        # module itself once they have texted START.
        row.state, row.texted_at, row.remind_at = "held", now, now + plan.remind_after
        session.flush()
        return TrainingSent(module.name, False, "opted_out")
    texting = check_in_hours(settings).texting
    sends_at = texting.next_open(now + after)
    until = texting.open_until(sends_at) or sends_at
    body = module_text(module.name, first=_opened_name(volunteer, settings)).render()
    enqueue_sms(session, sender_id=sender_id, body=body, purpose="training", settings=settings, not_before=sends_at,
                valid_for=until - sends_at)
    row.state, row.texted_at, row.remind_at = "asked", sends_at, sends_at + plan.remind_after if plan.reminders else None
    session.flush()
    audit.record(session, actor=actor, action="volunteer_module_sent", case_reference=volunteer.reference,
                 at=now, detail=f"{module.name} queued for {sends_at.isoformat(timespec='minutes')}")
    return TrainingSent(module.name, True, sends_at=sends_at)


def hold_training(session: Session, volunteer: Volunteer, *, stop: bool) -> int:
    """A question waiting for this volunteer is no longer asked: held without reminders (paused) or
    stopped (left, or trained another way). Returns how many."""
    rows = list(session.scalars(select(VolunteerTraining).where(VolunteerTraining.volunteer_id == volunteer.id,
                                                                VolunteerTraining.state.in_(("asked", "held", "waiting")))))
    for row in rows:
        row.state, row.remind_at = ("stopped" if stop else "waiting"), None
    return len(rows)


def offered_since(session: Session, sender_id: str, since: datetime) -> bool:
    """Whether something else that a number answers was put to them after the training question: the
    bot's numbered choices (SMS conversation state) or a "did you go?" offer or check-in. Then a number
    is theirs, not training's."""
    offered = choices_offered_at(session, sender_id)
    if offered is not None and offered > since:
        return True
    return session.scalars(select(FollowUp.id).where(
        FollowUp.sender_id == sender_id,
        or_(and_(FollowUp.state == "offered", FollowUp.offered_at > since), and_(FollowUp.state == "asked", FollowUp.asked_at > since)),
    ).limit(1)).first() is not None


def answer_training(session: Session, *, sender_id: str, message_id: str, text: str, settings: Settings,
                    now: datetime | None = None) -> TrainingReply | None:
    """The reply to a volunteer's answer to their training question, or None when this message is not one
    (no question waiting for this sender: a single index look-up; or not a number; see the module docstring).
    `message_id` is the inbound message's (MessageSid); the intake records each message once, by it,
    before asking, so a redelivered text is never answered twice."""
    found = session.execute(select(VolunteerTraining, Volunteer).join(Volunteer, Volunteer.id == VolunteerTraining.volunteer_id)
                            .where(VolunteerTraining.sender_id == sender_id, VolunteerTraining.state == "asked").limit(1)).first()
    if found is None:
        return None
    row, volunteer = found
    now = as_utc(now) or utcnow()
    texted_at = as_utc(row.texted_at) or now
    if volunteer.state != "in_training" or texted_at > now:
        return None  # not (or not yet) asked: the text is still waiting for texting hours
    number = answer_number(text)
    if number is None or offered_since(session, sender_id, texted_at) or is_opted_out(session, sender_id):
        return None  # about something else (the bot answers it; the question still waits), or nothing may be sent
    module = _BY_NAME[row.module]
    if number != module.answer:
        row.wrong_answers += 1
        row.texted_at = now  # asked again: a reminder, if one is left, counts from now
        if row.remind_at is not None:
            row.remind_at = now + training_settings(settings).remind_after
        return TrainingReply("wrong", module.name, (wrong_text(module.name),))
    row.state, row.done_at, row.remind_at = "done", now, None
    position = MODULES.index(module) + 1
    audit.record(session, actor="intake", action="volunteer_module_done", case_reference=volunteer.reference, at=now,
                 detail=f"{module.name} ({position} of {len(MODULES)}) after {row.wrong_answers} wrong answers")
    if _next_module(session, volunteer) is None:
        complete_training(session, volunteer, actor="intake", settings=settings, now=now, by_text=True)
        return TrainingReply("finished", module.name, (TrainingText("training_complete", {"total": len(MODULES)}),))
    # The next module is a text of its own (3 segments would not fit in this reply beside "That's right"
    # without MORE), through the outbox, after this reply: Twilio waits up to 15 s for it.
    sent = send_next_module(session, volunteer, actor="intake", settings=settings, now=now, after=FOLLOWS_REPLY)
    later = sent.sends_at is not None and sent.sends_at > now + FOLLOWS_REPLY
    return TrainingReply("right", module.name, (TrainingText("training_right_later" if later else "training_right",
                                                             {"done": position, "total": len(MODULES)}),))


def complete_training(session: Session, volunteer: Volunteer, *, actor: str, settings: Settings, now: datetime, by_text: bool = False) -> str:
    """Training complete (the last right answer, or a manager who knows it was done another way): any
    question still waiting stops, the volunteer is ready if approved, and, when they finished by text,
    their connector is told (working hours). Returns their state."""
    if volunteer.training_completed_at is None:
        volunteer.training_completed_at = now
        audit.record(session, actor=actor, action="volunteer_trained", case_reference=volunteer.reference, at=now,
                     detail="all modules answered by text" if by_text else "training recorded as complete")
    hold_training(session, volunteer, stop=True)
    state = settle(session, volunteer, actor=actor, now=now)
    if by_text:
        _tell_connector(session, volunteer, ready=state == "ready", settings=settings, now=now)
    return state


def _tell_connector(session: Session, volunteer: Volunteer, *, ready: bool, settings: Settings, now: datetime) -> None:
    if volunteer.connector_id is None:
        return
    connector = session.get(Connector, volunteer.connector_id)
    if connector is None or not connector.active:
        return
    values = {"reference": volunteer.reference, "area": volunteer.area or volunteer.area_label,
              "console_url": console_link(settings, volunteer.reference)}
    enqueue_connector_sms(session, connector_id=connector.id, phone_encrypted=connector.mobile_encrypted,
                          body=render("volunteer_ready_sms" if ready else "volunteer_trained_sms", **values), purpose="volunteer",
                          not_before=alert_settings(settings).sends_at("routine", now))
