"""The door-knock form and the outcomes dashboard as people use them: headless Chromium at a phone's size
(360 x 740) against a real `python -m web` on SQLite holding the seeded fortnight. Every page state is
checked with axe-core's WCAG 2.2 AA rules and must not scroll sideways (tests/web/test_console_browser.py)."""
from __future__ import annotations

import csv
import io
import time
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import BrowserContext, expect

from casework.console.access import set_password
from tests.casework.outcomes_seed import TOTALS, seed
from tests.web.chromium import Timings
from tests.web.console_server import ConsoleServer, console_server
from tests.web.test_console_browser import check, sign_in

MANAGER, CONNECTOR = ("07700 900601", "the seed manager's password"), ("07700 900602", "the seed connector's password")
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder = tmp_path_factory.mktemp("outcomes-browser")
    with console_server(folder, f"sqlite:///{folder / 'app.db'}") as running:
        seed(running.sessions, running.settings, phones=(MANAGER[0], CONNECTOR[0]))
        with running.sessions.begin() as session:
            for number, password in (MANAGER, CONNECTOR):
                set_password(session, phone=number, password=password, settings=running.settings)
        yield running


def test_a_connector_logs_a_door_knock_from_their_phone(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    page = phone.new_page()
    sign_in(page, server, *CONNECTOR)
    page.get_by_role("link", name="Door-knocks").click()
    expect(page.get_by_role("heading", name="Log a door-knock")).to_be_visible()
    expect(page.get_by_label("Date")).to_have_value(datetime.now(LONDON).date().isoformat())
    expect(page.get_by_label("Postcode district")).to_have_value("CH41")
    expect(page.get_by_label("Doors answered")).to_have_value("0")
    expect(page.get_by_text("Flat 3 lives alone, would like a visit")).to_be_visible()  # their own earlier session
    check(page, timings, "door-knocks")

    # What a connector on a doorstep types: three counts, then one tap. The 0s start in place.
    started = time.monotonic()
    page.get_by_label("Doors knocked").fill("35")
    page.get_by_label("Doors answered").fill("40")
    page.get_by_label("Conversations").fill("12")
    page.get_by_label("Volunteers signed up").fill("1")
    page.get_by_label("Notes (optional)").fill("Mr Price at 14 would like the lunch club")
    page.get_by_role("button", name="Save the door-knock").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Doors answered cannot be more than doors knocked")
    expect(page.locator("#doors_answered-error")).to_contain_text("Doors answered cannot be more than doors knocked")
    expect(page.get_by_label("Doors answered")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Doors knocked")).to_have_value("35")
    expect(page.get_by_label("Notes (optional)")).to_have_value("Mr Price at 14 would like the lunch club")
    expect(page).to_have_title("Error: Log a door-knock - Connector console")
    check(page, timings, "save (a problem) -> door-knocks")

    summary.get_by_role("link", name="Doors answered cannot be more than doors knocked").click()
    expect(page.get_by_label("Doors answered")).to_be_focused()
    page.get_by_label("Doors answered").fill("20")
    page.get_by_role("button", name="Save the door-knock").click()
    expect(page.get_by_role("status")).to_contain_text("The door-knock is saved")
    typing = time.monotonic() - started
    entry = page.locator(".entries li").first
    expect(entry).to_contain_text("35 doors knocked, 20 answered, 12 conversations")
    expect(entry).to_contain_text("Mr Price at 14 would like the lunch club")
    expect(page.get_by_label("Doors knocked")).to_have_value("")  # a fresh form for the next one
    check(page, timings, "save -> door-knocks")
    timings.pages.append(("fill, fix and save (typed by the test)", typing * 1000))

    response = page.goto(server.url + "/console/outcomes")
    assert response is not None and response.status == 403
    expect(page.get_by_role("link", name="Outcomes")).to_have_count(0)


def test_a_manager_reads_the_outcomes_and_downloads_them(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    page = phone.new_page()
    sign_in(page, server, *MANAGER)
    page.get_by_role("link", name="Outcomes").click()
    expect(page.get_by_role("heading", name="Outcomes", exact=True)).to_be_visible()
    check(page, timings, "outcomes (the last 12 weeks)")

    page.get_by_label("From").fill("2026-01-05")
    page.get_by_label("To").fill("2026-01-18")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_text("From Mon 5 Jan 2026 to Sun 18 Jan 2026.")).to_be_visible()
    figures = page.locator("dl.figures")
    for label, value in (("Residents engaged", TOTALS["residents"]), ("Suggestions made", TOTALS["suggestions"]),
                         ("Cases opened", TOTALS["cases_opened"]), ("Scam cases", TOTALS["scam_cases"]),
                         ("Doors knocked", TOTALS["doors_knocked"]), ("Volunteers recruited", TOTALS["volunteers"]),
                         ("Volunteers ready to help", TOTALS["volunteers_ready"]), ("Befriending matches made", TOTALS["befriending_matches"])):
        expect(figures.locator("div", has=page.locator("dt", has_text=label)).locator("dd")).to_have_text(str(value))
    expect(figures.locator("div", has_text="Median time to acknowledge").locator("dd")).to_have_text("35 minutes")
    charts = page.get_by_role("img")
    expect(charts).to_have_count(8)  # 4 week by week, 3 area by area, the change in loneliness
    for label, value in (("First scores", "2"), ("Followed up", "3"), ("Less lonely eight weeks on", "1"),
                         ("Mean change in score", "-0.67 (less lonely)")):
        expect(figures.locator("div", has=page.locator("dt", has_text=label)).locator("dd")).to_have_text(value)
    by_area = page.get_by_role("table", name="Change in score by area")
    expect(by_area.get_by_role("row")).to_have_count(3)  # the header, CH41, CH42 (CH43's follow-up came the day after)
    expect(by_area.get_by_role("row").nth(1).get_by_role("rowheader")).to_have_text("CH41")
    expect(by_area.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(["1", "0", "1", "-1.00"])
    for region in page.locator(".table-scroll").all():  # a region of its own only as a safety net: at 360 px they fit
        assert region.evaluate("e => e.scrollWidth <= e.clientWidth")
    by_support = page.get_by_role("table", name="Change in score by kind of support")
    expect(by_support.get_by_role("row").nth(1).get_by_role("rowheader")).to_have_text("Went to a group")
    expect(by_support.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(["0", "1", "1", "+0.50"])
    expect(page.get_by_role("img", name="Doors knocked Highest: 40 (week starting Mon 5 Jan 2026).")).to_be_visible()
    check(page, timings, "outcomes (a fortnight)")

    doors = page.get_by_role("figure", name="Doors knocked").first
    doors.locator("summary").click()
    rows = doors.get_by_role("row")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_have_text("Mon 5 Jan 202640")
    check(page, timings, "outcomes, a table open")

    with page.expect_download() as downloading:
        page.get_by_role("link", name="Download these figures (CSV)").click()
    download = downloading.value
    assert download.suggested_filename == "outcomes-2026-01-05-to-2026-01-18.csv"
    with open(download.path(), encoding="utf-8") as saved:
        rows_saved = list(csv.DictReader(io.StringIO(saved.read())))
    assert int(rows_saved[0]["doors_knocked"]) == TOTALS["doors_knocked"] + 0  # the period row
    assert int(rows_saved[0]["cases_opened"]) == TOTALS["cases_opened"]

    page.get_by_label("From").fill("2026-01-18")
    page.get_by_label("To").fill("2026-01-05")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_role("alert")).to_contain_text("The start date must be on or before the end date")
    expect(page.get_by_label("From")).to_have_value("2026-01-18")
    check(page, timings, "outcomes (dates the wrong way round)")

    page.get_by_role("link", name="Last 52 weeks").click()
    expect(page.locator(".period")).to_contain_text(datetime.now(LONDON).strftime("%-d %b %Y"))
    check(page, timings, "outcomes (the last 52 weeks)")


def test_the_period_is_typed_day_first_in_fields_that_fit_a_phone(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    page = phone.new_page()
    sign_in(page, server, *MANAGER)
    page.goto(server.url + "/console/outcomes")
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert width == 360
    boxes = []
    for label in ("From", "To"):
        field = page.get_by_label(label, exact=True)
        expect(field).to_have_attribute("type", "text")
        expect(field).to_have_accessible_description("For example, 27 3 2026")
        box = field.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, (label, box)
        assert box["width"] >= 250, f"{label} is not full width on a phone: {box}"
        boxes.append(box)
    assert boxes[1]["y"] >= boxes[0]["y"] + boxes[0]["height"], "From and To are one under the other"
    assert page.evaluate("() => [...document.querySelectorAll('.dates input')].every(i => i.scrollWidth <= i.clientWidth)")

    page.get_by_label("From", exact=True).fill("5/1/2026")
    page.get_by_label("To", exact=True).fill("18 1 2026")
    page.get_by_role("button", name="Show the figures").click()
    expect(page.get_by_text("From Mon 5 Jan 2026 to Sun 18 Jan 2026.")).to_be_visible()
    expect(page.get_by_label("From", exact=True)).to_have_value("5 1 2026")
    doors = page.locator("dl.figures div", has=page.locator("dt", has_text="Doors knocked")).locator("dd")
    expect(doors).to_have_text(str(TOTALS["doors_knocked"]))
    expect(page.get_by_role("link", name="Download these figures (CSV)")).to_have_attribute(
        "href", "/console/outcomes.csv?from=2026-01-05&to=2026-01-18")
    check(page, timings, "outcomes (typed day first)")

    page.get_by_label("From", exact=True).fill("31 2 2026")
    page.get_by_role("button", name="Show the figures").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("The start date must be a real date: February 2026 has 28 days")
    expect(page.get_by_label("From", exact=True)).to_have_value("31 2 2026")
    expect(page.get_by_label("From", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("To", exact=True)).to_have_value("18 1 2026")
    expect(page).to_have_title("Error: Outcomes - Connector console")
    summary.get_by_role("link").click()
    expect(page.get_by_label("From", exact=True)).to_be_focused()
    box = page.get_by_label("From", exact=True).bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    check(page, timings, "outcomes (a date that does not exist)")
