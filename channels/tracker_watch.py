"""Make a failing tracker store visible.

Rasa wraps every tracker store in a FailSafeTrackerStore: on a database error it logs a warning and
keeps the conversation in memory, so a resident's conversation could silently stop being saved.
Rasa 3.6 builds that wrapper without an error callback (rasa/core/agent.py); we attach one once the
agent is loaded, so the error is logged loudly and /healthz reports the tracker store as failing.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore

logger = logging.getLogger(__name__)

# How long after the last error the tracker store still counts as failing.
FAILING_FOR_SECONDS = 300.0


@dataclass
class TrackerStoreWatch:
    last_error_at: float | None = None
    last_error: str | None = None

    def attach(self, store: TrackerStore | None) -> bool:
        """Listen to the fail-safe wrapper's errors; False when the store is not wrapped (nothing to watch)."""
        if not isinstance(store, FailSafeTrackerStore):
            return False
        # The callback is a constructor argument Rasa does not pass; setting it afterwards is the only hook.
        store._on_tracker_store_error = self.record
        return True

    def record(self, error: Exception) -> None:
        self.last_error_at = time.monotonic()
        self.last_error = type(error).__name__
        logger.error("tracker store failed (%s): conversations are held in memory until it recovers", self.last_error)

    def failing(self) -> bool:
        return self.last_error_at is not None and time.monotonic() - self.last_error_at < FAILING_FOR_SECONDS


WATCH = TrackerStoreWatch()
