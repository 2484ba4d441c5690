"""One headless Chromium per browser-test module of the web app, a phone-sized page context on it, and the
pages' load times printed with each test."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tests.web.chromium import CHROMIUM, CHROMIUM_ARGS, PHONE, Timings


# Module scope: Playwright's sync API keeps an event loop running while it is open, which would break
# later tests that start their own (asyncio.run).
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: run `make browser` (make test does it)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    """A phone's screen (360 x 740, touch, en-GB); a module that needs another context overrides this."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="en-GB")
    yield context
    context.close()


@pytest.fixture
def timings(capsys: pytest.CaptureFixture[str], request: pytest.FixtureRequest) -> Iterator[Timings]:
    found = Timings()
    yield found
    found.print(capsys, request.node.name)
