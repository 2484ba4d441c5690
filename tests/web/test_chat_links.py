"""Phone numbers and web addresses in the web chat's replies are links a phone can tap, made only from known
patterns, never from the reply as HTML. Headless Chromium at 360 x 740 against the real /chat page of a
`python -m web` (no Rasa): the replies are stubbed by intercepting POST /chat/messages."""
from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from channels.responses import render_response
from tests.web.chromium import Timings
from tests.web.console_server import ConsoleServer, console_server
from tests.web.test_console_browser import check

# Each anchor in a reply, as the page made it: (its visible text, href, target, rel).
ANCHORS = """(item) => [...item.querySelectorAll('a')].map(a => {
  const shown = a.cloneNode(true); shown.querySelectorAll('.visually-hidden').forEach(s => s.remove());
  return [shown.textContent, a.getAttribute('href'), a.getAttribute('target'), a.getAttribute('rel')];
})"""
# The reply's text as a reader sees it (without the words only a screen reader hears).
SHOWN_TEXT = """(item) => { const shown = item.cloneNode(true);
  shown.querySelectorAll('.visually-hidden').forEach(s => s.remove()); return shown.textContent; }"""
NEW_TAB = ("_blank", "noopener noreferrer")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder = tmp_path_factory.mktemp("chat-links")
    with console_server(folder, f"sqlite:///{folder / 'app.db'}") as running:
        yield running


def chat_replying(context: BrowserContext, server: ConsoleServer, replies: list[str]) -> Page:
    """The chat page, its messages answered with `replies` (one bot message each)."""
    page = context.new_page()

    def answer(route: Route) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        sent = json.loads(route.request.post_data or "{}")
        route.fulfill(status=200, content_type="application/json",
                      body=json.dumps({"messages": [{"text": text} for text in replies], "pending": False,
                                       "message_id": sent.get("message_id")}))

    page.route("**/chat/messages", answer)
    page.goto(server.url + "/chat")
    return page


def say(page: Page, text: str, replies: int) -> list:
    before = page.locator("#log li.bot").count()
    page.fill("#message", text)
    page.click("#send")
    expect(page.locator("#log li.bot")).to_have_count(before + replies)
    expect(page.locator("#send")).to_be_enabled()
    return [page.locator("#log li.bot").nth(before + n) for n in range(replies)]


def test_phone_numbers_and_web_addresses_in_replies_are_links(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    suicidal = render_response("utter_safety_suicidal", channel=None)
    basic_needs = render_response("utter_safety_basic_needs", channel=None)
    activity = ("Knit and Natter: a friendly group. When: Tuesdays 2pm to 4pm. Where: St Luke's Hall. Cost: free. "
                "Contact: 0151 496 0001 or https://wirral-friendship.example.org/groups/knit?day=tue.")
    others = ("Scams: Report Fraud on 0300 123 2040, Citizens Advice consumer helpline 0808 223 1133 "
              "(www.citizensadvice.org.uk). Or ring Jo on 07700 900123, +44 7700 900124 or (0151) 496 0002; call 101. Tel:0151 496 0003")
    page = chat_replying(phone, server, [suicidal, basic_needs, activity, others])
    items = say(page, "i feel so alone", replies=4)

    assert "116 123" in suicidal and "text SHOUT to 85258" in suicidal  # the copy as the service sends it
    assert items[0].evaluate(ANCHORS) == [
        ["116 123", "tel:116123", None, None],
        ["text SHOUT to 85258", "sms:85258?body=SHOUT", None, None],
        ["NHS 111", "tel:111", None, None],
        ["999", "tel:999", None, None],
    ]
    assert items[1].evaluate(ANCHORS) == [["999", "tel:999", None, None], ["0800 4 70 80 90", "tel:08004708090", None, None]]
    assert items[2].evaluate(ANCHORS) == [
        ["0151 496 0001", "tel:01514960001", None, None],
        ["https://wirral-friendship.example.org/groups/knit?day=tue", "https://wirral-friendship.example.org/groups/knit?day=tue", *NEW_TAB],
    ]
    assert items[3].evaluate(ANCHORS) == [
        ["0300 123 2040", "tel:03001232040", None, None],
        ["0808 223 1133", "tel:08082231133", None, None],
        ["www.citizensadvice.org.uk", "https://www.citizensadvice.org.uk/", *NEW_TAB],
        ["07700 900123", "tel:07700900123", None, None],
        ["+44 7700 900124", "tel:+447700900124", None, None],
        ["(0151) 496 0002", "tel:01514960002", None, None],
        ["101", "tel:101", None, None],
        ["0151 496 0003", "tel:01514960003", None, None],
    ]
    for item, text in zip(items, (suicidal, basic_needs, activity, others), strict=True):
        assert item.evaluate(SHOWN_TEXT) == text  # every character of the reply, in order
    expect(items[2].get_by_role("link", name="https://wirral-friendship.example.org/groups/knit?day=tue (opens in a new tab)")).to_be_visible()

    link = items[0].get_by_role("link", name="116 123")
    style = link.evaluate("(a) => [getComputedStyle(a).textDecorationLine, getComputedStyle(a).color]")
    assert style == ["underline", "rgb(0, 90, 156)"]
    check(page, timings, "/chat, replies with links")
    link.focus()
    check(page, timings, "/chat, a link focused")


def test_numbers_that_are_not_phone_numbers_and_other_addresses_stay_text(server: ConsoleServer, phone: BrowserContext) -> None:
    replies = ["It costs £999 a year, or 1,999 points. Founded in 1999, meets 10:30 to 12:00 on 05/01/2026 (2026-01-05).",
               "Room 101, 111 High Street, CH41 5AB. Reference 0800. Our old site http://insecure.example.org is gone.",
               "Write to ftp://files.example.org or mailto:help@example.org. Order 0151496000123456 is ready.",
               "Say 116 123456 or 9999 or 999999 to test, version 2.999, id x0151 496 0001."]
    page = chat_replying(phone, server, replies)
    items = say(page, "hello", replies=4)
    for item, text in zip(items, replies, strict=True):
        assert item.evaluate(ANCHORS) == [], text
        assert item.evaluate(SHOWN_TEXT) == text
    mine = page.locator("#log li.me").last
    page.fill("#message", "my number is 0151 496 0001, see https://example.org")
    page.click("#send")
    expect(page.locator("#log li.bot")).to_have_count(1 + 8)
    assert mine.locator("a").count() == 0 and page.locator("#log li.me a").count() == 0  # what you typed is never made a link


def test_a_reply_written_as_html_is_shown_as_its_own_words(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    hostile = ['<img src=x onerror="window.pwned=1">Hi <script>window.pwned=2</script>'
               '<a href="javascript:window.pwned=3">call 999</a>',
               'See https://example.org/"><svg onload="window.pwned=4"> or javascript:window.pwned=5 or '
               'https://someone:secret@example.org/ or https://example.org/<iframe src=x> or '
               'data:text/html,<b>bold</b> or www.example.org" onclick="window.pwned=6',
               "&lt;b&gt;not bold&lt;/b&gt; &amp; 0151 496 0001"]
    page = chat_replying(phone, server, hostile)
    items = say(page, "hello", replies=3)
    for item, text in zip(items, hostile, strict=True):
        assert item.evaluate(SHOWN_TEXT) == text
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("#log img, #log script, #log svg, #log iframe, #log b").count() == 0
    assert items[0].evaluate(ANCHORS) == [["999", "tel:999", None, None]]
    assert items[1].evaluate(ANCHORS) == [
        ["https://example.org/", "https://example.org/", *NEW_TAB],
        ["https://example.org/", "https://example.org/", *NEW_TAB],
        ["www.example.org", "https://www.example.org/", *NEW_TAB],
    ]
    assert items[2].evaluate(ANCHORS) == [["0151 496 0001", "tel:01514960001", None, None]]
    for link in page.locator("#log a").all():
        assert link.evaluate("(a) => a.protocol") in ("tel:", "sms:", "https:")
        assert link.evaluate("(a) => a.attributes.length") in (1, 3)  # href, and target and rel: nothing from the reply
    check(page, timings, "/chat, a reply written as HTML")
