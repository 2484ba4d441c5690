"""A local stand-in for Twilio's Messages API, so the sender's real HTTP path runs in tests.

It speaks `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` (form fields To, From, Body,
ValidityPeriod, StatusCallback; HTTP basic auth), answers with whatever the test scripted, in order
(201 with a message resource, 429 with Retry-After, 500, or 400 with Twilio's error JSON), and keeps
every request it received. Once the script runs out it answers 201. It also answers
`GET /2010-04-01/Accounts/{AccountSid}.json` (the account fetch the sender uses to check credentials).

`refuse_credentials(401)` makes it answer every request 401 (or 403) as Twilio does for a revoked
or rotated auth token or a suspended account, until `accept_credentials()`.

    with TwilioStandin(account_sid="AC...", auth_token="...") as twilio:
        twilio.script(TwilioStandin.too_many_requests(retry_after=2), TwilioStandin.created())
        settings = replace(settings, twilio_api_base=twilio.base_url, ...)
"""
from __future__ import annotations

import base64
import itertools
import json
import threading
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from casework.models import utcnow
from tests.local_server import LocalServer

API_VERSION = "2010-04-01"


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Received:
    method: str
    path: str
    form: dict[str, str]
    authorization: tuple[str, str] | None
    answered: int


class TwilioStandin(LocalServer):
    def __init__(self, *, account_sid: str, auth_token: str) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.requests: list[Received] = []
        self.deleted: list[str] = []  # message SIDs deleted through the API
        self._script: list[Answer] = []
        self._lock = threading.Lock()
        self._sids = (f"SM{n:032x}" for n in itertools.count(1))
        self._refusing: int | None = None
        self._serve(ThreadingHTTPServer(("127.0.0.1", 0), self._handler()))

    # -- scripted answers --------------------------------------------------------------------
    @staticmethod
    def created() -> Answer:
        return Answer(201)  # the message resource is filled in from the request

    @staticmethod
    def too_many_requests(retry_after: str | None = "1") -> Answer:
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        return Answer(429, {"code": 20429, "message": "Too Many Requests", "status": 429}, headers)

    @staticmethod
    def server_error() -> Answer:
        return Answer(500, {"code": 20500, "message": "Internal Server Error", "status": 500})

    @staticmethod
    def twilio_error(code: int, message: str, status: int = 400) -> Answer:
        return Answer(status, {
            "code": code, "message": message, "status": status,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
        })

    @classmethod
    def unsubscribed(cls) -> Answer:
        return cls.twilio_error(21610, "Attempt to send to unsubscribed recipient")

    @classmethod
    def invalid_number(cls, number: str = "+15005550001") -> Answer:
        # Twilio quotes the number back in the message; the sender must not log it.
        return cls.twilio_error(21211, f"The 'To' number {number} is not a valid phone number.")

    def refuse_credentials(self, status: int = 401) -> None:
        """Answer every request `status` (401 authenticate / 403 forbidden) until told otherwise."""
        with self._lock:
            self._refusing = status

    def accept_credentials(self) -> None:
        with self._lock:
            self._refusing = None

    def _credentials_answer(self, auth: tuple[str, str] | None) -> Answer | None:
        with self._lock:
            refusing = self._refusing
        if refusing == 403:
            return Answer(403, {"code": 20403, "message": "Forbidden", "status": 403})
        if refusing is not None or auth != (self.account_sid, self.auth_token):
            return Answer(401, {"code": 20003, "message": "Authenticate", "status": 401})
        return None

    def script(self, *answers: Answer) -> None:
        with self._lock:
            self._script.extend(answers)

    # -- server ------------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self.address
        return f"http://{host}:{port}"

    def _next_answer(self) -> Answer:
        with self._lock:
            return self._script.pop(0) if self._script else self.created()

    def _message_resource(self, form: dict[str, str]) -> dict:
        now = format_datetime(utcnow(), usegmt=True)
        sid = next(self._sids)
        return {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": form.get("Body", ""),
            "date_created": now,
            "date_sent": None,
            "date_updated": now,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": form.get("From"),
            "messaging_service_sid": None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "GBP",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {},
            "to": form.get("To"),
            "uri": f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json",
        }

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # keep test output clean
                pass

            def _reply(self, status: int, body: dict, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _authorization(self) -> tuple[str, str] | None:
                header = self.headers.get("Authorization", "")
                if not header.startswith("Basic "):
                    return None
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
                return user, password

            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
                auth = self._authorization()
                expected_path = f"/{API_VERSION}/Accounts/{standin.account_sid}/Messages.json"
                if self.path != expected_path:
                    answer = Answer(404, {"code": 20404, "message": "Not Found", "status": 404})
                else:
                    answer = standin._credentials_answer(auth) or standin._next_answer()
                body = standin._message_resource(form) if answer.status == 201 else answer.body
                with standin._lock:
                    standin.requests.append(Received("POST", self.path, form, auth, answer.status))
                self._reply(answer.status, body, answer.headers)

            def do_DELETE(self) -> None:  # noqa: N802
                """Deleting a message: 204 No Content, 404 for one Twilio does not hold (any more)."""
                auth = self._authorization()
                prefix = f"/{API_VERSION}/Accounts/{standin.account_sid}/Messages/"
                sid = self.path[len(prefix):].removesuffix(".json") if self.path.startswith(prefix) else ""
                answer = standin._credentials_answer(auth) or (standin._script.pop(0) if standin._script else Answer(204, {}))
                if not sid or sid in standin.deleted:
                    answer = Answer(404, {"code": 20404, "message": f"The requested resource {self.path} was not found", "status": 404})
                with standin._lock:
                    standin.requests.append(Received("DELETE", self.path, {}, auth, answer.status))
                    if answer.status == 204:
                        standin.deleted.append(sid)
                if answer.status == 204:
                    self.send_response(204)
                    self.end_headers()
                else:
                    self._reply(answer.status, answer.body, answer.headers)

            def do_GET(self) -> None:  # noqa: N802
                auth = self._authorization()
                if self.path.split("?")[0] != f"/{API_VERSION}/Accounts/{standin.account_sid}.json":
                    answer = Answer(404, {"code": 20404, "message": "Not Found", "status": 404})
                else:
                    answer = standin._credentials_answer(auth) or Answer(200, {
                        "sid": standin.account_sid, "friendly_name": "Stand-in", "status": "active", "type": "Full",
                        "auth_token": "[redacted]", "owner_account_sid": standin.account_sid,
                        "uri": f"/{API_VERSION}/Accounts/{standin.account_sid}.json",
                    })
                with standin._lock:
                    standin.requests.append(Received("GET", self.path, {}, auth, answer.status))
                self._reply(answer.status, answer.body, answer.headers)

        return Handler
