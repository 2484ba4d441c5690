"""The Twilio SMS transport: a text sent with twilio's own REST client, Twilio's answer sorted into
the outbox's outcomes (casework.outbox.transport):
- 2xx: `Sent`, with the message's SID and status;
- 429 and 5xx, or no answer at all (connection refused, DNS, timeout): `Retry`, at the earliest
  after Twilio's Retry-After;
- 401/403: `CredentialsRefused` (our credentials, not the message: the sender pauses SMS);
- any other 4xx: `Permanent` (21211 an invalid number; 21610 the number texted STOP to us, which the
  sender records as the resident's own opt-out).

Also the REST client itself (`twilio_client`: TWILIO_API_BASE honoured, so tests use a local
stand-in), which the job deleting Twilio's copies of messages uses too (jobs.provider_copies).
"""
from __future__ import annotations

import threading
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from casework.models import as_utc, utcnow
from casework.outbox.transport import CredentialsRefused, Outcome, Outgoing, Permanent, Retry, Sent, scrub_numbers
from service.settings import Settings

__all__ = ["TWILIO_API_BASE", "MAX_VALIDITY_SECONDS", "UNSUBSCRIBED", "STATUS_CALLBACK_PATH", "twilio_client",
           "TwilioSmsTransport"]

TWILIO_API_BASE = "https://api.twilio.com"
# Twilio drops a queued message after ValidityPeriod seconds; it accepts 1..14400 (twilio 8.2 docs).
MAX_VALIDITY_SECONDS = 14400
# Twilio error codes (https://www.twilio.com/docs/api/errors):
UNSUBSCRIBED = 21610  # the number texted STOP to our sender: treat as the resident's own opt-out
# Delivery status callbacks go to the channel's signed endpoint (issue 4: POST /webhooks/sms/status).
STATUS_CALLBACK_PATH = "/webhooks/sms/status"


class _ApiBaseHttpClient(TwilioHttpClient):
    """twilio's own HTTP client, pointed at `api_base` and keeping the response headers.

    twilio 8.2 builds absolute URLs on https://api.twilio.com; rewriting them here (the client's
    documented extension point, `Client(http_client=...)`) lets tests use a local stand-in.
    Twilio's exceptions drop the headers, so Retry-After is kept per thread from the last response.
    """

    def __init__(self, api_base: str, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.api_base = api_base.rstrip("/")
        self._local = threading.local()

    def request(self, method, url, params=None, data=None, headers=None, auth=None,  # type: ignore[no-untyped-def]
                timeout=None, allow_redirects=False) -> Response:
        if url.startswith(TWILIO_API_BASE) and self.api_base != TWILIO_API_BASE:
            url = self.api_base + url[len(TWILIO_API_BASE):]
        self._local.headers = None
        response = super().request(method, url, params=params, data=data, headers=headers, auth=auth,
                                   timeout=timeout, allow_redirects=allow_redirects)
        self._local.headers = response.headers
        return response

    def last_retry_after(self) -> float | None:
        headers = getattr(self._local, "headers", None)
        return _parse_retry_after(headers.get("Retry-After") if headers else None)


def twilio_client(settings: Settings, *, timeout: float = 15.0) -> tuple[Client, _ApiBaseHttpClient]:
    """A twilio REST client for these settings (TWILIO_API_BASE honoured), and its HTTP client."""
    http = _ApiBaseHttpClient(settings.twilio_api_base, timeout=timeout)
    return Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=http), http


def _parse_retry_after(value: str | None) -> float | None:
    """Retry-After is either delay-seconds or an HTTP date (RFC 9110)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = as_utc(parsedate_to_datetime(value))
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, (when - utcnow()).total_seconds())


class TwilioSmsTransport:
    """Sends an SMS with `twilio.rest.Client`; sorts Twilio's answer into Sent/Retry/Permanent."""

    def __init__(self, settings: Settings, *, timeout: float = 15.0) -> None:
        self._client, self._http = twilio_client(settings, timeout=timeout)
        self._from = settings.twilio_from_number
        self._account_sid = settings.twilio_account_sid
        # Twilio refuses callback URLs it cannot reach; a development http://localhost would fail.
        base = settings.public_base_url
        self._status_callback = base + STATUS_CALLBACK_PATH if base.startswith("https://") else None

    def send(self, message: Outgoing) -> Outcome:
        kwargs: dict[str, Any] = {"to": message.to, "from_": message.from_number or self._from, "body": message.body}
        if message.validity_seconds is not None:
            kwargs["validity_period"] = message.validity_seconds
        if self._status_callback:
            kwargs["status_callback"] = self._status_callback
        try:
            created = self._client.messages.create(**kwargs)
        except TwilioRestException as error:
            return self._classify(error)
        except requests.RequestException as error:
            # Connection refused, DNS, timeout: nothing says Twilio has it, so try again.
            return Retry(f"network: {type(error).__name__}")
        return Sent(provider_sid=created.sid, provider_status=created.status)

    def check_credentials(self) -> Outcome:
        """Fetch our own account resource: the cheapest authenticated call, and it texts nobody."""
        try:
            account = self._client.api.v2010.accounts(self._account_sid).fetch()
        except TwilioRestException as error:
            return self._classify(error)
        except requests.RequestException as error:
            return Retry(f"network: {type(error).__name__}")
        return Sent(provider_status=account.status)

    def _classify(self, error: TwilioRestException) -> Outcome:
        code = error.code if isinstance(error.code, int) else None
        text = scrub_numbers(f"twilio {error.status} code {code}: {error.msg}")
        if error.status == 429 or error.status >= 500:
            return Retry(text, retry_after=self._http.last_retry_after())
        if error.status in (401, 403):
            # Wrong, rotated or revoked credentials, or a suspended account: say nothing about
            # this message, so sending pauses rather than failing the queue message by message.
            return CredentialsRefused(text)
        return Permanent(text, code=code, unsubscribed=code == UNSUBSCRIBED)

