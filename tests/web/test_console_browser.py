"""The console as a connector uses it: headless Chromium at a phone's size (360 x 740) against a real
`python -m web` on SQLite. Every page is checked with axe-core's WCAG 2.2 AA rules, must not scroll
sideways, and its load time is printed (a figure for the notes, not an assertion). /chat too."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy import select

from casework.cases.models import AuditEvent, Case, CaseNote
from casework.cases.reports import ReportDetails, open_report
from tests.web.chromium import PHONE, Timings
from tests.web.console_server import ConsoleServer, console_server

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
JO_PHONE, CAT_PHONE, MO_PHONE = "07700 900001", "07700 900002", "07700 900100"
JO_PASSWORD, CAT_PASSWORD, MO_PASSWORD = "jo knocks on doors all day", "cat covers the CH42 patch", "mo manages the team"  # noqa: S105
LONDON = ZoneInfo("Europe/London")
AXE = Axe()
HEADER = {"SERVICE_NAME": "Wirral Connects", "COUNCIL_NAME": "Wirral Council", "SERVICE_CONTACT": "Call 0151 606 2020"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder = tmp_path_factory.mktemp("console-browser")
    with console_server(folder, f"sqlite:///{folder / 'app.db'}", **HEADER) as running:
        running.add("Jo Bloggs", JO_PHONE, JO_PASSWORD, patch="CH41")
        running.add("Cat Second", CAT_PHONE, CAT_PASSWORD, patch="CH42")
        running.add("Mo Manager", MO_PHONE, MO_PASSWORD, role="manager")
        yield running



def check(page: Page, timings: Timings, name: str) -> None:
    """The page as it stands: WCAG 2.2 AA by axe-core, no sideways scrolling on a phone, its load time noted."""
    page.wait_for_load_state("load")
    timings.note(page, name)
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]})
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways at 360 px ({width} px wide)"


def sign_in(page: Page, server: ConsoleServer, phone_number: str, password: str) -> None:
    page.goto(server.url + "/console/login")
    page.get_by_label("Your mobile number").fill(phone_number)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def in_an_hour_local() -> str:
    return (datetime.now(LONDON) + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")


def test_a_connector_works_a_case_from_the_queue_to_closed(server: ConsoleServer, phone: BrowserContext,
                                                           timings: Timings) -> None:
    reference = server.crisis(sender="sms:browser-flow", words="i cant go on, no one would notice if i wasnt here")
    page = phone.new_page()
    page.goto(server.url + "/console/queue")
    expect(page).to_have_url(server.url + "/console/login?next=%2Fconsole%2Fqueue")
    check(page, timings, "sign in")
    sign_in(page, server, JO_PHONE, JO_PASSWORD)

    expect(page.get_by_role("heading", name="My queue")).to_be_visible()
    item = page.locator("ul.cases li", has_text=reference)
    expect(item).to_contain_text("Urgent")
    expect(item).to_contain_text("Waiting to be acknowledged")
    check(page, timings, "sign in -> my queue (POST, scrypt)")

    item.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", name=f"Case {reference}")).to_be_visible()
    expect(page.locator("blockquote")).to_have_text("i cant go on, no one would notice if i wasnt here")
    expect(page.get_by_text("Rule suicidal:end_it")).to_be_visible()
    check(page, timings, "case (new)")

    page.get_by_role("button", name="Acknowledge: I will take this case").click()
    expect(page.get_by_role("status")).to_contain_text("You have acknowledged this case")
    check(page, timings, "acknowledge -> case")

    page.get_by_label("Date and time of the visit").fill(in_an_hour_local())
    page.get_by_role("button", name="Plan the visit").click()
    expect(page.get_by_role("status")).to_contain_text("The visit is planned")
    check(page, timings, "plan a visit -> case")

    page.get_by_label("What happened (optional)").fill("Visited. Talked for an hour; she would like the Tuesday lunch club.")
    page.get_by_role("button", name="Record the visit as done now").click()
    expect(page.get_by_role("status")).to_contain_text("The visit is recorded")

    page.locator("summary", has_text="Add a note").click()
    page.get_by_label("Note", exact=True).fill("Lunch club rang back: a place from next week.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_role("status")).to_contain_text("Your note is added")
    expect(page.locator(".note-text").last).to_have_text("Lunch club rang back: a place from next week.")
    check(page, timings, "add a note -> case")

    page.get_by_label("Supported: connected to help, groups or activities").check()
    # Closing needs its confirmation: the browser asks for the tick, and the server refuses a close without it.
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_label("Yes, close this case")).not_to_be_checked()
    csrf = page.locator("input[name=csrf]").first.get_attribute("value") or ""
    unconfirmed = page.request.post(f"{server.url}/console/cases/{reference}/close", headers={"Origin": server.url},
                                    form={"csrf": csrf, "outcome": "supported", "text": "closing without the tick"})
    assert unconfirmed.status == 400 and "Nothing was changed" in unconfirmed.text()
    with server.sessions() as session:
        assert session.scalars(select(Case.state).where(Case.reference == reference)).one() == "visited"
    page.get_by_label("Yes, close this case").check()
    page.get_by_role("button", name="Close the case").click()
    expect(page.get_by_role("status")).to_contain_text("The case is closed")
    expect(page.locator("dl.facts")).to_contain_text("Closed: Supported")
    check(page, timings, "close -> case")

    with server.sessions() as session:
        case = session.scalars(select(Case).where(Case.reference == reference)).one()
        assert (case.state, case.outcome) == ("closed", "supported")
        notes = session.scalars(select(CaseNote).where(CaseNote.case_id == case.id)).all()
        events = session.execute(select(AuditEvent.actor, AuditEvent.action).where(AuditEvent.case_reference == reference)
                                 .order_by(AuditEvent.id)).all()
    assert len(notes) == 2 and all("lunch" not in n.text_encrypted.lower() for n in notes), "notes are sealed"
    ours = [action for actor, action in events if actor.startswith("connector:")]
    assert ours[0] == "file_read" and ours.count("file_read") >= 6, "every view of the private part is recorded"
    assert [a for a in ours if a != "file_read"] == ["acknowledged", "visit_planned", "visited", "note_added", "note_added",
                                                      "closed"]
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_contain_text("You have signed out")
    page.goto(server.url + "/console/queue")
    expect(page).to_have_url(server.url + "/console/login?next=%2Fconsole%2Fqueue")


def test_a_manager_sees_all_cases_overdue_alerts_the_rota_and_the_team(server: ConsoleServer, phone: BrowserContext,
                                                                       timings: Timings) -> None:
    cats = server.crisis(sender="sms:browser-manager", area="CH42", words="carers not been since friday", priority="high")
    page = phone.new_page()
    sign_in(page, server, MO_PHONE, MO_PASSWORD)
    expect(page.get_by_role("heading", name="My queue")).to_be_visible()

    page.get_by_role("link", name="All cases").click()
    expect(page.get_by_role("link", name=cats)).to_be_visible()
    check(page, timings, "all cases")
    page.get_by_label("Priority").select_option("urgent")
    page.get_by_role("button", name="Show cases").click()
    expect(page.get_by_role("link", name=cats)).to_have_count(0)
    page.get_by_label("Priority").select_option("high")
    page.get_by_label("Area").fill("ch42")
    page.get_by_role("button", name="Show cases").click()
    expect(page.get_by_role("link", name=cats)).to_be_visible()
    check(page, timings, "all cases, filtered")

    page.get_by_role("link", name=cats).click()
    expect(page.locator("blockquote")).to_have_text("carers not been since friday")
    page.locator("summary", has_text="Assign to a connector").click()
    page.get_by_label("Connector", exact=True).select_option(label="Jo Bloggs (CH41)")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("status")).to_contain_text("The case has been assigned")
    expect(page.locator("dl.facts")).to_contain_text("Jo Bloggs")

    page.get_by_role("link", name="Overdue alerts").click()
    expect(page.get_by_role("heading", name="Overdue alerts")).to_be_visible()
    check(page, timings, "overdue alerts")

    page.get_by_role("link", name="Rota").click()
    check(page, timings, "rota")
    page.get_by_label("Who").select_option(label="Cat Second (connector)")
    start = datetime.now(LONDON).replace(second=0, microsecond=0) + timedelta(days=1)
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT09:00"))
    page.get_by_label("Ends").fill(start.strftime("%Y-%m-%dT17:00"))
    page.get_by_role("button", name="Add the shift").click()
    expect(page.get_by_role("status")).to_contain_text("The shift is added")
    expect(page.locator(".entries")).to_contain_text("Cat Second")
    check(page, timings, "add a shift -> rota")
    page.get_by_role("button", name="Remove Cat Second's shift").click()
    expect(page.get_by_role("status")).to_contain_text("The shift is removed")
    expect(page.get_by_text("No shifts to come")).to_be_visible()

    page.get_by_role("link", name="Connectors").click()
    check(page, timings, "connectors")
    page.get_by_label("Name").fill("Di New")
    page.get_by_label("Mobile number").fill("07700 900004")
    page.get_by_label("Email").fill("di@council.example")
    page.get_by_label("Patch").fill("ch43")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The connector is added")
    expect(page.locator(".entries")).to_contain_text("Di New")
    page.get_by_role("button", name="Deactivate Di New").click()
    expect(page.get_by_role("status")).to_contain_text("deactivated")
    expect(page.locator(".entries li", has_text="Di New")).to_contain_text("(deactivated)")

    page.get_by_label("Name").fill("Ed Again")
    page.get_by_label("Mobile number").fill("07700 900004")
    page.get_by_label("Email").fill("ed@council.example")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("already exists")
    check(page, timings, "add (refused) -> connectors")

    page.get_by_role("link", name="A resident's data").click()
    expect(page.locator("h1")).to_have_text("A resident's data")
    check(page, timings, "a resident's data")
    page.get_by_label("Their mobile number").last.fill("07700 900999")
    page.get_by_label("Type ERASE to confirm").fill("no")
    page.get_by_role("button", name="Erase").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was erased")
    check(page, timings, "erase (not confirmed) -> a resident's data")
    page.get_by_role("link", name="Audit log").click()
    expect(page.locator("h1")).to_have_text("Audit log")
    check(page, timings, "audit log")


def test_a_connector_does_not_see_manager_pages(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    page = phone.new_page()
    sign_in(page, server, CAT_PHONE, CAT_PASSWORD)
    expect(page.get_by_role("link", name="Rota")).to_have_count(0)
    response = page.goto(server.url + "/console/rota")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="That was not allowed")).to_be_visible()
    check(page, timings, "not allowed")
    response = page.goto(server.url + "/console/cases/WC-00000")
    assert response is not None and response.status == 404
    check(page, timings, "not found")


def test_five_wrong_passwords_lock_the_account(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    server.add("Lee Locked", "07700 900005", "lee's real password is long")
    page = phone.new_page()
    for attempt in range(5):
        sign_in(page, server, "07700 900005", f"not the password {attempt}")
        expect(page.get_by_role("alert")).to_contain_text("do not match" if attempt < 4 else "Too many wrong tries")
    check(page, timings, "5th wrong password -> sign in")
    sign_in(page, server, "07700 900005", "lee's real password is long")
    expect(page.get_by_role("alert")).to_contain_text("Too many wrong tries. Sign-in is locked until")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert not any(c["name"] == "console_session" for c in phone.cookies())


def test_a_post_without_the_csrf_token_is_refused(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    reference = server.crisis(sender="sms:browser-csrf", words="got no gas and no food till my pension")
    page = phone.new_page()
    sign_in(page, server, JO_PHONE, JO_PASSWORD)
    page.goto(f"{server.url}/console/cases/{reference}")
    page.locator("summary", has_text="Add a note").click()
    page.get_by_label("Note", exact=True).fill("this should never be saved")
    # What a forged form would lack: the session's token (the browser still sends our Origin and cookie).
    page.evaluate("() => document.querySelectorAll('input[name=csrf]').forEach(field => field.remove())")
    with page.expect_response(f"{server.url}/console/cases/{reference}/note") as answer:
        page.get_by_role("button", name="Add the note").click()
    assert answer.value.status == 403
    expect(page.get_by_role("heading", name="That was not allowed")).to_be_visible()
    with server.sessions() as session:
        case_id = session.scalars(select(Case.id).where(Case.reference == reference)).one()
        assert session.scalars(select(CaseNote).where(CaseNote.case_id == case_id)).all() == []
    refused = page.request.post(f"{server.url}/console/cases/{reference}/acknowledge", form={"csrf": "x"})
    assert refused.status == 403


def test_the_chat_page_passes_axe_at_phone_size(server: ConsoleServer, phone: BrowserContext, timings: Timings) -> None:
    page = phone.new_page()
    page.goto(server.url + "/chat")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check(page, timings, "/chat")


def test_the_public_pages_say_who_runs_the_service_and_pass_axe(server: ConsoleServer, browser: Browser, timings: Timings) -> None:
    # /report and /privacy allow no script at all: axe-core is injected past that policy.
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2, locale="en-GB",
                                  bypass_csp=True)
    page = context.new_page()
    for path in ("/chat", "/report", "/privacy"):
        page.goto(server.url + path)
        header = page.locator("header.service-header")
        expect(header).to_contain_text("Wirral Connects")
        expect(header).to_contain_text("Run by Wirral Council")
        expect(header).to_contain_text("Call 0151 606 2020")
        check(page, timings, path)
    context.close()


def test_a_report_shows_its_address_and_answers_only_to_who_may_see_it(server: ConsoleServer, phone: BrowserContext,
                                                                     timings: Timings) -> None:
    with server.sessions.begin() as session:
        reference = open_report(session, settings=server.settings, actor="report_form", report=ReportDetails(
            relationship="shop_worker", who="Mr Jones at number 12", street="12 Laird Street", postcode="ch41 8ab",
            worry="Not been in for his paper all week", urgency="soon", person_knows_answer="not_sure")).reference
    page = phone.new_page()
    sign_in(page, server, JO_PHONE, JO_PASSWORD)  # CH41 is Jo's patch: Jo may see it
    page.goto(f"{server.url}/console/cases/{reference}")
    report = page.locator("h2", has_text="The report").locator("xpath=following-sibling::dl[1]")
    expect(report).to_contain_text("Address12 Laird Street, CH41 8AB")
    expect(report).to_contain_text("How soon to check on themThis week")
    expect(report).to_contain_text("Do they know about the reportNot sure")
    # Each alert has one state, in words, labelled apart from its times.
    alert = page.locator("h2", has_text="Alerts").locator("xpath=following-sibling::ul[1]/li").first
    expect(alert.locator("dl.alert-facts div", has_text="State")).to_have_count(1)
    expect(alert.locator("dl.alert-facts")).to_contain_text("StateWaiting to be sent")
    expect(alert).not_to_contain_text("queued")
    check(page, timings, "case (a report)")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, server, CAT_PHONE, CAT_PASSWORD)  # CH42 only, never alerted: not Cat's to see
    answer = page.goto(f"{server.url}/console/cases/{reference}")
    assert answer is not None and answer.status == 404
    expect(page.locator("main")).not_to_contain_text("Laird")
    expect(page.locator("main")).not_to_contain_text("8AB")


def test_the_stylesheet_is_served_from_the_console_itself(server: ConsoleServer, phone: BrowserContext) -> None:
    page = phone.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server.url + "/console/login")
    page.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(server.url) for url in requested), requested
