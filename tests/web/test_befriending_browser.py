"""The befriending pages as a connector uses them: headless Chromium at a phone's size (360 x 740)
against a real `python -m web` on SQLite, the request coming in by signed SMS. Every page and state
passes axe-core's WCAG 2.2 AA rules and does not scroll sideways (tests/web/test_console_browser.py's
`check`), and shows no one's number."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, expect

from tests.web.befriending_journey import BEFRIENDING_NUMBER, befriending_server, leaks, ready_volunteer, request_of, text
from tests.web.chromium import Timings
from tests.web.console_server import ConsoleServer
from tests.web.test_console_browser import check, sign_in

DORIS, MARGARET = "+447700900811", "+447700900812"
JO_PHONE, JO_PASSWORD = "07700 900001", "jo matches good neighbours"  # noqa: S105


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    with befriending_server(tmp_path_factory.mktemp("befriending-browser")) as running:
        running.add("Jo Wallasey", JO_PHONE, JO_PASSWORD, patch="CH44")
        yield running


def test_from_a_request_to_a_live_match_and_its_end_at_phone_size(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    margaret = ready_volunteer(server, MARGARET, "Margaret Quillby", interests="gardening", free="weekday mornings")
    text(server, DORIS, "i would love someone to ring me for a chat now and then, i like gardening, im in wallasey")
    [request] = request_of(server)
    seen: list[str] = []

    page = phone.new_page()
    sign_in(page, server, JO_PHONE, JO_PASSWORD)
    page.get_by_role("link", name="Befriending").click()
    expect(page.get_by_role("heading", name="Befriending")).to_be_visible()
    expect(page.locator("ul.cases li", has_text=request)).to_contain_text("Waiting for a match")
    check(page, timings, "befriending requests")
    seen.append(page.content())

    page.get_by_role("link", name=request).click()
    expect(page.get_by_role("heading", name=f"Befriending request {request}")).to_be_visible()
    expect(page.locator("ol.cases li").first).to_contain_text("Both enjoy gardening")
    check(page, timings, "a request with suggestions")
    page.locator("summary", has_text="What they told you").click()
    page.get_by_label("First name").fill("Doris")
    page.get_by_label("When they are free").fill("weekday mornings")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("What you noted is saved")
    check(page, timings, "details saved -> request")
    page.get_by_role("button", name=f"Propose Margaret, {margaret}").click()
    expect(page.get_by_role("status")).to_contain_text("The match is proposed")
    check(page, timings, "propose -> request")
    seen.append(page.content())

    text(server, DORIS, "yes please")
    text(server, MARGARET, "1")
    text(server, MARGARET, "could you lend me 20 pounds", to=BEFRIENDING_NUMBER)
    page.locator("ul.cases li a.ref").first.click()
    expect(page.locator(".tag.state")).to_have_text("Live")
    expect(page.get_by_text("money asked for")).to_be_visible()
    check(page, timings, "a live match")
    page.locator("summary", has_text="End this match").click()
    page.get_by_role("button", name="End the match").click()
    expect(page.get_by_label("Yes, end this match")).not_to_be_checked()  # the browser asks for the tick first
    page.get_by_label("Yes, end this match").check()
    page.get_by_role("button", name="End the match").click()
    expect(page.get_by_role("status")).to_contain_text("The match has ended")
    check(page, timings, "end -> match")
    seen.append(page.content())
    assert leaks([DORIS, MARGARET], seen) == []
