"""What an erasure removed, as counts: the report jobs.erasure prints, keeps on the `Erasure` row and returns to
the console and the retention purge (never an id, a number or a text)."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["ErasureReport"]


@dataclass
class ErasureReport:
    """What an erasure removed, as counts (never an id, a number or a text)."""

    reference: str
    requested_at: datetime
    erased_at: datetime
    requested_by: str
    reason: str
    residents: int = 0  # sender ids erased
    rows: Counter[str] = field(default_factory=Counter)  # application table -> rows deleted
    minimised: Counter[str] = field(default_factory=Counter)  # table -> rows of kept cases emptied
    cases_deleted: int = 0
    cases_kept: int = 0
    reports_detached: int = 0  # reports they made about someone else: their contact removed
    tracker_events: int = 0
    tracker_stores: int = 0
    outbox_file_lines: int = 0
    spool_lines: int = 0
    provider_copies: int = 0  # Twilio's copies of their texts queued for deletion (casework.privacy.provider_copies)
    compacted: list[str] = field(default_factory=list)  # SQLite files rebuilt

    def counts(self) -> dict[str, object]:
        return {
            "rows": dict(sorted(self.rows.items())), "minimised": dict(sorted(self.minimised.items())),
            "cases_deleted": self.cases_deleted, "cases_kept": self.cases_kept, "reports_detached": self.reports_detached,
            "tracker_events": self.tracker_events, "tracker_stores": self.tracker_stores,
            "outbox_file_lines": self.outbox_file_lines, "spool_lines": self.spool_lines, "provider_copies": self.provider_copies,
            "compacted": self.compacted,
        }

    def lines(self) -> list[str]:
        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{name} {n}" for name, n in sorted(counter.items()) if n) or "none"

        return [
            f"erasure {self.reference} ({self.reason}, by {self.requested_by}): {self.residents} sender id(s)",
            f"application rows deleted: {counts(self.rows)}",
            f"cases deleted: {self.cases_deleted}; kept for safeguarding, minimised: {self.cases_kept} ({counts(self.minimised)})",
            f"reports they made about someone else, their contact removed: {self.reports_detached}",
            f"Rasa tracker store: {self.tracker_events} events deleted in {self.tracker_stores} store(s)",
            f"dry-run outbox file lines removed: {self.outbox_file_lines}; crisis spool records removed: {self.spool_lines}",
            f"Twilio's copies of their texts queued for deletion: {self.provider_copies}",
            f"SQLite files rebuilt: {', '.join(self.compacted) or 'none'}",
        ]
