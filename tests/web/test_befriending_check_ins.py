"""A befriending match's check-in end to end: a real `python -m web` on SQLite, a match made live over signed SMS,
time moved on past two weeks, the worker's job texting both sides "how is it going?" from the usual number, the
volunteer's 1 and the resident's 3 answered over signed SMS, the connector told of the problem at once, and the
match's page in Chromium at a phone's size (360 x 740) showing both answers with their dates, the problem plainly
marked, passing axe (WCAG 2.2 AA) and showing no one's number."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import BrowserContext, expect
from sqlalchemy import select

from casework.befriending.tables import BefriendingCheckIn, BefriendingMatch
from casework.models import Resident
from casework.residents.identity import sms_sender_id
from casework.texts import render
from jobs.match_check_ins import send_due_match_check_ins
from tests.web.befriending_journey import (
    befriending_server,
    casework_cli,
    leaks,
    match_state,
    outbox,
    ready_volunteer,
    request_of,
    send_outbox,
    text,
)
from tests.web.chromium import Timings
from tests.web.console_server import KEYS, ConsoleServer
from tests.web.test_console_browser import check, sign_in
from tests.web.test_console_http import Client

DORIS, MARGARET = "+447700900821", "+447700900822"
JO_PHONE, JO_PASSWORD = "07700 900001", "jo checks in on matches"  # noqa: S105


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    with befriending_server(tmp_path_factory.mktemp("befriending-check-ins")) as running:
        running.add("Jo Wallasey", JO_PHONE, JO_PASSWORD, patch="CH44")
        yield running


def sender(number: str) -> str:
    return sms_sender_id(number, key=KEYS["PHONE_HASH_KEY"])


def fifteen_days_on(server: ConsoleServer, reference: str) -> None:
    """Time moves on: the match went live fifteen days ago, its first check-ins were due a day ago, and neither
    side has texted us since (the worker's job then runs at the real clock, as the intake answers at it)."""
    back = timedelta(days=15)
    with server.sessions.begin() as session:
        match = session.scalars(select(BefriendingMatch).where(BefriendingMatch.reference == reference)).one()
        match.live_at -= back
        for row in session.scalars(select(BefriendingCheckIn).where(BefriendingCheckIn.match_id == match.id)):
            row.due_at -= back
        for resident in session.scalars(select(Resident).where(Resident.sender_id.in_([sender(DORIS), sender(MARGARET)]))):
            resident.last_contact_at -= back


def test_the_two_week_check_in_answered_1_and_3_and_shown_on_the_match_page(server: ConsoleServer, phone: BrowserContext,
                                                                           timings: Timings) -> None:
    replies: list[str] = []
    ready_volunteer(server, MARGARET, "Margaret Quillby", interests="gardening")
    replies.append(text(server, DORIS, "could someone ring me for a chat now and then? i love my garden, im in wallasey"))
    jo = Client(server)
    jo.sign_in(JO_PHONE, JO_PASSWORD)
    [request] = request_of(server)
    page = f"/console/befriending/{request}"
    jo.send(page + "/details", {"csrf": jo.csrf(page), "first_name": "Doris", "interests": "gardening", "free_times": "", "wants": "call"})
    match = casework_cli(server, "matches", "propose", "--resident-phone", DORIS, "--volunteer-phone", MARGARET).strip().splitlines()[-1]
    replies.append(text(server, DORIS, "1"))
    replies.append(text(server, MARGARET, "yes please"))
    assert match_state(server, match) == "live"

    # Not yet: the check-ins are two weeks on.
    assert send_due_match_check_ins(server.sessions, server.settings).handled == 0
    fifteen_days_on(server, match)
    assert send_due_match_check_ins(server.sessions, server.settings).handled == 2
    assert send_due_match_check_ins(server.sessions, server.settings).handled == 0, "the job again: nothing twice"
    asked = outbox(server, "befriending_check_in")
    assert [(to, frm) for to, _, frm, _ in asked] == [(sender(DORIS), None), (sender(MARGARET), None)], "from the usual number"
    assert asked[0][3] == render("match_check_in_first", other="Margaret") and asked[1][3] == render("match_check_in_first", other="Doris")
    sent = send_outbox(server)
    assert [line["purpose"] for line in sent].count("befriending_check_in") == 2

    # Their answers, by signed SMS to the usual number (the reply to the check-in's own thread).
    replies.append(text(server, MARGARET, "1"))
    assert replies[-1] == render("match_check_in_thanks_well")
    replies.append(text(server, DORIS, "3"))
    assert replies[-1] == render("match_check_in_thanks_problem")
    with server.sessions() as session:
        answers = session.execute(select(BefriendingCheckIn.side, BefriendingCheckIn.answer).where(BefriendingCheckIn.state == "answered")
                                  .order_by(BefriendingCheckIn.side)).all()
    assert [tuple(a) for a in answers] == [("resident", "problem"), ("volunteer", "well")]
    told = [body for to, _, _, body in outbox(server) if to and to.startswith("connector:")]
    assert any(match in body and "the resident said there is a problem" in body for body in told), "the connector is told"
    assert len(outbox(server, "relay")) == 0, "neither answer was passed on to the other side"

    # The match's page on Jo's phone: both answers with their dates, the problem plainly marked.
    seen: list[str] = []
    browser_page = phone.new_page()
    sign_in(browser_page, server, JO_PHONE, JO_PASSWORD)
    browser_page.goto(f"{server.url}/console/befriending/{match}")
    expect(browser_page.get_by_role("heading", name=f"Befriending match {match}")).to_be_visible()
    expect(browser_page.locator("#check-in-problem")).to_contain_text("A problem was reported at a check-in")
    expect(browser_page.locator("#check-in-problem")).to_contain_text("The resident answered 3, a problem")
    answered = browser_page.locator("ul.cases li")
    expect(answered.filter(has_text="The resident")).to_contain_text("A problem")
    expect(answered.filter(has_text="The resident")).to_contain_text("answered")
    expect(answered.filter(has_text="The volunteer")).to_contain_text("Going well")
    expect(browser_page.get_by_text("Next check-in:")).to_be_visible()
    check(browser_page, timings, "a match with its check-ins")
    seen.append(browser_page.content())
    assert leaks([DORIS, MARGARET], [*replies, *seen, *(body for *_, body in outbox(server)), *(line["body"] for line in send_outbox(server))]) == []
