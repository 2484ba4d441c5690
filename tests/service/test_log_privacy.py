"""No resident's words and no phone number in any log line at INFO or above, Rasa's own included.

The main test runs Rasa 3.6.21's real code path: `MessageProcessor._run_action` calls a `RemoteAction`
whose action server answers like rasa-sdk's exception handler (500, the request it got, i.e. the
whole tracker, in `request_body`), and Rasa logs that with `logger.exception`. One handler without
the filter shows the text really is in the record; the filtered one must not show it.
"""
from __future__ import annotations

import asyncio
import io
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import structlog
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import ClientResponseError, EndpointConfig
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError

from casework.models import InboundMessage
from service import log_privacy
from service.log_privacy import WITHHELD, mask, redact

WORDS = "since Bill died I sit alone all day"
NUMBER = "07700 900123"
SAID = f"{WORDS}, ring me on {NUMBER}"


class ActionServerStandin:
    """Answers /webhook like rasa-sdk does when an action raises (500 + request_body), or 400."""

    def __init__(self, status: int) -> None:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_: object) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if standin.status == 500:  # rasa_sdk.endpoint.create_app's exception_handler
                    body = {"error": f"cannot handle {SAID!r}", "request_body": request}
                else:  # ActionExecutionRejection
                    body = {"error": f"rejected: {SAID}", "action_name": request["next_action"]}
                data = json.dumps(body).encode()
                self.send_response(standin.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.status = status
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/webhook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def logs() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    """(unfiltered, filtered) outputs of two root handlers; the unfiltered one handles each record first."""
    root = logging.getLogger()
    raw, clean = io.StringIO(), io.StringIO()
    raw_handler, clean_handler = logging.StreamHandler(raw), logging.StreamHandler(clean)
    for handler in (raw_handler, clean_handler):
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
        root.addHandler(handler)
    previous_level = root.level
    root.setLevel(logging.INFO)
    privacy = log_privacy.install()
    # The reference handler must see records as Rasa made them: only the last handler filters (pytest's
    # own handlers come first and would clean the shared record), and nothing cleans at creation.
    for handler in root.handlers:
        if handler is not clean_handler:
            handler.removeFilter(privacy)
    logging.setLogRecordFactory(log_privacy._previous_factory)
    try:
        yield raw, clean
    finally:
        log_privacy.uninstall()
        root.removeHandler(raw_handler)
        root.removeHandler(clean_handler)
        root.setLevel(previous_level)


def conversation() -> DialogueStateTracker:
    return DialogueStateTracker.from_events("sms:0123456789abcdef0123456789abcdef", [
        ActionExecuted("action_listen"),
        UserUttered(SAID, {"name": "lonely", "confidence": 0.9}),
    ])


def run_failing_action(status: int) -> None:
    """Rasa's own path: the processor runs a remote action whose server fails."""
    standin = ActionServerStandin(status)
    processor = MessageProcessor.__new__(MessageProcessor)  # only _run_action's collaborators are needed
    processor.domain = Domain.empty()
    try:
        asyncio.run(processor._run_action(
            RemoteAction("action_search_activities", EndpointConfig(standin.url)),
            conversation(),
            CollectingOutputChannel(),
            TemplatedNaturalLanguageGenerator({}),
            PolicyPrediction([], "RulePolicy"),
        ))
    finally:
        standin.close()


def assert_private(text: str) -> None:
    assert WORDS not in text and "Bill died" not in text
    assert "7700900123" not in text.replace(" ", "") and "900123" not in text


def test_a_failed_action_logs_the_whole_tracker_and_the_filter_withholds_it(logs) -> None:
    raw, clean = logs
    run_failing_action(500)

    assert "Encountered an exception while running action 'action_search_activities'" in raw.getvalue()
    assert WORDS in raw.getvalue(), "Rasa really logs the conversation (else this test proves nothing)"
    filtered = clean.getvalue()
    assert "Encountered an exception while running action 'action_search_activities'" in filtered
    assert "ClientResponseError: 500, Internal Server Error, body=" + WITHHELD in filtered
    assert_private(filtered)


def test_a_rejected_action_is_logged_without_the_reply(logs) -> None:
    raw, clean = logs
    run_failing_action(400)
    assert WORDS in raw.getvalue()
    assert "a custom action was rejected by the action server" in clean.getvalue()
    assert_private(clean.getvalue())


def test_rasa_structlog_json_lines_keep_their_keys(logs) -> None:
    """The JSON line rasa/utils/log_utils.py's JSONRenderer makes for rasa/core/http_interpreter.py."""
    _, clean = logs
    line = structlog.processors.JSONRenderer()(None, "error", {"event": "http.parse.text.failure", "text": SAID,
                                                               "response_text": SAID, "level": "error"})
    logging.getLogger("rasa.core.http_interpreter").error(line)
    [output] = clean.getvalue().splitlines()
    logged = json.loads(output.split(" ", 2)[2])
    assert logged == {"event": "http.parse.text.failure", "text": WITHHELD, "response_text": WITHHELD, "level": "error"}


def test_records_for_handlers_added_after_install_are_clean_too() -> None:
    late = io.StringIO()
    handler = logging.StreamHandler(late)
    sanic_errors = logging.getLogger("sanic.error")
    log_privacy.install()
    sanic_errors.addHandler(handler)  # as Sanic does when its server starts
    try:
        sanic_errors.error("Exception occurred while handling uri: %s", {"text": SAID})
    finally:
        sanic_errors.removeHandler(handler)
        log_privacy.uninstall()
    assert "Exception occurred while handling uri" in late.getvalue()
    assert_private(late.getvalue())


def test_debug_lines_are_left_for_developers() -> None:
    record = logging.LogRecord("rasa.core.processor", logging.DEBUG, __file__, 1, "Received user message %r", (SAID,), None)
    assert log_privacy.PrivacyFilter().filter(record) and record.getMessage() == f"Received user message {SAID!r}"


@pytest.mark.parametrize("line, expected", [
    ("Failed to run custom action 'x'. Error: 500, Internal Server Error, body='b\\'{\"tracker\": 1}\\''",
     "Failed to run custom action 'x'. Error: 500, Internal Server Error, body=" + WITHHELD),
    ("ValueError: cannot use {'text': 'hello Bill', 'intent': 'greet'}", "ValueError: cannot use " + WITHHELD),
    ('payload {"events": [{"event": "user", "text": "hi"}]} sent', "payload " + WITHHELD),
    ("http.parse.text text='hello Bill' event_info=x", f"http.parse.text text={WITHHELD} event_info=x"),
    ("call +44 7700 900123 or 07700900123 now", "call ***123 or ***123 now"),
    ("(sqlite3.IntegrityError) UNIQUE [SQL: INSERT INTO x VALUES (?)]\n[parameters: ('secret body',)]\n(Background on this error at: z)",
     "(sqlite3.IntegrityError) UNIQUE [SQL: INSERT INTO x VALUES (?)]\n[parameters withheld]\n(Background on this error at: z)"),
])
def test_redact(line, expected) -> None:
    assert redact(line) == expected


@pytest.mark.parametrize("line", [
    "outbox 12 sent: sms to ***123 (reply, attempt 1)",
    "SMS SM0123456789abcdef0123456789abcdef from ***123 (42 chars)",
    "turn 550e8400-e29b-41d4-a716-446655440000 passed its 8.0s deadline",
    "sender sms:4459372934abc4459372934abc44593729 at 1700000000.123",
    "Circuit breaker tripped. Stopped predicting more actions for sender 'sms:0123456789abcdef0123456789abcdef'.",
    "job outbox: SendReport(sent=3, retried=0, failed=0, expired=0, blocked=0, skipped=0, paused=0, errors=[])",
])
def test_ordinary_lines_are_untouched(line) -> None:
    assert redact(line) == line


def test_sqlalchemy_engines_hide_parameters(app_engine) -> None:
    row = {"channel": "sms", "message_id": "SM1", "sender_id": "sms:x", "state": "received", "body_encrypted": "gAAAA-sealed-body"}
    with app_engine.begin() as conn:
        conn.execute(insert(InboundMessage).values(**row))
    with pytest.raises(IntegrityError) as failure:
        with app_engine.begin() as conn:
            conn.execute(insert(InboundMessage).values(**row))
    assert "sealed-body" not in str(failure.value) and "sms:x" not in str(failure.value)
    assert "hidden due to hide_parameters" in str(failure.value)


def test_client_response_error_text_is_what_rasa_formats() -> None:
    # Guards the pattern above against a Rasa upgrade that changes the message.
    assert "body='" in str(ClientResponseError(500, "Internal Server Error", b"{}"))


def test_mask_shows_only_the_last_digits() -> None:
    assert mask("+447700900123") == "***123"
