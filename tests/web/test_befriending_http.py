"""Befriending end to end over signed SMS, through a real `python -m web` on SQLite: a resident asks
for company in their own words, a connector sees the request and its suggested volunteers and proposes
one (console HTTP; and the command line), both agree by text, texts are relayed both ways through the
befriending number with the sender's first name, a crisis in a relayed text gets its numbers and a case
and is not passed on, money asked for is passed on and flagged, END ends it. Neither number ever
appears in a reply, an outbox body, the outbox file, a log line or a page."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from casework.befriending.tables import BefriendingMatch, BefriendingText
from casework.cases.models import Case
from casework.models import Flag
from casework.outbox.messages import OutboxMessage
from casework.residents.identity import sms_sender_id
from casework.texts import render
from tests.web.befriending_journey import (
    BEFRIENDING_NUMBER,
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
from tests.web.console_server import KEYS, ConsoleServer
from tests.web.test_console_http import Client

DORIS, MARGARET, PAT = "+447700900801", "+447700900802", "+447700900803"
JO_PHONE, MO_PHONE = "07700 900001", "07700 900100"
JO_PASSWORD, MO_PASSWORD = "jo finds befrienders", "mo manages befriending"  # noqa: S105


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ConsoleServer]:
    with befriending_server(tmp_path_factory.mktemp("befriending-http")) as running:
        running.add("Jo Wallasey", JO_PHONE, JO_PASSWORD, patch="CH44")
        running.add("Mo Manager", MO_PHONE, MO_PASSWORD, role="manager")
        yield running


def sender(number: str) -> str:
    return sms_sender_id(number, key=KEYS["PHONE_HASH_KEY"])


def test_a_request_a_proposal_agreement_relayed_texts_a_crisis_a_worry_and_end(server: ConsoleServer) -> None:
    replies: list[str] = []
    pages: list[str] = []
    margaret = ready_volunteer(server, MARGARET, "Margaret Quillby", interests="gardening and the crossword")
    ready_volunteer(server, PAT, "Pat Jones", area="CH62", area_label="Heswall")

    # The resident asks for company in their own words, by text to the usual number.
    replies.append(text(server, DORIS, "could someone ring me for a chat now and then? i love my garden. free weekday mornings, im in wallasey"))
    assert render("befriending_requested") in replies[-1]
    [request] = request_of(server)
    with server.sessions() as session:
        case = session.scalars(select(Case).where(Case.sender_id == sender(DORIS))).one()
        assert (case.area, case.source, case.lawful_basis) == ("CH44", "request", "consent")
    assert case.reference in replies[-1]

    # The connector sees it, notes her first name, and sees Margaret suggested first, and why.
    jo = Client(server)
    jo.sign_in(JO_PHONE, JO_PASSWORD)
    status, listing, _ = jo.send("/console/befriending")
    assert status == 200 and request in listing
    pages.append(listing)
    page = f"/console/befriending/{request}"
    token = jo.csrf(page)
    status, _, headers = jo.send(page + "/details", {"csrf": token, "first_name": "Doris", "interests": "gardening",
                                                      "free_times": "weekday mornings", "wants": "call"})
    assert headers["Location"] == page + "?done=befriending_details_saved"
    status, shown, _ = jo.send(page)
    pages.append(shown)
    assert shown.index(margaret) < shown.index("Pat,"), "nearer, shared interests and free times first"
    assert "Both enjoy gardening" in shown and "Same district, CH44" in shown and "Both free: weekdays, mornings" in shown

    # Proposed with the button: both asked 1/2 by text (texting hours are all day here).
    status, _, headers = jo.send(page + "/propose", {"csrf": token, "volunteer": margaret, "shared": "gardening"})
    assert headers["Location"] == page + "?done=match_proposed"
    with server.sessions() as session:
        match = session.scalars(select(BefriendingMatch.reference)).one()
    asked = outbox(server, "befriending")
    assert [to for to, *_ in asked] == [sender(DORIS), sender(MARGARET)]
    assert "Margaret" in asked[0][3] and "Doris" in asked[1][3] and "1 for yes or 2 for no" in asked[0][3]

    replies.append(text(server, DORIS, "1"))
    assert replies[-1] == render("match_yes_waiting", other="Margaret")
    assert match_state(server, match) == "proposed"
    replies.append(text(server, MARGARET, "yes please"))
    assert replies[-1].startswith(render("match_live_reply", other="Doris")), "(her first reply from us: the privacy notice follows)"
    assert match_state(server, match) == "live"
    intros = [row for row in outbox(server, "befriending") if row[2] == BEFRIENDING_NUMBER]
    assert {to for to, *_ in intros} == {sender(DORIS), sender(MARGARET)}, "the first texts come from the befriending number"
    told = [body for to, purpose, _, body in outbox(server) if to and to.startswith("connector:")]
    assert any(match in body and "is live" in body for body in told), "the connector is told"

    # Relayed both ways, with the sender's first name, from the befriending number, a number typed in taken out.
    replies.append(text(server, DORIS, "hello Margaret, ring me on 07700900801 any time", to=BEFRIENDING_NUMBER))
    replies.append(text(server, MARGARET, "Lovely to hear from you Doris!", to=BEFRIENDING_NUMBER))
    relayed = outbox(server, "relay")
    assert [(to, frm) for to, _, frm, _ in relayed] == [(sender(MARGARET), BEFRIENDING_NUMBER), (sender(DORIS), BEFRIENDING_NUMBER)]
    assert relayed[0][3] == "Doris: hello Margaret, ring me on [number taken out] any time"
    assert relayed[1][3] == "Margaret: Lovely to hear from you Doris!"
    with server.sessions() as session:
        sealed = session.scalars(select(OutboxMessage.body).where(OutboxMessage.purpose == "relay")).all()
    assert all("Doris" not in body and "Margaret" not in body for body in sealed), "relayed bodies are sealed"

    # A crisis in a relayed text: its numbers and a case, as anywhere else; not passed on.
    replies.append(text(server, DORIS, "i want to end it all", to=BEFRIENDING_NUMBER))
    assert "116 123" in replies[-1]
    with server.sessions() as session:
        assert session.scalars(select(Case.priority).where(Case.sender_id == sender(DORIS))).one() == "urgent"
        assert session.scalars(select(BefriendingText.outcome).order_by(BefriendingText.id.desc())).first() == "held"
    assert len(outbox(server, "relay")) == 2, "a crisis is not passed on to the volunteer"

    # Money asked for: passed on, flagged, the connector told at once.
    replies.append(text(server, MARGARET, "could you lend me 50 quid till friday", to=BEFRIENDING_NUMBER))
    assert len(outbox(server, "relay")) == 3
    with server.sessions() as session:
        assert session.scalars(select(Flag.reason).where(Flag.sender_id == sender(MARGARET), Flag.reason == "befriending_money")).one()
    assert any("money asked for" in body for to, _, _, body in outbox(server) if to and to.startswith("connector:"))
    status, match_page, _ = jo.send(f"/console/befriending/{match}")
    assert status == 200 and "money asked for" in match_page and "The one ending 0500" in match_page
    pages.append(match_page)

    # END to the match's number: ended for her, the connector told; a later text is not passed on.
    replies.append(text(server, DORIS, "END", to=BEFRIENDING_NUMBER))
    assert replies[-1] == render("relay_end_reply") and match_state(server, match) == "ended"
    assert any("was ended by the resident" in body for to, _, _, body in outbox(server) if to and to.startswith("connector:"))
    replies.append(text(server, MARGARET, "are you there?", to=BEFRIENDING_NUMBER))
    assert replies[-1] == render("relay_ended") and len(outbox(server, "relay")) == 3

    # Proposed again from the command line (the fixed interface): the match's reference is the last line printed.
    printed = casework_cli(server, "matches", "propose", "--resident-phone", DORIS, "--volunteer-phone", PAT)
    again = printed.strip().splitlines()[-1]
    assert again.startswith("BM-") and again != match and match_state(server, again) == "proposed"

    # Nowhere a number: replies, outbox bodies, the outbox file, the web app's log, the pages, the command's output.
    sent = send_outbox(server)
    assert {line["from"] for line in sent if line["purpose"] == "relay"} == {"***500"}, "the befriending number's, masked"
    everything = [*replies, *pages, printed, *(body for *_, body in outbox(server)), *(line["body"] for line in sent),
                  *(line["to"] for line in sent), Path(server.log).read_text()]
    assert leaks([DORIS, MARGARET, PAT], everything) == []


def test_a_request_outside_a_connectors_patch_is_no_such_request(server: ConsoleServer) -> None:
    """Who may see a request is who may see its case (casework.cases.caseload.access)."""
    server.add("Cat Birkenhead", "07700 900002", "cat covers birkenhead", patch="CH41")  # alerted, as the case's patch
    text(server, "+447700900804", "id love a befriender, someone to ring me now and then. im in birkenhead")
    request = request_of(server)[-1]
    jo, cat = Client(server), Client(server)
    jo.sign_in(JO_PHONE, JO_PASSWORD)
    cat.sign_in("07700 900002", "cat covers birkenhead")
    assert jo.send(f"/console/befriending/{request}")[0] == 404, "not Jo's patch: as if it did not exist"
    assert request not in jo.send("/console/befriending")[1]
    status, page, _ = cat.send(f"/console/befriending/{request}")
    assert status == 200 and "CH41" in page
    token = cat.csrf(f"/console/befriending/{request}")
    assert jo.send(f"/console/befriending/{request}/close", {"csrf": token})[0] in (403, 404)
