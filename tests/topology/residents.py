"""Residents texting and chatting through the load balancer, each as their own door behaves.

- By SMS, as Twilio does: a signed POST to the webhook; if that fails (no answer within 15 s, or
  not 200) the same message, same MessageSid, to the fallback URL, once. Twilio sends whatever
  TwiML the successful POST answered; anything later comes through the outbox. A resident texts
  again once they have the answer, or after `PATIENCE` seconds without one (as people do: "hello?").
- By web chat, as the chat page does (web/static/chat.html): POST with the page's cookie and
  Origin, once more with the same message id if that fails, and while the answer is pending, ask
  for it until it comes. The page lets its resident write again only after the answer.

Every message and what came back is kept as an `Exchange`, so the test can count answers.
"""
from __future__ import annotations

import http.client
import json
import ssl
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from itertools import cycle
from pathlib import Path

from casework.residents.identity import sms_sender_id, verify_web_token
from tests.twilio_signing import sign, sms_form

__all__ = ["ChattingResident", "Exchange", "Load", "TextingResident", "TEXTS"]

WEBHOOK, FALLBACK = "/webhooks/sms/webhook", "/webhooks/sms/fallback"
TWILIO_WAITS = 15.0  # Twilio's webhook timeout
PATIENCE = 10.0
READING = 2.0  # a resident reads the answer before writing again (and the 2-core machine keeps some CPU for restarts)
# Ordinary texts a resident might send: each goes to the bot (none is a crisis, a keyword or STOP).
TEXTS = ("hello", "i like singing", "im in birkenhead", "anything free?", "what about thursdays", "knitting near wallasey",
         "walking groups in heswall", "any art classes near CH41", "thank you", "something for men in wallasey")


@dataclass
class Exchange:
    resident: str
    channel: str  # "sms" | "webchat"
    message_id: str  # as the inbound log keeps it: the MessageSid, or the chat's sender-scoped id
    phase: str
    started: float = field(default_factory=time.monotonic)
    status: int = 0  # what the resident's door finally got: 200, or 0 for nothing at all
    replies: list[str] = field(default_factory=list)  # what that answer carried (TwiML's <Message>, the chat's messages)
    pending: bool = False  # the answer follows later (SMS: the outbox; chat: asked for until it came)
    tries: list[str] = field(default_factory=list)
    answered: float | None = None  # when the resident saw an answer (TwiML with a reply, or the chat page's), monotonic


class Public:
    """HTTPS to the load balancer, checking its certificate as a phone would."""

    def __init__(self, address: str, trusted: Path) -> None:
        self.address = address
        self.context = ssl.create_default_context(cafile=str(trusted))

    def request(self, method: str, path: str, *, body: bytes | None = None, headers: dict[str, str] | None = None,
                timeout: float = 30) -> tuple[int, http.client.HTTPMessage | None, bytes]:
        connection = http.client.HTTPSConnection(self.address, 443, timeout=timeout, context=self.context)
        try:
            connection.request(method, path, body=body, headers={"Host": self.address, **(headers or {})})
            reply = connection.getresponse()
            return reply.status, reply.headers, reply.read()
        except (OSError, http.client.HTTPException):  # refused, reset, timed out: no answer
            return 0, None, b""
        finally:
            connection.close()


class TextingResident:
    def __init__(self, public: Public, number: str, *, hash_key: str) -> None:
        self.public, self.number = public, number
        self.name = "sms " + number
        self.sender_id = sms_sender_id(number, key=hash_key)

    def send(self, text: str, phase: str) -> Exchange:
        form = sms_form(text, sender=self.number)
        exchange = Exchange(self.name, "sms", form["MessageSid"], phase)
        for path in (WEBHOOK, FALLBACK):
            url = f"https://{self.public.address}{path}"
            status, _, body = self.public.request(
                "POST", path, body=urllib.parse.urlencode(form).encode(), timeout=TWILIO_WAITS,
                headers={"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": sign(url, form)})
            exchange.tries.append(f"{path} {status}")
            if status == 200:
                exchange.status = 200
                exchange.replies = [m.text or "" for m in ET.fromstring(body).iter("Message")]
                exchange.pending = not exchange.replies
                exchange.answered = time.monotonic() if exchange.replies else None
                break
        return exchange


class ChattingResident:
    def __init__(self, public: Public, number: int, *, webchat_secret: str) -> None:
        self.public, self.name, self.secret = public, f"chat {number}", webchat_secret
        self.cookie = ""
        self.sender_id = ""

    def open(self) -> None:
        """The chat page: it gives this browser its session cookie (signed by the shared WEBCHAT_SECRET,
        so every replica knows it)."""
        status, headers, _ = self.public.request("GET", "/chat")
        assert status == 200 and headers is not None, f"the chat page answered {status}"
        for raw in headers.get_all("Set-Cookie") or []:
            if "chat_token" in (cookie := SimpleCookie(raw)):
                self.cookie = cookie["chat_token"].value
        self.sender_id = verify_web_token(self.cookie, secret=self.secret) or ""
        assert self.sender_id, "the chat page set no session cookie"

    def send(self, text: str, phase: str, abandoned: threading.Event) -> Exchange:
        client_id = uuid.uuid4().hex[:16]
        exchange = Exchange(self.name, "webchat", f"{self.sender_id}:{client_id}"[:64], phase)
        headers = {"Cookie": f"chat_token={self.cookie}", "Origin": f"https://{self.public.address}", "Content-Type": "application/json"}
        body = json.dumps({"message": text, "message_id": client_id}).encode()
        for _ in range(2):  # the page tries once more, with the same message id, when a POST fails
            status, _, answer = self.public.request("POST", "/chat/messages", body=body, headers=headers)
            exchange.tries.append(f"POST {status}")
            if status == 200:
                data = json.loads(answer)
                exchange.status, exchange.pending = 200, bool(data["pending"])
                exchange.replies = [m["text"] for m in data["messages"] if m.get("text")]
                exchange.answered = time.monotonic() if exchange.replies else None
                break
            time.sleep(1.5)
        # The page asks every few seconds until the answer comes (for up to 10 minutes).
        asked = 0
        while exchange.status == 200 and exchange.pending and not exchange.replies and asked < 600 and not abandoned.is_set():
            abandoned.wait(1)  # a message sent is followed to its answer, unless the test has already failed
            asked += 1
            status, _, answer = self.public.request("GET", f"/chat/messages/{client_id}", headers=headers)
            if status == 200 and not (data := json.loads(answer))["pending"]:
                exchange.replies = [m["text"] for m in data["messages"] if m.get("text")]
                exchange.answered = time.monotonic()
                exchange.tries.append(f"poll {asked}: answered")
        return exchange


class Load:
    """Every resident at once, one thread each, until stopped. `phase` labels what is sent meanwhile."""

    def __init__(self, texting: list[TextingResident], chatting: list[ChattingResident], *, answered: Callable[[str], bool]) -> None:
        self.texting, self.chatting = texting, chatting
        self.answered = answered  # whether a message id has its answer (the outbox's reply is on its way)
        self.phase = "before"
        self.exchanges: list[Exchange] = []
        self.busy_since: dict[str, float] = {}  # resident -> when they sent the message they are still waiting on
        self.paused: set[str] = set()  # residents who send nothing new for now
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._abandoned = threading.Event()
        self._threads: list[threading.Thread] = []

    def _run(self, resident: TextingResident | ChattingResident) -> None:
        for text in cycle(TEXTS):
            while resident.name in self.paused and not self._stop.is_set():
                time.sleep(0.05)
            if self._stop.is_set():
                return
            self.busy_since[resident.name] = time.monotonic()
            if isinstance(resident, TextingResident):
                exchange = resident.send(text, self.phase)
                waited = 0.0
                while exchange.pending and waited < PATIENCE and not self._stop.is_set() and not self.answered(exchange.message_id):
                    time.sleep(0.5)
                    waited += 0.5
            else:
                exchange = resident.send(text, self.phase, self._abandoned)
            with self._lock:
                self.exchanges.append(exchange)
                del self.busy_since[resident.name]
            self._stop.wait(READING)

    def start(self) -> None:
        self._stop.clear()
        self._threads = [threading.Thread(target=self._run, args=(r,), daemon=True) for r in self.everyone]
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        """No more new messages; each resident's last one is followed to its answer."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=300)
        assert not any(t.is_alive() for t in self._threads), "a resident's last message never got an answer"

    def abandon(self) -> None:
        """The test failed: stop at once, without following answers."""
        self._abandoned.set()
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    @contextmanager
    def running(self) -> Iterator[Load]:
        self.start()
        try:
            yield self
        except BaseException:
            self.abandon()
            raise
        self.stop()

    def waiting_since(self, moment: float) -> set[str]:
        """Residents still waiting on a message they sent before `moment`."""
        return {name for name, since in list(self.busy_since.items()) if since < moment}

    def sent(self, phase: str | None = None) -> list[Exchange]:
        with self._lock:
            return [e for e in self.exchanges if phase is None or e.phase == phase]

    @property
    def everyone(self) -> list[TextingResident | ChattingResident]:
        return [*self.texting, *self.chatting]

    @property
    def residents(self) -> list[str]:
        return [r.name for r in self.everyone]
