"""Property tests against the running `sms` channel: random form bodies and headers never make a 500,
and nothing unsigned is ever processed."""
from __future__ import annotations

import itertools
import random
import urllib.error
import urllib.parse
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channels.test_sms_webhook import db_rows
from tests.service_stack import ServiceStack
from tests.twilio_signing import WEBHOOK, new_sid, sign

pytestmark = pytest.mark.service

# Any text a phone or a forger could send, except lone surrogates (not encodable as UTF-8 at all).
any_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
long_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1590, max_size=1700)
header_value = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=60)
field_name = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20)
# Valid numbers are fresh for each example: one number sending hundreds of texts is (rightly) rate-limited.
valid_numbers = st.one_of(
    st.integers(0, 99999).map(lambda n: f"+4477009{n:05d}"),
    st.integers(0, 99999).map(lambda n: f"07700 9{n:05d}"),
    st.integers(0, 9999).map(lambda n: f"+1500555{n:04d}"),
)
INVALID_NUMBERS = ["", "not a number", "+44", "0" * 20]
FRESH = itertools.count(random.randrange(100000))
numbers = st.one_of(valid_numbers, st.sampled_from(INVALID_NUMBERS))

forms = st.fixed_dictionaries(
    {"MessageSid": st.one_of(st.builds(new_sid), any_text), "From": numbers},
    optional={
        "Body": st.one_of(any_text, long_text, st.just("")),
        "NumMedia": st.one_of(st.sampled_from(["0", "1", "10", "-1", "x", ""]), any_text),
        "MediaUrl0": any_text,
        "MediaContentType0": st.sampled_from(["image/jpeg", "text/vcard", ""]),
        "To": any_text,
        "SmsSid": any_text,
    },
).flatmap(lambda base: st.dictionaries(field_name, any_text, max_size=4).map(lambda extra: {**extra, **base}))

headers = st.fixed_dictionaries(
    {},
    optional={
        "X-Twilio-Signature": header_value,
        "Content-Type": st.sampled_from(
            ["application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=latin-1", "multipart/form-data",
             "application/json", "text/plain", "", "application/x-www-form-urlencoded; boundary=x"]
        ),
        "X-Forwarded-Proto": st.sampled_from(["https", "http", "gopher"]),
        "X-Forwarded-Host": header_value,
        "I-Twilio-Idempotency-Token": header_value,
    },
)

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def post(service: ServiceStack, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(service.web_url + WEBHOOK, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as reply:
            reply.read()
            return reply.status
    except urllib.error.HTTPError as error:
        return error.code


def inbound_count(service: ServiceStack) -> int:
    return db_rows(service, "SELECT count(*) FROM inbound_message")[0][0]


@SETTINGS
@given(form=forms, headers=headers, raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_unsigned_requests_of_any_shape_are_refused_and_never_processed(service: ServiceStack, form, headers, raw) -> None:
    before = inbound_count(service)
    body = raw if raw is not None else urllib.parse.urlencode(form).encode()
    status = post(service, body, headers)
    assert status == 403, status
    assert inbound_count(service) == before


@SETTINGS
@given(form=forms)
def test_signed_requests_with_any_fields_never_fail_with_a_500(service: ServiceStack, form) -> None:
    if form["From"] not in INVALID_NUMBERS:
        # A fresh number for each example (hypothesis repeats its simplest values while shrinking), so the
        # per-number rate limit, which rightly refuses one number's flood, is not what is being tested.
        form = {**form, "From": f"+4477008{next(FRESH) % 100000:05d}"}
    signature = sign(service.env["PUBLIC_BASE_URL"] + WEBHOOK, form)
    status = post(service, urllib.parse.urlencode(form).encode(),
                  {"Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": signature})
    assert status in (200, 400), status
    well_formed = form["MessageSid"].startswith("SM") and len(form["MessageSid"]) == 34 and form["From"] not in INVALID_NUMBERS
    if well_formed:
        assert status == 200
