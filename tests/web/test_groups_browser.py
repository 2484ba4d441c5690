"""Groups people start themselves, in headless Chromium at a phone's size (360 x 740) against a real
`python -m web` on SQLite: the public form (blank, with mistakes, sent), the change page behind the private
link, and the console's list and proposal page through to approval. Every page passes axe-core's WCAG 2.2 AA
rules and does not scroll sideways (tests/web/test_console_browser.py's `check`)."""
from __future__ import annotations

import urllib.parse
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from casework.outbox.messages import OutboxMessage
from casework.proposed_groups.models import ProposedGroup
from directory import find_activities
from tests.web.chromium import PHONE, Timings
from tests.web.console_server import ConsoleServer, console_server
from tests.web.test_console_browser import check, sign_in

JO_PHONE, JO_PASSWORD = "07700 900001", "jo approves the groups at phone size"  # noqa: S105


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder = tmp_path_factory.mktemp("groups-browser")
    with console_server(folder, f"sqlite:///{folder / 'app.db'}", GROUP_RATE_LIMIT="3,20") as running:
        running.add("Jo Wallasey", JO_PHONE, JO_PASSWORD, patch="CH44")
        yield running


@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    # The public pages allow no script at all; axe-core is injected past that policy.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="en-GB", bypass_csp=True)
    yield context
    context.close()


def fill_group(page: Page) -> None:
    page.get_by_label("What is the group called?").fill("Poulton Ukulele Strummers")
    page.get_by_label("What happens there?").fill("We learn easy songs on the ukulele together. Ukuleles to borrow.")
    page.get_by_label("Street or address").fill("Poulton Road")
    page.get_by_label("Postcode").fill("ch44 5tn")
    page.get_by_label("Tuesday").check()
    page.get_by_label("Once a month").check()
    page.get_by_label("First week").check()
    page.get_by_label("What time does it start?").fill("7pm")
    page.get_by_label("What does it cost?").fill("£3")
    page.get_by_label("I agree that the group's details above can be shown").check()
    page.get_by_label("Your name").fill("Sue Lee")
    page.get_by_label("I run it").check()
    page.get_by_label("Your phone number or email address").fill("sue@example.com")


def test_a_group_from_the_form_to_the_directory_at_phone_size(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    page = phone.new_page()
    page.goto(server.url + "/groups/new")
    expect(page.get_by_role("heading", name="Add a group you run")).to_be_visible()
    check(page, timings, "add a group (blank)")
    page.get_by_role("button", name="Send the group").click()
    expect(page.get_by_role("alert")).to_contain_text("Tell us the group's name")
    check(page, timings, "add a group (every mistake)")
    fill_group(page)
    page.get_by_label("What time does it end? (optional)").fill("6pm")
    page.get_by_role("button", name="Send the group").click()
    expect(page.get_by_role("alert")).to_contain_text("The end time must be after the start time")
    expect(page.get_by_label("What is the group called?")).to_have_value("Poulton Ukulele Strummers")
    expect(page.get_by_label("First week")).to_be_checked()
    check(page, timings, "add a group (one mistake)")
    page.get_by_role("link", name="The end time must be after the start time").click()
    expect(page.get_by_label("What time does it end? (optional)")).to_be_focused()
    page.get_by_label("What time does it end? (optional)").fill("9pm")
    page.get_by_role("button", name="Send the group").click()
    reference = page.locator("#reference").inner_text()
    assert reference.startswith("GP-")
    check(page, timings, "group sent")

    console = phone.new_page()
    sign_in(console, server, JO_PHONE, JO_PASSWORD)
    console.get_by_role("link", name="Groups").click()
    expect(console.get_by_role("heading", name="Groups")).to_be_visible()
    expect(console.locator("ul.cases li", has_text=reference)).to_contain_text("Waiting for a decision")
    check(console, timings, "groups (connector)")
    console.get_by_role("link", name=reference).click()
    expect(console.get_by_role("heading", name=f"Group {reference}")).to_be_visible()
    expect(console.get_by_role("link", name="sue@example.com")).to_have_attribute("href", "mailto:sue@example.com")
    check(console, timings, "a proposed group")

    console.locator("summary", has_text="Ask for changes").click()
    console.get_by_label("What should change").fill("Is it the first Tuesday of every month?")
    console.get_by_role("button", name="Send them the link").click()
    expect(console.get_by_role("status")).to_contain_text("emailed a link")
    check(console, timings, "changes asked")
    with server.sessions() as session:
        email = session.scalars(select(OutboxMessage.body).where(OutboxMessage.purpose == "group_changes")).one()
    link = next(line for line in email.splitlines() if "/groups/change/" in line).strip()
    page.goto(server.url + urllib.parse.urlsplit(link).path)
    expect(page.get_by_role("heading", name="Change your group")).to_be_visible()
    expect(page.get_by_text("Is it the first Tuesday of every month?")).to_be_visible()
    check(page, timings, "change your group")
    page.get_by_label("What happens there?").fill("We learn easy songs on the ukulele on the first Tuesday of each month.")
    page.get_by_role("button", name="Send the changes").click()
    expect(page.get_by_role("heading", name="Thank you. Your changes have been sent")).to_be_visible()

    console.reload()
    console.get_by_role("button", name="Approve and list it").click()
    expect(console.get_by_role("status")).to_contain_text("The group is approved")
    expect(console.locator("span.tag", has_text="Approved")).to_be_visible()
    check(console, timings, "an approved group")
    with server.sessions() as session:
        assert session.scalars(select(ProposedGroup.state).where(ProposedGroup.reference == reference)).one() == "approved"
        [found] = find_activities(session, interest="ukulele", near="CH44 5TN")
    assert found.name == "Poulton Ukulele Strummers" and found.when.startswith("First Tuesday")


def test_declining_at_phone_size(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    page = phone.new_page()
    page.goto(server.url + "/groups/new")
    fill_group(page)
    page.get_by_label("What is the group called?").fill("A group to decline")
    page.get_by_role("button", name="Send the group").click()
    reference = page.locator("#reference").inner_text()
    console = phone.new_page()
    sign_in(console, server, JO_PHONE, JO_PASSWORD)
    console.goto(f"{server.url}/console/groups/{reference}")
    console.locator("summary", has_text="Decline it").click()
    console.get_by_label("Why (optional)").fill("Not open to new people")
    console.get_by_label("Yes, decline this group").check()
    console.get_by_role("button", name="Decline it").click()
    expect(console.get_by_role("status")).to_contain_text("The group is declined")
    expect(console.get_by_role("heading", name="Decide")).to_have_count(0)
    check(console, timings, "a declined group")
    console.goto(f"{server.url}/console/groups?state=declined")
    expect(console.locator("ul.cases li", has_text=reference)).to_contain_text("Declined")
    check(console, timings, "groups, declined")
