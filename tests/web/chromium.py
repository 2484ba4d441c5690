"""Debian's Chromium as the browser tests launch it (no network: its background services are switched off),
the phone size every page is checked at, and each page's load time printed as a figure."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
# Chromium's background services try to reach Google; this machine has no network for them.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PHONE = {"width": 360, "height": 740}


class Timings:
    """Each page's load time at phone size, printed with the test's output: from the start of the navigation
    (a link followed, or a form posted and redirected: "action -> page") to the load event."""

    def __init__(self) -> None:
        self.pages: list[tuple[str, float]] = []

    def note(self, page: Page, name: str) -> None:
        load = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                             " return n.loadEventEnd > 0 ? n.loadEventEnd - n.startTime : n.duration; }")
        self.pages.append((name, float(load)))

    def print(self, capsys: pytest.CaptureFixture[str], title: str) -> None:
        with capsys.disabled():
            print(f"\n  page load at 360x740 ({title}):")
            for name, ms in self.pages:
                print(f"    {name:<40} {ms:7.1f} ms")
