"""The safety screen with both layers: the named rules (casework.safety.rules_layer), then the learned model
(casework.safety.model), which may raise a text the rules passed over and never lowers one.

It never depends on Rasa, the action server or the database. If the model cannot be loaded (its
files are missing or unreadable) or fails on a text, the rules still decide: the error is logged
once, and `status` says "failing" so /healthz shows `safety_model: failing`.
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path

from casework.safety.decisions import Screening
from casework.safety.model import HEAD_FILE, ModelUnavailable, SafetyModel
from casework.safety.rules_layer import screen

__all__ = ["SafetyScreen", "shared_screen"]

logger = logging.getLogger(__name__)


class SafetyScreen:
    def __init__(self, model: SafetyModel | None, *, problem: str | None = None) -> None:
        self.model = model
        self.problem = problem
        self._told = False
        self._lock = threading.Lock()

    @classmethod
    def load(cls, head_path: Path = HEAD_FILE, encoder_dir: Path | None = None) -> SafetyScreen:
        """Both layers, or the rules alone (logged once) when the model cannot load; never raises."""
        try:
            return cls(SafetyModel.load(head_path, encoder_dir))
        except ModelUnavailable as problem:
            logger.error("safety screen: the learned layer could not load, the rules alone decide: %s", problem)
            return cls(None, problem=str(problem))

    @property
    def status(self) -> str:
        """ok (both layers) or failing (the rules alone)."""
        return "ok" if self.model is not None and self.problem is None else "failing"

    def __call__(self, text: str) -> Screening:
        rules = screen(text)
        if self.model is None:
            return rules
        try:
            return self.model.raise_screening(rules, text)
        except Exception as problem:  # fail safe to the rules; never the message's words in the log
            with self._lock:
                self.problem = f"{type(problem).__name__}: {problem}"
                if not self._told:
                    self._told = True
                    logger.exception("safety screen: the learned layer failed; the rules alone decide until it is fixed")
            return rules


_shared: SafetyScreen | None = None
_shared_lock = threading.Lock()


def shared_screen() -> SafetyScreen:
    """One screen per process (the encoder's weights are loaded once)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = SafetyScreen.load()
        return _shared
