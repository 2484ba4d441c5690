"""Nothing lost, and the reply deadline, proven against a private copy of the service whose processes
these tests stop and kill (so not the shared session stack).

The stack runs with SMS_REPLY_DEADLINE_SECONDS=2. A turn is made slow by freezing the action server
with SIGSTOP: Rasa's call to it hangs until SIGCONT. One private stack serves every test here
(starting Rasa costs about a minute of CPU).
"""
from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from casework.residents.identity import sms_sender_id
from tests.channels.test_sms_webhook import reply_text, unique_number
from tests.service_stack import ServiceStack, private_stack
from tests.twilio_signing import post_form, sms_form
from tests.waiting import wait_for

DEADLINE = 2.0
pytestmark = pytest.mark.service


@pytest.fixture(scope="module")
def stack() -> Iterator[ServiceStack]:
    with private_stack(Path(tempfile.mkdtemp(prefix="connector-recovery-")), {"SMS_REPLY_DEADLINE_SECONDS": str(DEADLINE)}) as stack:
        yield stack


@contextlib.contextmanager
def frozen(stack: ServiceStack, name: str) -> Iterator[None]:
    """The process is there (its port accepts connections) but answers nothing until the block ends."""
    pid = stack.processes[name].pid
    os.killpg(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(pid, signal.SIGCONT)


def rows(stack: ServiceStack, query: str, *args: object) -> list[tuple]:
    with sqlite3.connect(stack.database_url.removeprefix("sqlite:///")) as conn:
        return conn.execute(query, args).fetchall()


def replies_to(stack: ServiceStack, number: str) -> list[tuple[str, str]]:
    sender = sms_sender_id(number, key=stack.env["PHONE_HASH_KEY"])
    return rows(stack, "SELECT body, state FROM outbox_message WHERE recipient_sender_id = ? AND purpose = 'reply' ORDER BY id", sender)


def inbound(stack: ServiceStack, sid: str) -> tuple[str, str | None]:
    found = rows(stack, "SELECT state, reply_text FROM inbound_message WHERE message_id = ?", sid)
    return found[0] if found else ("missing", None)


def user_events(stack: ServiceStack, sid: str) -> int:
    with sqlite3.connect(Path(stack.env["VAR_DIR"]) / "rasa-tracker.db") as conn:
        return conn.execute("SELECT count(*) FROM events WHERE type_name = 'user' AND data LIKE ?", (f"%{sid}%",)).fetchone()[0]


def request_waiting_at(port: int) -> bool:
    """Whether a request sits unread on a connection to `port` (its server frozen): the kernel's view,
    /proc/net/tcp, of connections whose local port is `port` with bytes in their receive queue."""
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        for line in table.read_text().splitlines()[1:] if table.exists() else []:
            fields = line.split()
            local_port, state, queues = int(fields[1].rsplit(":", 1)[1], 16), fields[3], fields[4]
            if local_port == port and state == "01" and int(queues.split(":")[1], 16) > 0:  # 01: ESTABLISHED
                return True
    return False


def sent_in_outbox_log(stack: ServiceStack, body: str) -> bool:
    path = Path(stack.env["OUTBOX_PATH"])
    return path.exists() and any(body[:40] in line for line in path.read_text(encoding="utf-8").splitlines())


def send_ignoring_the_dropped_connection(stack: ServiceStack, form: dict[str, str]) -> None:
    with contextlib.suppress(OSError):  # Rasa is killed while this request is open
        post_form(stack, form, timeout=60)


def test_a_turn_past_the_deadline_is_answered_empty_at_once_and_its_reply_comes_by_the_outbox(stack: ServiceStack) -> None:
    number = unique_number()
    post_form(stack, sms_form("hello", sender=number))  # starts the form; the next turn calls the action server
    form = sms_form("I like walking", sender=number)
    with frozen(stack, "actions"):
        started = time.monotonic()
        status, twiml = post_form(stack, form, timeout=60)
        answered_in = time.monotonic() - started
        # The turn cannot finish while the action server is frozen: an answer now is one that did not
        # wait for it (had the webhook waited, post_form would time out). No reply exists yet.
        assert inbound(stack, form["MessageSid"])[1] is None, "the webhook answered before the turn's reply existed"
    print(f"\nwebhook answered a slow turn in {answered_in * 1000:.0f} ms (deadline {DEADLINE:.0f} s)")
    assert status == 200 and reply_text(twiml) == ""

    state, reply = wait_for(lambda: inbound(stack, form["MessageSid"])[0] == "deferred" and inbound(stack, form["MessageSid"]), what="late reply")
    assert reply and "Which area" in reply
    wait_for(lambda: sent_in_outbox_log(stack, reply), what="the worker to send the late reply")
    assert [body for body, _ in replies_to(stack, number)].count(reply) == 1


def test_rasa_killed_mid_turn_loses_nothing_answers_crises_while_down_and_answers_exactly_once_after_restart(stack: ServiceStack) -> None:
    number = unique_number()
    # 1. A turn that finished in Rasa but whose reply was lost (as if killed between Rasa saving the
    #    tracker and the channel recording the answer): the row is put back to "received".
    finished = sms_form("hello", sender=number)
    post_form(stack, finished)
    wait_for(lambda: inbound(stack, finished["MessageSid"])[0] in {"answered", "deferred"}, what="first turn")
    rows(stack, "UPDATE inbound_message SET state = 'received', reply_text = NULL, received_at = datetime('now', '-10 minutes') WHERE message_id = ?",
         finished["MessageSid"])
    greeting_before = len(replies_to(stack, number))

    # 2. A turn in flight when Rasa is killed: the action server is frozen, so the turn is inside Rasa.
    lost = sms_form("I like walking", sender=number)
    with frozen(stack, "actions"):
        request = threading.Thread(target=send_ignoring_the_dropped_connection, args=(stack, lost), daemon=True)
        request.start()
        # a bound on the wait, not a speed asked for: a loaded machine once took more than 10 s to record it (stop 26)
        wait_for(lambda: inbound(stack, lost["MessageSid"])[0] == "received", timeout=30, what="the message to be recorded")
        wait_for(lambda: request_waiting_at(int(stack.env["ACTIONS_PORT"])), timeout=30,
                 what="Rasa's call to the frozen action server (the turn inside Rasa)")
        stack.stop("rasa", signal.SIGKILL)
    request.join(timeout=10)
    wait_for(lambda: inbound(stack, lost["MessageSid"]) == ("waiting", None), timeout=10, what="the lost turn to wait for Rasa")
    assert user_events(stack, lost["MessageSid"]) == 0, "the killed turn left nothing in the tracker"

    # 3. While Rasa is down: a crisis is answered at once; another message is recorded and waits.
    # (It says where they are, so the reply asks nothing and "Wallasey" below is for the bot's question.)
    status, twiml = post_form(stack, sms_form("someone is trying to break in, im at home in wallasey", sender=number))
    assert status == 200 and "999" in reply_text(twiml)
    behind = sms_form("Wallasey", sender=number)
    status, twiml = post_form(stack, behind)
    assert status == 200 and reply_text(twiml) == ""
    assert inbound(stack, behind["MessageSid"]) == ("waiting", None)

    stack.start(("rasa",))
    stack.wait_ready()
    wait_for(lambda: all(inbound(stack, m["MessageSid"])[0] == "deferred" for m in (finished, lost, behind)), what="recovery")
    lost_reply = inbound(stack, lost["MessageSid"])[1]
    greeting = inbound(stack, finished["MessageSid"])[1]
    assert lost_reply and "Which area" in lost_reply
    assert greeting and "What do you enjoy" in greeting
    wait_for(lambda: sent_in_outbox_log(stack, lost_reply) and sent_in_outbox_log(stack, greeting), what="the worker to send both")

    time.sleep(3)  # any second answer would have been queued by now
    bodies = [body for body, _ in replies_to(stack, number)]
    assert len(bodies) == greeting_before + 3, "each waiting message answered exactly once"
    assert user_events(stack, behind["MessageSid"]) == 1
    assert bodies.count(lost_reply) == 1
    assert user_events(stack, lost["MessageSid"]) == 1, "the lost turn was run again exactly once"
    assert user_events(stack, finished["MessageSid"]) == 1, "a finished turn is replayed from the tracker, not run again"
