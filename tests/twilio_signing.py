"""Build webhook requests exactly as Twilio would, signed with Twilio's own RequestValidator."""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
import uuid

from twilio.request_validator import RequestValidator

from tests.service_stack import TWILIO_TEST_TOKEN, ServiceStack

WEBHOOK = "/webhooks/sms/webhook"


def new_sid() -> str:
    return "SM" + uuid.uuid4().hex


def sms_form(body: str, *, sender: str = "+447700900123", sid: str | None = None, **extra: str) -> dict[str, str]:
    return {
        "MessageSid": sid or new_sid(),
        "SmsSid": sid or new_sid(),
        "AccountSid": "AC" + "0" * 32,
        "From": sender,
        "To": "+447700900999",
        "Body": body,
        "NumMedia": "0",
        **extra,
    }


def sign(url: str, form: dict[str, str], token: str = TWILIO_TEST_TOKEN) -> str:
    return RequestValidator(token).compute_signature(url, form)


def post_form(
    service: ServiceStack,
    form: dict[str, str],
    *,
    path: str = WEBHOOK,
    signature: str | None = None,
    signed_url: str | None = None,
    timeout: float = 30,
) -> tuple[int, str]:
    """POST to the channel on its local port; the signature covers the public URL Twilio would call."""
    public_url = signed_url or service.env["PUBLIC_BASE_URL"] + path
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if signature is None:
        signature = sign(public_url, form)
    if signature:
        headers["X-Twilio-Signature"] = signature
    request = urllib.request.Request(service.web_url + path, data=urllib.parse.urlencode(form).encode(), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
