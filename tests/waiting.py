"""Waiting for the event itself, not for a length of time.

A test that sleeps a fixed while and then looks, or that times how long something took, fails when
the machine is busy. One that polls for what it expects, with a generous bound, fails only when the
thing never happens, and says what it was waiting for.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(condition: Callable[[], T], timeout: float = 90, what: str = "the condition", *, every: float = 0.1) -> T:
    """Poll `condition` until it returns something true, and return that; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(every)
