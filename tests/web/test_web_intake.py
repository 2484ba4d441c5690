"""The web app's public doors with Rasa stopped: it still records, screens, answers crises, and
refuses abuse (body limit, rate limits, forged origins and tokens). A real web-app process."""
from __future__ import annotations

import json
import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

from service.database import make_engine
from service.migrate import upgrade_engine
from tests.service_stack import web_alone
from tests.twilio_signing import new_sid, sign, sms_form

PUBLIC = "https://sms.example.org"


@dataclass
class Web:
    url: str
    database: Path

    def rows(self, query: str, *args: object) -> list[tuple]:
        with sqlite3.connect(self.database) as conn:
            return conn.execute(query, args).fetchall()


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    folder = tmp_path_factory.mktemp("web-alone")
    database = folder / "app.db"
    engine = make_engine(f"sqlite:///{database}")
    upgrade_engine(engine)
    engine.dispose()
    # The stack's settings (PUBLIC_BASE_URL is PUBLIC) with tight limits; nothing listens on its Rasa port: Rasa is down.
    with web_alone(folder, {"SMS_RATE_LIMIT": "6,4", "WEBCHAT_SESSION_RATE_LIMIT": "6,5", "API_RATE_LIMIT": "6,3"}) as stack:
        assert stack.env["PUBLIC_BASE_URL"] == PUBLIC
        yield Web(stack.web_url, database)


def post_sms(web: Web, form: dict[str, str], *, timeout: float = 10) -> tuple[int, str, dict[str, str]]:
    headers = {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sign(PUBLIC + "/webhooks/sms/webhook", form)}
    request = urllib.request.Request(web.url + "/webhooks/sms/webhook", data=urllib.parse.urlencode(form).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read().decode(), dict(reply.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


class Browser:
    """A chat session as a browser holds it: the page's cookie and our own Origin."""

    def __init__(self, web: Web, origin: str | None = None) -> None:
        self.web = web
        self.origin = web.url if origin is None else origin
        jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        self.page = self.opener.open(web.url + "/chat", timeout=5)
        # PUBLIC_BASE_URL is https, so the cookie is Secure; here we stand behind the TLS proxy (plain
        # http to the app, as the proxy speaks to it), so the jar must send it over http too.
        assert all(cookie.secure for cookie in jar), "an https service's chat cookie is Secure"
        for cookie in jar:
            cookie.secure = False

    def say(self, text: str, message_id: str) -> tuple[int, dict, dict[str, str]]:
        headers = {"Content-Type": "application/json", **({"Origin": self.origin} if self.origin else {})}
        body = json.dumps({"message": text, "message_id": message_id}).encode()
        try:
            with self.opener.open(urllib.request.Request(self.web.url + "/chat/messages", data=body, headers=headers), timeout=10) as reply:
                return reply.status, json.loads(reply.read()), dict(reply.headers)
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read()), dict(error.headers)

    def later(self, message_id: str) -> dict:
        with self.opener.open(self.web.url + "/chat/messages/" + message_id, timeout=10) as reply:
            return json.loads(reply.read())


def test_with_rasa_down_an_sms_is_recorded_to_wait_and_a_crisis_is_answered_at_once(web: Web) -> None:
    number = "+447700900811"
    ordinary, crisis = sms_form("I like walking", sender=number), sms_form("i want to end it all", sender=number)
    status, twiml, _ = post_sms(web, ordinary)
    assert status == 200 and "<Message>" not in twiml
    status, twiml, _ = post_sms(web, crisis)
    assert status == 200 and "116 123" in twiml
    states = dict(web.rows("SELECT message_id, state FROM inbound_message WHERE message_id IN (?, ?)", ordinary["MessageSid"], crisis["MessageSid"]))
    assert states == {ordinary["MessageSid"]: "waiting", crisis["MessageSid"]: "screened"}
    sealed = web.rows("SELECT body_encrypted FROM inbound_message WHERE message_id = ?", ordinary["MessageSid"])[0][0]
    assert sealed and "walking" not in sealed, "the waiting text is kept, sealed"


def test_web_chat_with_rasa_down_waits_and_the_page_can_ask_for_the_answer_later(web: Web) -> None:
    browser = Browser(web)
    status, body, _ = browser.say("hello", "abcdefgh0001")
    assert status == 200 and body["pending"] is True and body["messages"] == []
    assert browser.later("abcdefgh0001") == {"pending": True, "messages": []}
    status, body, _ = browser.say("someone is trying to break in", "abcdefgh0002")
    assert status == 200 and "999" in body["messages"][0]["text"] and body["pending"] is False


def test_the_chat_page_cannot_be_framed(web: Web) -> None:
    headers = Browser(web).page.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("origin", ["", "https://evil.example.com"])
def test_chat_posts_from_another_origin_are_refused(web: Web, origin: str) -> None:
    status, body, _ = Browser(web, origin=origin).say("hello", "abcdefgh0003")
    assert status == 403 and "own page" in body["error"]


@pytest.mark.parametrize("token", ["", "made-up-id.0123456789abcdef0123456789abcdef", "web:alice", "a.b.c.d", "%%%"])
def test_chat_tokens_we_did_not_issue_get_401_not_500(web: Web, token: str) -> None:
    body = json.dumps({"message": "hello", "message_id": "abcdefgh1234"}).encode()
    headers = {"Content-Type": "application/json", "Origin": web.url, "Cookie": f"chat_token={token}"}
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(web.url + "/chat/messages", data=body, headers=headers), timeout=10)
    assert refused.value.code == 401
    assert "reload" in json.loads(refused.value.read())["error"]


def test_a_chat_session_sending_too_fast_gets_429_with_retry_after(web: Web) -> None:
    browser = Browser(web)
    statuses = [browser.say("x", f"ratelimit{n:04d}") for n in range(8)]
    assert [s for s, _, _ in statuses].count(429) >= 2
    refused = next(headers for s, _, headers in statuses if s == 429)
    assert int(refused["Retry-After"]) >= 1
    status, body, _ = browser.say("i want to end it all", "ratelimit-crisis")
    assert status == 200 and any("116 123" in m["text"] for m in body["messages"]), "a crisis in web chat is never refused"


def test_an_auto_responder_is_rate_limited_per_number_and_the_team_is_told_once(web: Web) -> None:
    number = "+447700900822"
    statuses = [post_sms(web, sms_form(f"Auto-reply: I am out of the office ({n})", sender=number))[0] for n in range(8)]
    assert statuses[:4] == [200] * 4 and statuses.count(429) >= 3
    crisis = post_sms(web, sms_form("help me i cant breathe", sender=number))
    assert crisis[0] == 200 and "999" in crisis[1], "a crisis is never held back by a rate limit"
    assert web.rows("SELECT count(*) FROM flag WHERE reason = 'rate_limited'") == [(1,)]


def test_the_open_referral_api_is_rate_limited_per_address(web: Web) -> None:
    codes = []
    for _ in range(6):
        try:
            with urllib.request.urlopen(web.url + "/openreferral/services", timeout=10) as reply:
                codes.append(reply.status)
        except urllib.error.HTTPError as error:
            codes.append(error.code)
    assert codes[:3] == [200] * 3 and 429 in codes


def test_a_huge_body_gets_413_before_any_work_and_a_signed_sms_at_the_same_moment_is_answered_promptly(web: Web) -> None:
    size = 21 * 1024 * 1024
    outcome: dict[str, object] = {}

    def flood() -> None:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", int(web.url.rsplit(":", 1)[1])), timeout=30) as conn:
            conn.sendall(
                b"POST /webhooks/sms/webhook HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + f"Content-Length: {size}\r\n\r\n".encode()
            )
            try:
                conn.sendall(b"Body=" + b"a" * (1024 * 1024))
            except OSError:
                pass  # refused before we finished sending: that is the point
            answer = conn.recv(200)
        outcome["status"] = answer.split(b" ")[1] if answer else b""
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=flood)
    thread.start()
    started = time.monotonic()
    status, twiml, _ = post_sms(web, sms_form("a man at the door wont leave", sender="+447700900833"))
    sms_seconds = time.monotonic() - started
    thread.join(timeout=30)
    print(f"\n413 in {outcome.get('seconds', 0) * 1000:.0f} ms; a signed SMS beside it answered in {sms_seconds * 1000:.0f} ms")
    assert outcome["status"] == b"413"
    assert status == 200 and "999" in twiml


def test_unsigned_sms_is_refused_with_403_and_nothing_recorded(web: Web) -> None:
    form = sms_form("hello", sid=new_sid())
    request = urllib.request.Request(
        web.url + "/webhooks/sms/webhook", data=urllib.parse.urlencode(form).encode(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 403
    assert web.rows("SELECT count(*) FROM inbound_message WHERE message_id = ?", form["MessageSid"]) == [(0,)]


def test_the_full_privacy_notice_is_served_and_the_chat_page_links_to_it(web: Web) -> None:
    with urllib.request.urlopen(web.url + "/privacy", timeout=5) as reply:
        page = reply.read().decode()
        assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/html")
    for promise in ("FORGET ME", "STOP", "12 months", "vital interests", "ico.org.uk"):
        assert promise in page, promise
    with urllib.request.urlopen(web.url + "/chat", timeout=5) as reply:
        assert 'href="/privacy"' in reply.read().decode()


def test_forget_me_is_answered_with_rasa_down_and_the_request_is_queued_for_the_worker(web: Web) -> None:
    number = "+447700900812"
    _, asked, _ = post_sms(web, sms_form("FORGET ME", sender=number))
    _, done, _ = post_sms(web, sms_form("yes", sender=number))
    assert "Reply DELETE to delete everything" in asked and "Ref ER-" in done
    assert web.rows("SELECT count(*) FROM flag WHERE reason = 'erasure_confirmed' AND state = 'open'") == [(1,)]


def test_the_chat_pages_safety_numbers_come_from_the_checked_table_and_can_be_rung(web: Web) -> None:
    from casework.safety.numbers import SAFETY_NUMBERS

    page = Browser(web).page.read().decode()
    for key in ("emergency", "samaritans"):
        number = SAFETY_NUMBERS[key]
        assert f'<a href="tel:{number.replace(" ", "")}">{number}</a>' in page
    assert "<!-- safety numbers -->" not in page
