"""Replies sent as TwiML: Twilio reports each one's SID to the <Message action> URL, and erasure then
deletes Twilio's copy of it too (casework.privacy.provider_copies).

The web app runs alone as `python -m web` (no Rasa: HELP and FORGET ME are answered without it) with a
Twilio account configured whose API is a local stand-in, so copies are really queued and deleted.
Requests are signed with Twilio's own RequestValidator; erasure and the deleter run in process.
"""
from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import tempfile
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from sqlalchemy.orm import sessionmaker

from casework.residents.identity import sms_sender_id
from channels.twiml import twiml
from jobs.erasure import carry_out_confirmed_erasures, erase_senders
from jobs.provider_copies import ProviderCopyDeleter
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from service.settings import Settings, load_settings
from tests.service_stack import TWILIO_TEST_TOKEN, ServiceStack
from tests.twilio_signing import new_sid, post_form, sign, sms_form
from tests.twilio_standin import TwilioStandin

ACCOUNT_SID = "AC" + "3" * 32
STATUS = "/webhooks/sms/status"


@dataclasses.dataclass
class LiveWeb:
    stack: ServiceStack
    twilio: TwilioStandin
    settings: Settings  # the same configuration, for the erasure and the deleter run here
    sessions: sessionmaker


@pytest.fixture(scope="module")
def web() -> Iterator[LiveWeb]:
    folder = Path(tempfile.mkdtemp(prefix="connector-reply-sids-"))
    with TwilioStandin(account_sid=ACCOUNT_SID, auth_token=TWILIO_TEST_TOKEN) as twilio:
        live = {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_FROM_NUMBER": "+447700900999", "TWILIO_API_BASE": twilio.base_url,
                "CRISIS_SPOOL_PATH": str(folder / "crisis-spool.jsonl")}
        stack = ServiceStack(folder, extra_env=live)
        engine = make_engine(stack.database_url)
        upgrade_engine(engine)
        settings = dataclasses.replace(
            load_settings(), environment="test", database_url=stack.database_url, public_base_url=stack.env["PUBLIC_BASE_URL"],
            phone_hash_key=stack.env["PHONE_HASH_KEY"], phone_encryption_key=stack.env["PHONE_ENCRYPTION_KEY"],
            twilio_account_sid=ACCOUNT_SID, twilio_auth_token=TWILIO_TEST_TOKEN, twilio_from_number=live["TWILIO_FROM_NUMBER"],
            twilio_api_base=twilio.base_url, outbox_path=folder / "outbox.log",
            extra={"VAR_DIR": str(folder), "CRISIS_SPOOL_PATH": live["CRISIS_SPOOL_PATH"]},
        )
        assert not settings.sms_dry_run
        stack.start(("web",))
        try:
            stack.wait_answering("web", "/webhooks/sms/")
            yield LiveWeb(stack, twilio, settings, make_sessionmaker(engine))
        finally:
            stack.stop_all()
            engine.dispose()
    shutil.rmtree(folder, ignore_errors=True)


def rows(web: LiveWeb, query: str, *args: object) -> list[tuple]:
    with sqlite3.connect(web.stack.database_url.removeprefix("sqlite:///")) as conn:
        return conn.execute(query, args).fetchall()


def text(web: LiveWeb, body: str, number: str) -> tuple[str, str, str]:
    """An inbound SMS; its MessageSid, our reply's text and the reply's action URL."""
    form = sms_form(body, sender=number)
    status, twiml = post_form(web.stack, form)
    assert status == 200, twiml
    message = ElementTree.fromstring(twiml).find("Message")
    assert message is not None, twiml
    return form["MessageSid"], message.text or "", message.get("action", "")


NOTHING_MORE = '<?xml version="1.0" encoding="UTF-8"?><Response/>'


def reported(web: LiveWeb, action: str, reply_sid: str, status: str = "sent", *, signature: str | None = None) -> tuple[int, str]:
    """Twilio's report of the reply to the action URL; signed over that URL, query and all."""
    public = web.stack.env["PUBLIC_BASE_URL"]
    assert action.startswith(public + STATUS + "?")
    form = {"MessageSid": reply_sid, "SmsSid": reply_sid, "MessageStatus": status, "AccountSid": ACCOUNT_SID, "To": "+447700900123"}
    return post_form(web.stack, form, path=action.removeprefix(public), signature=signature)


def reply_sid_of(web: LiveWeb, inbound_sid: str) -> list[tuple]:
    return rows(web, "SELECT reply_sid FROM inbound_message WHERE message_id = ?", inbound_sid)


def queued(web: LiveWeb, sid: str) -> list[tuple]:
    return rows(web, "SELECT reason, state FROM provider_copy WHERE message_sid = ?", sid)


def test_a_twiml_reply_names_the_text_it_answers_in_its_action_url(web: LiveWeb) -> None:
    inbound, reply, action = text(web, "HELP", "+447700900601")
    assert "Text STOP to stop" in reply
    assert action == f"{web.stack.env['PUBLIC_BASE_URL']}{STATUS}?reply_to={inbound}"


def test_the_reported_sid_is_kept_with_the_text_and_erasure_deletes_twilios_copy(web: LiveWeb) -> None:
    number = "+447700900602"
    inbound, _, action = text(web, "HELP", number)
    reply = new_sid()
    assert reported(web, action, reply, "sent") == (200, NOTHING_MORE), "Twilio reads the answer as TwiML: send nothing"
    assert reply_sid_of(web, inbound) == [(reply,)]
    assert reported(web, action, reply, "delivered") == (200, NOTHING_MORE), "each status, one SID"
    assert reply_sid_of(web, inbound) == [(reply,)]
    assert rows(web, "SELECT count(*) FROM early_status_callback WHERE provider_sid = ?", reply) == [(0,)], "not an outbox message"

    sender = sms_sender_id(number, key=web.settings.phone_hash_key)
    report = erase_senders([sender], web.settings, requested_by="test", reason="resident_request", sessions=web.sessions, tracker_urls=[])
    assert report.provider_copies == 2, "their text and our reply"
    assert queued(web, reply) == [("erasure", "pending")]
    ProviderCopyDeleter(web.sessions, web.settings).run()
    assert reply in web.twilio.deleted and inbound in web.twilio.deleted
    assert queued(web, reply) == [("erasure", "deleted")]


@pytest.mark.parametrize("how", ["missing", "wrong token", "another message's reply_to", "no query signed"])
def test_an_unsigned_or_forged_report_is_refused_and_records_nothing(web: LiveWeb, how: str) -> None:
    inbound, _, action = text(web, "HELP", "+447700900603")
    reply = new_sid()
    public_url = action
    form = {"MessageSid": reply, "SmsSid": reply, "MessageStatus": "sent", "AccountSid": ACCOUNT_SID, "To": "+447700900123"}
    signature = {
        "missing": "",
        "wrong token": sign(public_url, form, token="not-the-token"),
        "another message's reply_to": sign(public_url.replace(inbound, new_sid()), form),
        "no query signed": sign(public_url.split("?")[0], form),
    }[how]
    assert reported(web, action, reply, signature=signature)[0] == 403
    assert reply_sid_of(web, inbound) == [(None,)]
    assert queued(web, reply) == []


def test_a_report_arriving_after_the_erasure_queues_twilios_copy_at_once(web: LiveWeb) -> None:
    """The reply confirming an erasure is the usual case: the worker erases within a second, before
    Twilio has reported the reply's SID."""
    number = "+447700900604"
    text(web, "HELP", number)
    _, asked, _ = text(web, "FORGET ME", number)
    assert "Reply DELETE" in asked
    confirmed, done, action = text(web, "DELETE", number)
    assert "Ref ER-" in done
    assert carry_out_confirmed_erasures(web.sessions, web.settings, tracker_urls=[]).erased == 1
    assert rows(web, "SELECT count(*) FROM inbound_message WHERE message_id = ?", confirmed) == [(0,)]
    assert queued(web, confirmed) == [("erasure", "pending")], "their DELETE went with the rest"

    reply = new_sid()
    assert reported(web, action, reply) == (200, NOTHING_MORE)
    assert queued(web, reply) == [("erasure", "pending")]
    assert reported(web, action, reply, "delivered")[0] == 200, "queued once"
    assert queued(web, reply) == [("erasure", "pending")]
    ProviderCopyDeleter(web.sessions, web.settings).run()
    assert reply in web.twilio.deleted
    with urllib.request.urlopen(web.stack.web_url + "/webhooks/sms/", timeout=5) as health:
        assert health.status == 200
    log = (Path(web.stack.env["VAR_DIR"]) / "web.log").read_text(errors="replace")
    assert number not in log and number[3:] not in log and "FORGET ME" not in log, "no number or text logged"


def test_a_report_without_reply_to_is_still_an_outbox_status(web: LiveWeb) -> None:
    """The outbox's callbacks carry no reply_to, and keep going to `record_status` (kept for later here:
    no outbox message has this SID yet)."""
    sid = new_sid()
    form = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": "delivered", "AccountSid": ACCOUNT_SID, "To": "+447700900123"}
    assert post_form(web.stack, form, path=STATUS) == (200, '{"recorded":false}')
    assert rows(web, "SELECT status FROM early_status_callback WHERE provider_sid = ?", sid) == [("delivered",)]
    assert queued(web, sid) == []


def test_the_action_url_is_an_escaped_attribute_and_only_given_with_a_reply() -> None:
    action = "https://sms.example.org/webhooks/sms/status?reply_to=SM1&x=\"<b>'"
    message = ElementTree.fromstring(twiml("Fish & chips", action=action)).find("Message")
    assert message is not None and message.get("action") == action and message.text == "Fish & chips"
    assert twiml(None, action=action).endswith("<Response/>"), "no reply, nothing to report"
    assert "action" not in twiml("Fish & chips")
