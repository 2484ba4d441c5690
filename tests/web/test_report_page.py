"""The /report form, driven in headless Chromium at a phone's size against a real web-app process
(Rasa is not needed: a report goes straight to casework). The case it opens is checked in the
database and through the JSON API with a token from `python -m casework tokens create`."""
from __future__ import annotations

import http.client
import json
import re
import secrets
import sqlite3
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from service.database import make_engine
from service.migrate import upgrade_engine
from service.settings import ROOT
from tests.service_stack import web_alone

REFERENCE = re.compile(r"^WC-\d{5,6}$")
# A phone held upright (an iPhone 12-15's CSS pixels): the size most reporters will use.
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
BURST = 10
# Who runs the service, as a council would configure it (an ampersand, to see it escaped, not dropped).
HEADER = {"SERVICE_NAME": "Wirral Connects", "COUNCIL_NAME": "Wirral Council",
          "SERVICE_CONTACT": "Call 0151 606 2020 & ask for the connector team"}
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@dataclass
class Web:
    url: str
    database: Path
    env: dict[str, str]

    def rows(self, query: str, *args: object) -> list[tuple]:
        with sqlite3.connect(self.database) as conn:
            return conn.execute(query, args).fetchall()

    def casework(self, *args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "casework", *args], env=self.env, cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout


@contextmanager
def running_web(folder: Path, database: Path, **changes: str) -> Iterator[Web]:
    """The web app alone, as a real process (no Rasa: the form does not need it)."""
    settings: dict[str, str | None] = {
        "DATABASE_URL": f"sqlite:///{database}",
        "PHONE_HASH_KEY": "test-hash-key",
        "PHONE_ENCRYPTION_KEY": "test-encryption-key",
        "WEBCHAT_SECRET": "test-secret",
        "RASA_TURNS_TOKEN": "test-rasa-turns-token",
        "ACTIONS_TOKEN": "test-actions-token",
        # A burst of 10 (the default is 5): the browser tests all come from 127.0.0.1 and send several.
        "REPORT_RATE_LIMIT": f"3,{BURST}",
        **changes,
        # Not set: a dry-run outbox, and the page's own address as its origin.
        "PUBLIC_BASE_URL": None, "TWILIO_ACCOUNT_SID": None, "SMTP_URL": None,
    }
    with web_alone(folder, settings, ready="/report") as stack:
        yield Web(stack.web_url, database, stack.env)


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    folder = tmp_path_factory.mktemp("report-form")
    database = folder / "app.db"
    engine = make_engine(f"sqlite:///{database}")
    upgrade_engine(engine)
    engine.dispose()
    with running_web(folder, database, **HEADER) as site:
        site.casework("connectors", "add", "--name", "Jo Connector", "--phone", "07700 900001", "--email", "jo@council.example",
                      "--patch", "CH41 CH44")
        yield site



@pytest.fixture
def phone(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(**PHONE)
    yield context
    context.close()


def fill_report(page: Page, *, worry: str = "Hasn't opened his curtains in three days and his milk is still on the step") -> None:
    page.get_by_label("Who are you worried about?").fill("Mr Jones at number 12")
    page.get_by_label("Street or address").fill("12 Laird Street")
    page.get_by_label("Postcode, if you know it").fill("ch41 8ab")
    page.get_by_label("What worries you?").fill(worry)
    page.get_by_label("Today", exact=True).check()
    page.get_by_role("group", name="Do they know you are telling us?").get_by_label("No", exact=True).check()
    page.get_by_label("I am their neighbour").check()
    page.get_by_label("Your phone number or email address").fill("07700 900555")
    page.get_by_label("Tell me when it has been looked into").check()


def fits_the_screen(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def test_a_report_opens_a_case_that_the_api_shows(web: Web, phone: BrowserContext) -> None:
    page = phone.new_page()
    page.goto(web.url + "/report")
    expect(page.locator("h1")).to_have_text("Tell us about someone you are worried about")
    assert fits_the_screen(page)
    fill_report(page)
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("h1")).to_have_text("Thank you. Your report has been sent")
    reference = page.locator("#reference").inner_text()
    assert REFERENCE.match(reference)
    expect(page.locator("#next")).to_contain_text("will pick up your report by")
    expect(page.locator("#next")).to_contain_text(re.compile(r"\d{1,2}:\d{2}(am|pm) (today|on \w+day \d{1,2} \w+)"))
    expect(page.locator("main")).to_contain_text("We will text you when it has been looked into")
    expect(page.locator("main")).to_contain_text("call 999")
    assert fits_the_screen(page)

    [(priority, area, source, kind)] = web.rows(
        "SELECT priority, area, source, subject_kind FROM case_record WHERE reference = ?", reference)
    assert (priority, area, source, kind) == ("high", "CH41", "report", "third_party")
    [(channel, relationship, urgency, knows, answer, notify, sealed, street, postcode, district)] = web.rows(
        "SELECT channel, reporter_relationship, urgency, person_knows, person_knows_answer, notify_on_close, who_encrypted, "
        "street_encrypted, postcode_encrypted, report.area FROM report "
        "JOIN case_record ON case_record.id = report.case_id WHERE reference = ?", reference)
    assert (channel, relationship, urgency, knows, answer, notify, district) == ("web_form", "neighbour", "today", 0, "no", 1, "CH41")
    assert "Jones" not in sealed
    # The full address is kept for the visit, sealed: neither the street nor the postcode is in the clear.
    assert street and postcode and "Laird" not in street and "8AB" not in postcode.upper()
    assert web.rows("SELECT count(*) FROM report WHERE postcode_encrypted LIKE '%8AB%' OR street_encrypted LIKE '%Laird%'") == [(0,)]

    token = web.casework("tokens", "create", "--name", "report-test", "--scope", "cases").strip().splitlines()[-1]
    request = urllib.request.Request(f"{web.url}/api/cases/{reference}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        case = json.loads(reply.read())
    assert (case["reference"], case["state"], case["priority"], case["area"], case["acknowledged_by"]) == (
        reference, "new", "high", "CH41", None)
    assert {(a["to"], a["channel"]) for a in case["alerts"]} == {("Jo Connector", "sms"), ("Jo Connector", "email")}
    assert "Jones" not in json.dumps(case) and "curtains" not in json.dumps(case)


def test_a_missing_answer_is_shown_beside_its_field_and_nothing_typed_is_lost(web: Web, phone: BrowserContext) -> None:
    page = phone.new_page()
    page.goto(web.url + "/report")
    fill_report(page, worry="")
    page.get_by_role("button", name="Send report").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".summary")).to_contain_text("Tell us what worries you")
    expect(page.locator("#worry-error")).to_have_text("Error: Tell us what worries you")
    expect(page.get_by_label("What worries you?")).to_have_attribute("aria-invalid", "true")
    # Everything else is as they left it.
    expect(page.get_by_label("Who are you worried about?")).to_have_value("Mr Jones at number 12")
    expect(page.get_by_label("Postcode, if you know it")).to_have_value("ch41 8ab")
    expect(page.get_by_label("Today", exact=True)).to_be_checked()
    expect(page.get_by_label("I am their neighbour")).to_be_checked()
    expect(page.get_by_label("Your phone number or email address")).to_have_value("07700 900555")
    expect(page.get_by_label("Tell me when it has been looked into")).to_be_checked()
    page.locator(".summary a").first.click()
    expect(page.get_by_label("What worries you?")).to_be_focused()
    page.get_by_label("What worries you?").fill("Not seen her for a week")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("h1")).to_have_text("Thank you. Your report has been sent")


def test_a_wrong_postcode_or_contact_is_explained(web: Web, phone: BrowserContext) -> None:
    page = phone.new_page()
    page.goto(web.url + "/report")
    fill_report(page)
    page.get_by_label("Postcode, if you know it").fill("CH41 XYZ")
    page.get_by_label("Your phone number or email address").fill("ring the shop")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#postcode-error")).to_contain_text("Enter a postcode like CH41 8AB")
    expect(page.locator("#contact-error")).to_contain_text("Enter a phone number like 07700 900123")
    expect(page.get_by_label("Postcode, if you know it")).to_have_value("CH41 XYZ")


def test_the_form_works_with_javascript_turned_off(web: Web, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False, **PHONE)
    page = context.new_page()
    page.goto(web.url + "/report")
    fill_report(page)
    page.get_by_label("Now: they may be in danger").check()
    page.get_by_label("Your phone number or email address").fill("kim@example.org")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("h1")).to_have_text("Thank you. Your report has been sent")
    reference = page.locator("#reference").inner_text()
    expect(page.locator("main")).to_contain_text("We will email you when it has been looked into")
    # Urgent: ten minutes, which is "today" unless that crosses midnight in London.
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    now = datetime.now(ZoneInfo("Europe/London"))
    due = now + timedelta(minutes=10)
    expect(page.locator("#next")).to_contain_text("today" if due.date() == now.date() else due.strftime("%A"))
    assert web.rows("SELECT priority, lawful_basis FROM case_record WHERE reference = ?", reference) == [("urgent", "vital_interests")]
    context.close()


def test_reloading_the_result_page_opens_no_second_case(web: Web, phone: BrowserContext) -> None:
    page = phone.new_page()
    page.goto(web.url + "/report")
    fill_report(page, worry="The lady at the corner shop has not been in for her paper all week")
    page.get_by_role("button", name="Send report").click()
    reference = page.locator("#reference").inner_text()
    before = web.rows("SELECT count(*) FROM case_record")
    page.reload()  # the browser sends the same form again
    expect(page.locator("#reference")).to_have_text(reference)
    assert web.rows("SELECT count(*) FROM case_record") == before


def post_from(web: Web, address: str, fields: dict[str, str], *, origin: str | None = None) -> tuple[int, str, dict[str, str]]:
    """A form POST from a loopback address of our choosing (each address has its own rate limit)."""
    parts = urllib.parse.urlsplit(web.url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10, source_address=(address, 0))
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if origin != "":  # "": no Origin header at all
        headers["Origin"] = web.url if origin is None else origin
    conn.request("POST", "/report", body=urllib.parse.urlencode(fields), headers=headers)
    reply = conn.getresponse()
    body = reply.read().decode()
    conn.close()
    return reply.status, body, dict(reply.getheaders())


def report_fields(**changes: str) -> dict[str, str]:
    return {"who": "the man across the road", "street": "Church Road", "postcode": "CH44 5TN",
            "worry": "Hasn't opened his curtains in days", "urgency": "soon", "person_knows": "not_sure",
            "relationship": "shop_worker", "form_id": secrets.token_urlsafe(18), **changes}


def test_more_than_a_burst_of_reports_from_one_address_gets_429_and_keeps_the_text(web: Web) -> None:
    answers = [post_from(web, "127.0.0.9", report_fields(who=f"person {n}")) for n in range(BURST + 2)]
    statuses = [status for status, _, _ in answers]
    assert statuses[:BURST] == [200] * BURST, statuses
    assert statuses[BURST:] == [429, 429]
    status, body, headers = answers[BURST]
    assert int(headers["Retry-After"]) >= 1
    assert "wait a minute" in body and f'value="person {BURST}"' in body
    # Another address is not held back by this one.
    assert post_from(web, "127.0.0.10", report_fields())[0] == 200


def test_a_report_posted_from_another_site_is_refused(web: Web) -> None:
    before = web.rows("SELECT count(*) FROM case_record")
    for origin in ("https://evil.example.com", "", "null"):
        status, body, _ = post_from(web, "127.0.0.11", report_fields(), origin=origin)
        assert status == 403 and "send the form again from this page" in body
    assert web.rows("SELECT count(*) FROM case_record") == before


def test_the_same_form_sent_twice_opens_one_case(web: Web) -> None:
    fields = report_fields()
    first, second = (post_from(web, "127.0.0.12", fields) for _ in range(2))
    found = [re.search(r'id="reference">(WC-\d+)<', body) for _, body, _ in (first, second)]
    assert found[0] and found[1] and found[0].group(1) == found[1].group(1)


def test_the_pages_run_no_script_and_cannot_be_framed(web: Web) -> None:
    with urllib.request.urlopen(web.url + "/report", timeout=10) as reply:
        headers, body = reply.headers, reply.read().decode()
    policy = headers["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy and "frame-ancestors 'none'" in policy
    assert headers["X-Frame-Options"] == "DENY" and headers["Cache-Control"] == "no-store"
    assert "<script" not in body


def test_report_and_result_pages_pass_axe_wcag_22_aa(web: Web, browser: Browser) -> None:
    from axe_playwright_python.sync_playwright import Axe  # pinned in requirements.lock: never skipped

    axe = Axe()
    # The pages allow no script at all; axe-core is injected past that policy.
    context = browser.new_context(bypass_csp=True, **PHONE)
    page = context.new_page()
    page.goto(web.url + "/report")
    pages = {"form": axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})}
    page.get_by_role("button", name="Send report").click()  # every answer missing: the error state
    pages["form with errors"] = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    fill_report(page)
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#reference")).to_be_visible()
    pages["result"] = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    page.goto(web.url + "/privacy")
    pages["privacy notice"] = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    context.close()
    for name, results in pages.items():
        assert results.violations_count == 0, f"{name}: {results.generate_report()}"


def test_when_the_report_cannot_be_saved_the_form_comes_back_with_everything(tmp_path: Path) -> None:
    # A database with no tables: every query fails, as when the database is unreachable.
    with running_web(tmp_path, tmp_path / "never-migrated.db") as broken:
        status, body, _ = post_from(broken, "127.0.0.13", report_fields(who="Mrs Patel"))
    assert status == 503
    assert "could not save your report" in body and 'value="Mrs Patel"' in body and "999" in body


def test_not_sure_and_this_week_are_kept_as_chosen(web: Web) -> None:
    status, body, _ = post_from(web, "127.0.0.14", report_fields(who="Mrs Unsure"))
    assert status == 200
    reference = re.search(r'id="reference">(WC-\d+)<', body)
    assert reference
    assert web.rows("SELECT urgency, person_knows, person_knows_answer FROM report JOIN case_record ON case_record.id = "
                    "report.case_id WHERE reference = ?", reference.group(1)) == [("soon", None, "not_sure")]


def test_every_public_page_says_who_runs_the_service(web: Web) -> None:
    pages = {}
    for path in ("/report", "/privacy", "/chat"):
        with urllib.request.urlopen(web.url + path, timeout=10) as reply:
            pages[path] = reply.read().decode()
    pages["/report (sent)"] = post_from(web, "127.0.0.15", report_fields())[1]
    for name, body in pages.items():
        header = re.search(r'<header class="service-header">(.*?)</header>', body, re.S)
        assert header, name
        assert "Wirral Connects" in header[1] and "Run by Wirral Council" in header[1], name
        assert "Call 0151 606 2020 &amp; ask for the connector team" in header[1], f"{name}: the contact line, escaped"
    # The privacy notice keeps its content, under the header.
    for promise in ("How we use your information", "FORGET ME", "STOP", "12 months", "vital interests", "ico.org.uk"):
        assert promise in pages["/privacy"], promise


def test_a_name_is_text_never_markup(tmp_path: Path) -> None:
    database = tmp_path / "app.db"
    engine = make_engine(f"sqlite:///{database}")
    upgrade_engine(engine)
    engine.dispose()
    with running_web(tmp_path, database, SERVICE_NAME="<script>alert(1)</script>", COUNCIL_NAME='Council "&" Co') as site:
        for path in ("/report", "/privacy", "/chat"):
            with urllib.request.urlopen(site.url + path, timeout=10) as reply:
                body = reply.read().decode()
            assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body, path
            assert "Council &#34;&amp;&#34; Co" in body, path
