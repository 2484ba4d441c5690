"""The volunteers' pages as a connector and a manager use them: headless Chromium at a phone's size
(360 x 740) against a real `python -m web` on SQLite. Every page and state is checked with axe-core's
WCAG 2.2 AA rules and must not scroll sideways (tests/web/test_console_browser.py's `check`)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import select

from casework.cases.models import Volunteer
from casework.good_neighbours.sign_up import VolunteerOffer, sign_up_volunteer
from casework.good_neighbours.texting import sender_for_number
from tests.web.chromium import Timings
from tests.web.console_server import ConsoleServer, console_server
from tests.web.test_console_browser import check, sign_in

JO_PHONE, MO_PHONE = "07700 900001", "07700 900100"
JO_PASSWORD, MO_PASSWORD = "jo rings every new volunteer", "mo approves the good neighbours"  # noqa: S105


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder = tmp_path_factory.mktemp("console-volunteers-browser")
    with console_server(folder, f"sqlite:///{folder / 'app.db'}") as running:
        running.add("Jo Wallasey", JO_PHONE, JO_PASSWORD, patch="CH44")
        running.add("Mo Manager", MO_PHONE, MO_PASSWORD, role="manager")
        yield running


def sign_up(server: ConsoleServer, number: str, name: str, roles: tuple[str, ...]) -> str:
    with server.sessions.begin() as session:
        sender = sender_for_number(session, number, server.settings)
        offer = VolunteerOffer(name, "Wallasey", "CH44", "weekday mornings, not Fridays", roles, "sms", sender)
        return sign_up_volunteer(session, offer=offer, settings=server.settings).reference


def state_of(server: ConsoleServer, reference: str) -> str:
    with server.sessions() as session:
        return session.scalars(select(Volunteer.state).where(Volunteer.reference == reference)).one()


def test_from_sign_up_to_ready_at_phone_size(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    reference = sign_up(server, "+447700900801", "Margaret Quillby", ("befriending_calls", "visits"))
    page = phone.new_page()
    sign_in(page, server, JO_PHONE, JO_PASSWORD)
    page.get_by_role("link", name="Volunteers").click()
    expect(page.get_by_role("heading", name="Volunteers")).to_be_visible()
    expect(page.locator("ul.cases li", has_text=reference)).to_contain_text("Applied")
    check(page, timings, "volunteers (connector)")

    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name=f"Volunteer {reference}")).to_be_visible()
    expect(page.get_by_text("Margaret Quillby")).to_be_visible()
    expect(page.get_by_role("link", name="+447700900801")).to_have_attribute("href", "tel:+447700900801")
    expect(page.get_by_text("Record checks")).to_have_count(0)
    check(page, timings, "a volunteer (applied)")

    page.locator("summary", has_text="Their interests and when they are free").click()
    page.get_by_label("Interests").fill("gardening and the crossword")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Their details are saved")
    page.get_by_role("button", name="Move to training").click()
    expect(page.get_by_role("status")).to_contain_text("They are in training")
    expect(page.locator("ol.entries li").first).to_contain_text("waiting for their answer")
    check(page, timings, "move to training -> volunteer")

    manager = phone.new_page()
    phone.clear_cookies()
    sign_in(manager, server, MO_PHONE, MO_PASSWORD)
    manager.goto(f"{server.url}/console/volunteers/{reference}")
    check(manager, timings, "a volunteer (in training, manager)")
    manager.get_by_label("Date the references were seen").fill("30 2 2026")
    manager.get_by_role("button", name="Record the checks").click()
    expect(manager.get_by_role("alert")).to_contain_text("has no such day")
    check(manager, timings, "checks with a wrong date")
    manager.get_by_label("Date the references were seen").fill("2 11 2026")
    manager.get_by_label("Date the DBS check was seen").fill("3/11/2026")
    manager.get_by_role("button", name="Record the checks").click()
    expect(manager.get_by_role("status")).to_contain_text("The checks are recorded")
    manager.get_by_role("button", name="Approve").click()
    expect(manager.get_by_role("status")).to_contain_text("ready once their training is complete")
    manager.locator("summary", has_text="Training done another way").click()
    manager.get_by_role("button", name="Record their training as complete").click()
    expect(manager.get_by_role("status")).to_contain_text("They are ready to help")
    assert state_of(server, reference) == "ready"
    check(manager, timings, "a volunteer (ready)")

    manager.get_by_role("button", name="Pause").click()
    expect(manager.get_by_role("status")).to_contain_text("They are paused")
    check(manager, timings, "a volunteer (paused)")
    manager.get_by_role("button", name="Resume: back to where they were").click()
    expect(manager.get_by_role("status")).to_contain_text("They are back, ready to help")

    manager.goto(f"{server.url}/console/volunteers?state=ready")
    expect(manager.locator("ul.cases li", has_text=reference)).to_contain_text("Ready")
    check(manager, timings, "volunteers, ready (manager)")


def test_marking_someone_left_at_phone_size(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    reference = sign_up(server, "+447700900802", "Pat", ("befriending_calls",))
    page = phone.new_page()
    sign_in(page, server, JO_PHONE, JO_PASSWORD)
    page.goto(f"{server.url}/console/volunteers/{reference}")
    page.locator("summary", has_text="They have left").click()
    page.get_by_role("button", name="Record that they have left").click()
    expect(page.get_by_label("Yes, they have left")).not_to_be_checked()  # the browser asks for the tick first
    assert state_of(server, reference) == "applied"
    page.get_by_label("Yes, they have left").check()
    page.get_by_role("button", name="Record that they have left").click()
    expect(page.get_by_role("status")).to_contain_text("They are recorded as having left")
    expect(page.get_by_role("heading", name="What to do")).to_have_count(0)
    check(page, timings, "a volunteer (left)")
