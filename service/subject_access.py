"""Answer a subject access request: everything held about a resident, as JSON and as a readable page.

    python -m service.subject_access --phone +447700900123 --out DIR [--by "Sam Manager"]
    python -m service.subject_access --sender web:Xy12... --out DIR

Gathers what the application database holds (casework.subject_access, which leaves other people out)
and the conversation in Rasa's tracker store(s) (what they wrote and what the bot answered, and what
it noted, its slots), then writes `subject-access-<time>.json` and `.html` (readable by the owner only)
into DIR and records the request in the audit log. Prints the two paths and counts, nothing personal.
The console calls `export` and `render_html` the same way.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import column, inspect, select, table
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework import audit
from casework.identity import InvalidPhoneNumber, normalise_uk_number, sms_sender_ids
from casework.subject_access import SubjectAccess, subject_access
from service.database import make_engine, make_sessionmaker
from service.erasure import tracker_urls_for
from service.rekey import TRACKER_TABLE, tracker_engine
from service.settings import Settings, load_settings

__all__ = ["ConversationLine", "Export", "conversation", "export", "to_json", "render_html", "main"]

TEMPLATES = Path(__file__).parent / "templates"
SPEAKERS = {"user": "you", "bot": "us"}


@dataclass(frozen=True)
class ConversationLine:
    at: datetime
    who: str  # you | us | noted
    text: str


@dataclass(frozen=True)
class Export:
    held: SubjectAccess
    conversation: list[ConversationLine]

    @property
    def found(self) -> bool:
        return self.held.found or bool(self.conversation)


def _line(type_name: str, timestamp: float | None, data: str | None) -> ConversationLine | None:
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return None
    at = datetime.fromtimestamp(timestamp or 0, tz=timezone.utc)
    if type_name in SPEAKERS and event.get("text"):
        return ConversationLine(at, SPEAKERS[type_name], str(event["text"]))
    if type_name == "slot" and event.get("value") not in (None, "", []):
        return ConversationLine(at, "noted", f"{event.get('name')}: {json.dumps(event.get('value'), ensure_ascii=False)}")
    return None


def conversation(sender_ids: Sequence[str], app_engine: Engine, tracker_urls: Sequence[str]) -> list[ConversationLine]:
    """What they said and what the bot said (and noted), from every tracker store, oldest first."""
    lines: list[ConversationLine] = []
    for url in tracker_urls:
        engine = tracker_engine(url, app_engine)
        if engine is None:
            continue
        try:
            with engine.connect() as conn:
                if not inspect(conn).has_table(TRACKER_TABLE):
                    continue
                events = table(TRACKER_TABLE, column("sender_id"), column("type_name"), column("timestamp"), column("data"), column("id"))
                rows = conn.execute(select(events.c.type_name, events.c.timestamp, events.c.data)
                                    .where(events.c.sender_id.in_(list(sender_ids))).order_by(events.c.timestamp, events.c.id))
                lines += [line for row in rows if (line := _line(*row)) is not None]
        finally:
            if engine is not app_engine:
                engine.dispose()
    return sorted(lines, key=lambda line: line.at)


def export(sessions: sessionmaker, settings: Settings, sender_ids: Sequence[str], *, numbers: Collection[str] = (),
           tracker_urls: Sequence[str] | None = None, requested_by: str = "cli") -> Export:
    """Everything held about the resident; the request is recorded in the audit log (counts only)."""
    with sessions.begin() as session:
        held = subject_access(session, sender_ids, settings=settings, numbers=numbers)
        audit.record(session, actor=requested_by, action="subject_access",
                     detail=f"{len(held.messages)} messages, {len(held.cases)} cases, {len(held.reports_made)} reports exported")
    urls = tracker_urls if tracker_urls is not None else tracker_urls_for(settings)
    return Export(held, conversation(sender_ids, sessions.kw["bind"], urls))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    raise TypeError(type(value).__name__)


def to_json(found: Export) -> str:
    return json.dumps({**dataclasses.asdict(found.held), "conversation": [dataclasses.asdict(line) for line in found.conversation]},
                      default=_plain, ensure_ascii=False, indent=2)


def render_html(found: Export) -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    environment.filters["when"] = lambda value: value.strftime("%d %B %Y, %H:%M UTC") if isinstance(value, datetime) else ("" if value is None else value)
    return environment.get_template("subject_access.html").render(held=found.held, conversation=found.conversation)


def _write(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it is someone's personal data
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--sender", help="the resident's sender id (sms:... or web:...)")
    who.add_argument("--phone", help="the resident's phone number (E.164, or a UK number)")
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
    else:
        sender_ids = [args.sender]
    engine = make_engine(settings.database_url)
    try:
        found = export(make_sessionmaker(engine), settings, sender_ids, numbers=numbers, requested_by=f"cli:{args.by}" if args.by else "cli")
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
