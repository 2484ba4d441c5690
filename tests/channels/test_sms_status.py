"""POST /webhooks/sms/status against the running service: signed, recorded, deduplicated, never backwards."""
from __future__ import annotations

import uuid

import pytest

from casework.outbox.messages import OutboxMessage, enqueue_sms
from casework.residents.identity import sms_sender_id
from service.database import make_engine, make_sessionmaker
from service.settings import load_settings
from tests.channels.test_sms_webhook import db_rows, text, unique_number
from tests.service_stack import ServiceStack
from tests.twilio_signing import post_form, sign

STATUS = "/webhooks/sms/status"
pytestmark = pytest.mark.service


def provider_sid() -> str:
    return "SM" + uuid.uuid4().hex


def sent_message(service: ServiceStack, sid: str | None) -> int:
    """An outbox reply as the worker leaves it after Twilio accepted it (never due, so the worker leaves it alone)."""
    number = unique_number()
    text(service, "hello", number)
    engine = make_engine(service.database_url)
    try:
        with make_sessionmaker(engine).begin() as session:
            outbox_id = enqueue_sms(session, sender_id=sms_sender_id(number, key=service.env["PHONE_HASH_KEY"]),
                                    body="Walking group, Tuesdays 10am", purpose="reply", settings=load_settings())
            message = session.get(OutboxMessage, outbox_id)
            message.state, message.provider_sid, message.provider_status, message.next_attempt_at = "sent", sid, "queued", None
    finally:
        engine.dispose()
    return outbox_id


def callback(service: ServiceStack, sid: str, status: str, *, signature: str | None = None, **extra: str) -> tuple[int, str]:
    form = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": status, "AccountSid": "AC" + "0" * 32, "To": "+447700900123", **extra}
    return post_form(service, form, path=STATUS, signature=signature)


def stored(service: ServiceStack, outbox_id: int) -> tuple:
    return db_rows(service, "SELECT state, provider_status FROM outbox_message WHERE id = ?", outbox_id)[0]


def test_a_status_is_recorded_once_and_never_moves_backwards(service: ServiceStack) -> None:
    sid = provider_sid()
    outbox_id = sent_message(service, sid)
    assert callback(service, sid, "sent") == (200, '{"recorded":true}')
    assert callback(service, sid, "delivered") == (200, '{"recorded":true}')
    assert callback(service, sid, "delivered") == (200, '{"recorded":false}'), "a duplicate changes nothing"
    assert callback(service, sid, "sent") == (200, '{"recorded":false}'), "delivered never becomes sent"
    assert stored(service, outbox_id) == ("delivered", "delivered")


def test_a_failure_is_final(service: ServiceStack) -> None:
    sid = provider_sid()
    outbox_id = sent_message(service, sid)
    assert callback(service, sid, "undelivered", ErrorCode="30003")[0] == 200
    assert callback(service, sid, "delivered") == (200, '{"recorded":false}')
    assert stored(service, outbox_id) == ("undelivered", "undelivered")


@pytest.mark.parametrize("how", ["missing", "wrong token", "tampered"])
def test_unsigned_status_callbacks_are_refused_and_change_nothing(service: ServiceStack, how: str) -> None:
    sid = provider_sid()
    outbox_id = sent_message(service, sid)
    url = service.env["PUBLIC_BASE_URL"] + STATUS
    form = {"MessageSid": sid, "SmsSid": sid, "MessageStatus": "delivered", "AccountSid": "AC" + "0" * 32, "To": "+447700900123"}
    signature = {
        "missing": "",
        "wrong token": sign(url, form, token="not-the-token"),
        "tampered": sign(url, {**form, "MessageStatus": "failed"}),
    }[how]
    status, _ = callback(service, sid, "delivered", signature=signature)
    assert status == 403
    assert stored(service, outbox_id) == ("sent", "queued")
    assert db_rows(service, "SELECT count(*) FROM early_status_callback WHERE provider_sid = ?", sid) == [(0,)]


def test_a_status_for_a_sid_not_stored_yet_is_kept_and_applied_once_it_is(service: ServiceStack) -> None:
    sid = provider_sid()
    assert callback(service, sid, "delivered") == (200, '{"recorded":false}')
    assert db_rows(service, "SELECT status FROM early_status_callback WHERE provider_sid = ?", sid) == [("delivered",)]
    outbox_id = sent_message(service, sid)  # the worker's transaction storing the SID, late
    # The worker applies early callbacks itself when it stores a SID (tested in process); here the
    # next callback of any message sweeps it up, which covers the two transactions racing.
    callback(service, provider_sid(), "sent")
    assert stored(service, outbox_id) == ("delivered", "delivered")
    assert db_rows(service, "SELECT count(*) FROM early_status_callback WHERE provider_sid = ?", sid) == [(0,)]


def test_malformed_status_callbacks_get_a_clear_error(service: ServiceStack) -> None:
    assert post_form(service, {"MessageSid": provider_sid()}, path=STATUS)[0] == 400
    assert callback(service, provider_sid(), "no-such-status") == (200, '{"recorded":false}')
