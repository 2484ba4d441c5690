"""The retention purge, a worker job (`RetentionPurge.run`) that runs at most once an hour across all
workers. Periods and what they cover: casework.privacy.retention.

1. what the application database alone holds past its period (casework.privacy.retention.purge_casework):
   answered inbound messages and finished outbox messages, old SMS reply state and flags, closed cases;
2. residents whose last contact is older than RETENTION_CONVERSATION_DAYS (unless a case of theirs is
   open), and conversations in Rasa's tracker store(s) last touched before then, erased through the
   erasure code (jobs.erasure: every store; safeguarding cases kept, minimised), one Erasure record;
3. dry-run outbox file lines older than RETENTION_INBOUND_DAYS;
4. on SQLite, the application database rebuilt and its WAL emptied when anything went, or when someone
   was erased since the last run (finishing a compaction a reader holding the WAL had put off).
"""
from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import column, func, inspect, select, table, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from casework.models import Heartbeat, Resident, as_utc, utcnow
from casework.outbox.dry_run_file import remove_lines
from casework.privacy.models import Erasure
from casework.privacy.retention import protected_senders, purge_casework, residents_past_retention, retention_policy
from jobs.erasure import ErasureReport, erase_senders, tracker_urls_for
from jobs.rekey import TRACKER_TABLE, tracker_engine
from service.database import compact_sqlite
from service.settings import Settings

__all__ = ["PurgeReport", "purge_expired", "RetentionPurge", "COMPONENT", "EVERY"]

log = logging.getLogger(__name__)

# The last run is kept in the heartbeat table under this name, so several workers purge once an hour between them.
COMPONENT = "retention_purge"
EVERY = timedelta(hours=1)


@dataclass
class PurgeReport:
    at: datetime
    rows: Counter[str] = field(default_factory=Counter)
    erasure: ErasureReport | None = None
    outbox_file_lines: int = 0
    compacted: bool = False

    @property
    def handled(self) -> int:
        return sum(self.rows.values()) + (self.erasure.residents if self.erasure else 0) + self.outbox_file_lines

    def __str__(self) -> str:
        rows = ", ".join(f"{name} {n}" for name, n in sorted(self.rows.items())) or "none"
        erased = f"{self.erasure.residents} residents or conversations erased ({self.erasure.reference})" if self.erasure else "nobody erased"
        return f"retention purge: rows {rows}; {erased}; {self.outbox_file_lines} outbox file lines"


def _stale_conversations(url: str, app_engine: Engine, cutoff: datetime) -> set[str]:
    """Senders whose conversation in this tracker store was last touched before the cutoff."""
    engine = tracker_engine(url, app_engine)
    if engine is None:
        return set()
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table(TRACKER_TABLE):
                return set()
            events = table(TRACKER_TABLE, column("sender_id"), column("timestamp"))
            return set(conn.execute(
                select(events.c.sender_id).group_by(events.c.sender_id).having(func.max(events.c.timestamp) < cutoff.timestamp())
            ).scalars())
    finally:
        if engine is not app_engine:
            engine.dispose()


def purge_expired(sessions: sessionmaker, settings: Settings, *, now: datetime | None = None,
                  tracker_urls: Sequence[str] | None = None) -> PurgeReport:
    now = as_utc(now) or utcnow()
    policy = retention_policy(settings)
    report = PurgeReport(at=now)
    app_engine: Engine = sessions.kw["bind"]
    urls = tracker_urls if tracker_urls is not None else tracker_urls_for(settings)
    with sessions.begin() as session:
        casework = purge_casework(session, policy=policy, now=now, settings=settings)
    report.rows += casework.rows
    cutoff = now - policy.conversation
    with sessions() as session:
        senders = set(residents_past_retention(session, policy=policy, now=now))
        keep = protected_senders(session) | set(session.scalars(select(Resident.sender_id).where(Resident.last_contact_at >= cutoff)))
    for url in urls:
        senders |= _stale_conversations(url, app_engine, cutoff) - keep
    if senders:
        report.erasure = erase_senders(senders, settings, requested_by="retention", reason="retention", sessions=sessions,
                                       tracker_urls=urls, now=now, compact_database=False)
    report.outbox_file_lines = remove_lines(settings.outbox_path, outbox_ids=casework.outbox_ids, sent_before=now - policy.inbound)
    with sessions() as session:
        erased_lately = session.scalars(select(Erasure.id).where(Erasure.erased_at >= now - EVERY)).first() is not None
    if report.handled or erased_lately:
        report.compacted = compact_sqlite(app_engine)
    if report.handled:
        log.info("%s", report)
    return report


class RetentionPurge:
    """The worker's job: `run` purges when an hour has passed since the last purge by any worker."""

    def __init__(self, sessions: sessionmaker, settings: Settings, *, every: timedelta = EVERY,
                 clock: Callable[[], datetime] = utcnow, tracker_urls: Sequence[str] | None = None) -> None:
        self._sessions = sessions
        self._settings = settings
        self._every = every
        self._clock = clock
        self._tracker_urls = tracker_urls

    def run(self) -> PurgeReport | None:
        now = self._clock()
        if not self._claim(now):
            return None
        return purge_expired(self._sessions, self._settings, now=now, tracker_urls=self._tracker_urls)

    def _claim(self, now: datetime) -> bool:
        """Compare-and-set on the last run's time, so only one worker purges in each period."""
        try:
            with self._sessions.begin() as session:
                if session.get(Heartbeat, COMPONENT) is None:
                    session.add(Heartbeat(component=COMPONENT, beat_at=now))
                    return True
                return session.execute(
                    update(Heartbeat).where(Heartbeat.component == COMPONENT, Heartbeat.beat_at <= now - self._every)
                    .values(beat_at=now).execution_options(synchronize_session=False)
                ).rowcount == 1
        except IntegrityError:
            return False  # another worker made the first claim at the same moment
