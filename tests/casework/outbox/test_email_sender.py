"""Outbox email over SMTP, against a local SMTP server on a real socket."""
from __future__ import annotations

import dataclasses

from casework.outbox.messages import OutboxMessage, enqueue_email
from casework.outbox.sender import RetryPolicy, build_sender
from tests.casework.smtp_standin import SmtpStandin


def queue_email(sessions, to="jo.connector@council.example"):
    with sessions.begin() as session:
        return enqueue_email(session, to_address=to, subject="Alert: please visit today",
                             body="A resident needs a visit. Open the console for details.", purpose="alert")


def test_email_is_delivered_over_smtp(sessions, casework_settings):
    with SmtpStandin() as smtp:
        settings = dataclasses.replace(casework_settings, smtp_url=smtp.url, email_from="connect@council.example")
        message_id = queue_email(sessions)
        assert build_sender(settings, sessions).send_due().sent == 1
    [delivered] = smtp.delivered
    assert delivered.mail_from == "connect@council.example"
    assert delivered.recipients == ["jo.connector@council.example"]
    assert delivered.message["Subject"] == "Alert: please visit today"
    assert "needs a visit" in delivered.message.get_payload()
    with sessions() as session:
        assert session.get(OutboxMessage, message_id).state == "sent"
    assert not casework_settings.outbox_path.exists()  # not a dry run


def test_a_refused_recipient_fails_for_good(sessions, casework_settings):
    with SmtpStandin(refuse_recipients_with=550) as smtp:
        settings = dataclasses.replace(casework_settings, smtp_url=smtp.url)
        message_id = queue_email(sessions)
        assert build_sender(settings, sessions).send_due().failed == 1
    with sessions() as session:
        assert session.get(OutboxMessage, message_id).state == "failed"


def test_a_temporary_refusal_is_retried(sessions, casework_settings):
    with SmtpStandin(refuse_recipients_with=451) as smtp:
        settings = dataclasses.replace(casework_settings, smtp_url=smtp.url)
        message_id = queue_email(sessions)
        assert build_sender(settings, sessions, policy=RetryPolicy(base_delay=60)).send_due().retried == 1
    with sessions() as session:
        message = session.get(OutboxMessage, message_id)
        assert message.state == "queued"
        assert "451" in message.last_error


def test_smtp_password_is_never_sent_without_tls(sessions, casework_settings):
    with SmtpStandin() as smtp:  # offers no STARTTLS
        settings = dataclasses.replace(casework_settings, smtp_url=smtp.url.replace("smtp://", "smtp://user:secret@"))
        queue_email(sessions)
        report = build_sender(settings, sessions).send_due()
    assert report.retried == 1
    assert "in the clear" in report.errors[0]
    assert smtp.delivered == []
