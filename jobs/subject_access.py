"""Answer a subject access request: everything held about a resident, as JSON and as a readable page.

    python -m jobs.subject_access --phone +447700900123 --out DIR [--by "Sam Manager"]
    python -m jobs.subject_access --sender web:Xy12... --out DIR
    python -m jobs.subject_access --email sue@example.org --out DIR      (a volunteer or a group's proposer who gave only an email)

Gathers what the application database holds (casework.privacy.subject_access, which leaves other people out)
and the conversation in Rasa's tracker store(s): what they wrote and what the bot answered. Other
people are left out of the conversation too: in a report about someone (the report form, bot/domain/
structure_report.yml) their answers to who it is, where they live and what worries them, and the
words that started the report (kept with the worry, actions.open_report), are each replaced by
LEFT_OUT, as is a bot line in the report that repeats one of them (and the same text wherever the
export shows it again). The bot's workings are not shown: the slots it set, intent names sent as
messages ("/report_concern"), actions. Then it writes `subject-access-<time>.json` and `.html`
(readable by the owner only) into DIR and records the request in the audit log. Prints the two paths
and counts, nothing personal. The console calls `export` and `render_html` the same way.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import column, inspect, select, table
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.cases import audit
from casework.cases.reports import REPORT_WHERE, REPORT_WHO, REPORT_WORRY
from casework.good_neighbours.volunteers import linked_sender_ids
from casework.privacy.subject_access import SubjectAccess, subject_access
from casework.residents.identity import InvalidPhoneNumber, normalise_uk_number, sms_sender_ids
from jobs.erasure import tracker_urls_for
from jobs.rekey import TRACKER_TABLE, tracker_engine
from service.database import make_engine, make_sessionmaker
from service.settings import Settings, load_settings

__all__ = ["ConversationLine", "Conversation", "Export", "LEFT_OUT", "read_conversation", "conversation", "export", "to_json",
           "render_html", "main"]

TEMPLATES = Path(__file__).parent / "templates"
LEFT_OUT = "[about someone else: left out]"
REPORT_FORM = "report_form"  # bot/domain/structure_report.yml
REQUESTED_SLOT = "requested_slot"  # Rasa's slot naming the question a form is asking (rasa_sdk.forms)
# The report form's questions whose answers describe the person reported. The others (how soon, whether
# they know, how the reporter knows them, how to reach the reporter) are the reporter's own answers.
ABOUT_SOMEONE_ELSE = frozenset({REPORT_WHO, REPORT_WHERE, REPORT_WORRY})
# Events after which Rasa is no longer in a form nor asking anything.
STARTS_AFRESH = frozenset({"restart", "session_started"})


@dataclass(frozen=True)
class ConversationLine:
    at: datetime
    who: str  # you | us
    text: str


@dataclass(frozen=True)
class Conversation:
    """The lines shown, and what was left out of them: their words about someone else and the bot's
    lines repeating them (kept only while the export is made, to leave them out of its other parts)."""

    lines: list[ConversationLine]
    their_words: frozenset[str] = frozenset()
    our_words: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Export:
    held: SubjectAccess
    conversation: list[ConversationLine]

    @property
    def found(self) -> bool:
        return self.held.found or bool(self.conversation)


def _plain_words(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass
class _Reading:
    """One sender's conversation read in order, knowing which question the report form was asking when
    they answered, so that only their answers about someone else are left out."""

    lines: list[ConversationLine] = field(default_factory=list)
    their_words: set[str] = field(default_factory=set)
    our_words: set[str] = field(default_factory=set)
    loop: str | None = None
    asking: str | None = None
    # From the report form starting until their first message after it ends: the bot's lines there
    # may repeat what they said about the person (its closing lines too). Outside, "Wallasey" given
    # as where the person lives must not hide a list of groups in Wallasey meant for the requester.
    in_report: bool = False
    last_said: int | None = None  # their last line: the report's first words if the form starts next

    def read(self, type_name: str, timestamp: float | None, data: str | None) -> None:
        try:
            event = json.loads(data or "{}")
        except ValueError:
            return
        at = datetime.fromtimestamp(timestamp or 0, tz=timezone.utc)
        if type_name == "user":
            self._said(at, str(event.get("text") or "").strip())
        elif type_name == "bot" and event.get("text"):
            self._answered(at, str(event["text"]))
        elif type_name == "slot":
            self._noted(event.get("name"), event.get("value"))
        elif type_name in ("active_loop", "form"):
            self._loop(event.get("name"))
        elif type_name in STARTS_AFRESH:
            self.loop = self.asking = None
        elif type_name == "reset_slots":
            self.asking = None

    def _said(self, at: datetime, text: str) -> None:
        if self.in_report and self.loop != REPORT_FORM:
            self.in_report = False
        if not text or text.startswith("/"):
            self.last_said = None  # an intent's name sent as a message (the intake's "/report_concern"): not their words
            return
        if self.loop == REPORT_FORM and self.asking in ABOUT_SOMEONE_ELSE:
            self.their_words.add(text)
            self.lines.append(ConversationLine(at, "you", LEFT_OUT))
            self.last_said = None
            return
        self.last_said = len(self.lines)
        self.lines.append(ConversationLine(at, "you", text))

    def _answered(self, at: datetime, text: str) -> None:
        if self.in_report and _repeats(text, self.their_words):
            self.our_words.add(text)
            text = LEFT_OUT
        self.lines.append(ConversationLine(at, "us", text))

    def _noted(self, name: Any, value: Any) -> None:
        if name == REQUESTED_SLOT:
            self.asking = value if isinstance(value, str) else None
        elif name in ABOUT_SOMEONE_ELSE and isinstance(value, str) and value.strip():
            self.their_words.add(value.strip())  # as the form kept it (trimmed, cut short), for the bot repeating it

    def _loop(self, name: Any) -> None:
        if name == REPORT_FORM and self.loop != REPORT_FORM:
            self.in_report = True
            if self.last_said is not None:
                # What they said that started the report is kept as part of its worry (actions.open_report).
                started = self.lines[self.last_said]
                self.their_words.add(started.text)
                self.lines[self.last_said] = dataclasses.replace(started, text=LEFT_OUT)
        self.last_said = None
        self.loop = name if isinstance(name, str) else None


def _repeats(text: str, words: Iterable[str]) -> bool:
    """Whether the text repeats any of the words whole (any case or spacing; not inside a longer word)."""
    plain = _plain_words(text)
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", plain) for w in map(_plain_words, words) if len(w) > 1)


def read_conversation(sender_ids: Sequence[str], app_engine: Engine, tracker_urls: Sequence[str]) -> Conversation:
    """What they said and what the bot said, from every tracker store, oldest first, with other people's
    details left out (see the module docstring)."""
    readings: dict[tuple[int, str], _Reading] = {}
    for store, url in enumerate(tracker_urls):
        engine = tracker_engine(url, app_engine)
        if engine is None:
            continue
        try:
            with engine.connect() as conn:
                if not inspect(conn).has_table(TRACKER_TABLE):
                    continue
                events = table(TRACKER_TABLE, column("sender_id"), column("type_name"), column("timestamp"), column("data"), column("id"))
                rows = conn.execute(select(events.c.sender_id, events.c.type_name, events.c.timestamp, events.c.data)
                                    .where(events.c.sender_id.in_(list(sender_ids))).order_by(events.c.timestamp, events.c.id))
                for sender_id, *event in rows:
                    readings.setdefault((store, sender_id), _Reading()).read(*event)
        finally:
            if engine is not app_engine:
                engine.dispose()
    lines = [line for reading in readings.values() for line in reading.lines]
    return Conversation(sorted(lines, key=lambda line: line.at),
                        frozenset(w for r in readings.values() for w in r.their_words),
                        frozenset(w for r in readings.values() for w in r.our_words))


def conversation(sender_ids: Sequence[str], app_engine: Engine, tracker_urls: Sequence[str]) -> list[ConversationLine]:
    """The lines of `read_conversation`."""
    return read_conversation(sender_ids, app_engine, tracker_urls).lines


def _left_out_elsewhere(held: SubjectAccess, talk: Conversation) -> SubjectAccess:
    """The conversation's left-out words wherever else the export would show them: a message of theirs
    still kept (not yet answered) that was such an answer, and a reply or a text we sent that carries a
    bot line left out of the conversation."""
    if not (talk.their_words or talk.our_words):
        return held
    theirs = {_plain_words(w) for w in talk.their_words}
    ours = [_plain_words(w) for w in talk.our_words]

    def carries_ours(text: str | None) -> bool:
        return bool(text) and any(w in _plain_words(text or "") for w in ours)

    messages = [dataclasses.replace(m, text=LEFT_OUT if m.text and _plain_words(m.text) in theirs else m.text,
                                    reply=LEFT_OUT if carries_ours(m.reply) else m.reply) for m in held.messages]
    sent = [dataclasses.replace(m, body=LEFT_OUT) if carries_ours(m.body) else m for m in held.sent]
    return dataclasses.replace(held, messages=messages, sent=sent)


def export(sessions: sessionmaker, settings: Settings, sender_ids: Sequence[str], *, numbers: Collection[str] = (),
           emails: Collection[str] = (), tracker_urls: Sequence[str] | None = None, requested_by: str = "cli") -> Export:
    """Everything held about the resident; the request is recorded in the audit log (counts only). A volunteer's
    web chat and the number (or address) they left are one person's: each brings in the other (the conversation too)."""
    with sessions.begin() as session:
        linked = linked_sender_ids(session, sender_ids=sender_ids, numbers=numbers, settings=settings, emails=emails)
        sender_ids = sorted({*sender_ids, *linked})
        held = subject_access(session, sender_ids, settings=settings, numbers=numbers, emails=emails)
        audit.record(session, actor=requested_by, action="subject_access",
                     detail=f"{len(held.messages)} messages, {len(held.cases)} cases, {len(held.reports_made)} reports, "
                            f"{len(held.volunteering)} volunteer records, {len(held.groups_proposed)} groups proposed exported")
    urls = tracker_urls if tracker_urls is not None else tracker_urls_for(settings)
    talk = read_conversation(sender_ids, sessions.kw["bind"], urls)
    return Export(_left_out_elsewhere(held, talk), talk.lines)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):  # the day a volunteer's check was seen
        return value.isoformat()
    raise TypeError(type(value).__name__)


def to_json(found: Export) -> str:
    return json.dumps({**dataclasses.asdict(found.held), "conversation": [dataclasses.asdict(line) for line in found.conversation]},
                      default=_plain, ensure_ascii=False, indent=2)


def render_html(found: Export) -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    environment.filters["when"] = lambda value: value.strftime("%d %B %Y, %H:%M UTC") if isinstance(value, datetime) else ("" if value is None else value)
    return environment.get_template("subject_access.html").render(held=found.held, conversation=found.conversation,
                                                                 left_out=LEFT_OUT)


def _write(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it is someone's personal data
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--sender", help="the resident's sender id (sms:... or web:...)")
    who.add_argument("--phone", help="the resident's phone number (E.164, or a UK number)")
    who.add_argument("--email", help="an email address they gave (a web-chat volunteer's contact, a group's proposer)")
    parser.add_argument("--out", required=True, type=Path, help="folder for the JSON and HTML files")
    parser.add_argument("--by", default="", help="who is answering the request (recorded in the audit log)")
    args = parser.parse_args(argv)
    settings = load_settings()
    settings.check()
    numbers: list[str] = []
    if args.phone:
        try:
            numbers = [normalise_uk_number(args.phone)]
        except InvalidPhoneNumber:
            parser.error("--phone is not a phone number")
        sender_ids = list(sms_sender_ids(numbers[0], settings))
    elif args.email:
        if "@" not in args.email:
            parser.error("--email is not an email address")
        sender_ids = []
    else:
        sender_ids = [args.sender]
    emails = [args.email] if args.email else []
    engine = make_engine(settings.database_url)
    try:
        found = export(make_sessionmaker(engine), settings, sender_ids, numbers=numbers, emails=emails,
                       requested_by=f"cli:{args.by}" if args.by else "cli")
    finally:
        engine.dispose()
    if not found.found:
        print("nothing is held about this person")
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"subject-access-{found.held.generated_at.strftime('%Y%m%d-%H%M%S')}"
    _write(stem.with_suffix(".json"), to_json(found))
    _write(stem.with_suffix(".html"), render_html(found))
    held = found.held
    print(f"{stem}.json\n{stem}.html")
    print(f"{len(held.messages)} messages, {len(held.sent)} texts sent, {len(found.conversation)} conversation lines, "
          f"{len(held.cases)} cases, {len(held.reports_made)} reports made, {len(held.consent)} consent decisions")
    return 0


if __name__ == "__main__":
    sys.exit(main())
