"""The public chat page, driven in headless Chromium (Debian's package) with Playwright."""
from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.service_stack import ServiceStack


def say(page: Page, text: str) -> None:
    before = page.locator("#log li.bot").count()
    page.fill("#message", text)
    page.click("#send")
    expect(page.locator("#log li.bot")).not_to_have_count(before, timeout=30_000)
    expect(page.locator("#send")).to_be_enabled(timeout=30_000)


@pytest.mark.service
def test_a_resident_finds_activities_in_the_web_chat(service: ServiceStack, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(service.web_url + "/chat")
    expect(page.locator("h1")).to_contain_text("groups and activities")
    say(page, "hello")
    expect(page.locator("#log")).to_contain_text("What do you enjoy")
    say(page, "knitting")
    expect(page.locator("#log")).to_contain_text("Which area")
    say(page, "Wallasey")
    expect(page.locator("#log li.bot").last).to_contain_text("another interest", timeout=30_000)
    expect(page.locator("#log")).to_contain_text("Contact:")
    page.close()


@pytest.mark.service
def test_two_browsers_are_two_residents_and_cannot_choose_their_id(service: ServiceStack, browser: Browser) -> None:
    first, second = browser.new_context(), browser.new_context()
    tokens = []
    for context in (first, second):
        page = context.new_page()
        page.goto(service.web_url + "/chat")
        cookie = next(c for c in context.cookies() if c["name"] == "chat_token")
        assert cookie["httpOnly"] is True
        tokens.append(cookie["value"])
        context.close()
    assert tokens[0] != tokens[1]


@pytest.mark.service
def test_the_chat_refuses_a_browser_without_a_session(service: ServiceStack) -> None:
    request = urllib.request.Request(
        service.web_url + "/chat/messages",
        data=json.dumps({"message": "hello", "message_id": "abcdefgh1234"}).encode(),
        headers={"Content-Type": "application/json", "Origin": service.web_url},
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
    assert "reload" in json.loads(refused.value.read())["error"]
