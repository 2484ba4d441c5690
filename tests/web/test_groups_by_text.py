"""A group proposed by text, over Twilio's real webhook: signed requests (Twilio's RequestValidator) to a real
`python -m web` on SQLite with Rasa stopped (every answer is casework's and never waits for the bot), ending with
the proposal on the console's groups page for the connector whose patch holds it; and LEAVE IT, STOP and a crisis
in the middle, each leaving nothing behind."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from casework.outbox.messages import OutboxMessage
from casework.proposed_groups.models import GroupDraft, ProposedGroup
from casework.texts import render
from tests.web.befriending_journey import text
from tests.web.console_server import ConsoleServer, console_server
from tests.web.test_console_http import Client

KIM_PHONE, KIM_PASSWORD = "07700 900011", "kim covers deal and sandwich"  # noqa: S105
SUE, BOB, ANN, RAY = "+447700900861", "+447700900862", "+447700900863", "+447700900864"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    folder = tmp_path_factory.mktemp("groups-by-text")
    with console_server(folder, f"sqlite:///{folder / 'app.db'}", WORKING_HOURS="Mon-Sun 00:00-24:00") as running:
        running.add("Kim Deal", KIM_PHONE, KIM_PASSWORD, patch="CT14")
        yield running


def drafts(server: ConsoleServer) -> int:
    with server.sessions() as session:
        return len(session.scalars(select(GroupDraft.id)).all())


def proposals(server: ConsoleServer) -> list[ProposedGroup]:
    with server.sessions() as session:
        return list(session.scalars(select(ProposedGroup)))


def test_a_group_texted_in_question_by_question_reaches_the_connectors_groups_page(server: ConsoleServer) -> None:
    first = text(server, SUE, "I run a knitting group in Deal, can you list it?")
    assert first.startswith(render("group_text_start"))  # (then the privacy notice: her first text to us)
    assert text(server, SUE, "Deal Knit and Natter") == render("group_text_about")
    assert text(server, SUE, "We knit, chat and drink tea. Beginners welcome.") == render("group_text_where")
    assert text(server, SUE, "the old library building") == render("group_text_where_again")
    assert text(server, SUE, "St Andrew's church hall, Deal") == render("group_text_when")
    assert text(server, SUE, "tuesdays 2 till 4") == render("group_text_cost")
    assert text(server, SUE, "free") == render("group_text_contact")
    assert text(server, SUE, "this number") == render("group_text_proposer")
    confirm = text(server, SUE, "Sue")
    assert confirm.startswith("Thank you. Reply 1 to send this to the team, or 2 to leave it: Deal Knit and Natter;")
    sent = text(server, SUE, "1")
    [group] = proposals(server)
    assert sent == render("group_text_sent", reference=group.reference)
    assert (group.area, group.state, group.state_changed_by) == ("CT14", "proposed", "group_text") and drafts(server) == 0

    with server.sessions() as session:
        email = session.scalars(select(OutboxMessage).where(OutboxMessage.purpose == "group_proposed")).one()
    assert email.recipient_encrypted == "kim@council.example" and group.reference in email.body and "Sue" not in email.body

    kim = Client(server)
    kim.sign_in(KIM_PHONE, KIM_PASSWORD)
    status, listing, _ = kim.send("/console/groups?state=proposed")
    assert status == 200 and group.reference in listing and "Deal Knit and Natter" in listing
    status, page, _ = kim.send(f"/console/groups/{group.reference}")
    assert status == 200 and "Sue, who runs it" in page and "tel:07700900861" in page
    assert "St Andrew&#39;s church hall, Deal (no postcode yet" in page and "Tuesday, every week, from 14:00 to 16:00" in page
    assert "Contact shown with it</dt><dd>07700 900861" in page

    with sqlite3.connect(server.settings.database_url.removeprefix("sqlite:///")) as conn:
        proposed = " ".join(str(v) for row in conn.execute("SELECT * FROM proposed_group") for v in row)
        inbound = " ".join(str(v) for row in conn.execute("SELECT * FROM inbound_message") for v in row)
        kept = conn.execute("SELECT count(*) FROM inbound_message WHERE body_encrypted IS NOT NULL").fetchone()
    assert "Knit" not in proposed and "Sue" not in proposed and "900861" not in proposed, "sealed"
    assert kept == (0,) and "900861" not in inbound, "her texts kept only until answered, and no reply repeats a number"


def test_leave_it_in_the_middle_keeps_nothing(server: ConsoleServer) -> None:
    before = len(proposals(server))
    assert text(server, BOB, "how do I get my lunch club on your list").startswith(render("group_text_start"))
    assert text(server, BOB, "Deal Lunch Club") == render("group_text_about")
    assert text(server, BOB, "leave it") == render("group_text_left")
    assert drafts(server) == 0 and len(proposals(server)) == before


def test_stop_in_the_middle_opts_out_and_nothing_more_is_asked(server: ConsoleServer) -> None:
    before = len(proposals(server))
    assert text(server, ANN, "we've started a walking group").startswith(render("group_text_start"))
    assert text(server, ANN, "STOP") == ""
    assert text(server, ANN, "Deal Strollers") == "", "nothing is sent to a number that texted STOP"
    assert text(server, ANN, "START") != "", "opted back in"
    assert text(server, ANN, "Deal Strollers") == "", "not an answer any more: it waits for the bot (stopped here)"
    assert drafts(server) == 0 and len(proposals(server)) == before


def test_a_crisis_in_the_middle_gets_its_numbers_and_the_questions_stop(server: ConsoleServer) -> None:
    before = len(proposals(server))
    assert text(server, RAY, "we run a friendship group for over 60s").startswith(render("group_text_start"))
    assert text(server, RAY, "Deal Friends") == render("group_text_about")
    crisis = text(server, RAY, "i want to end it all tonight")
    assert "Samaritans" in crisis and render("group_text_where") not in crisis
    assert text(server, RAY, "tuesdays 2 till 4") == "", "not taken for an answer: it waits for the bot (stopped here)"
    assert drafts(server) == 0 and len(proposals(server)) == before
