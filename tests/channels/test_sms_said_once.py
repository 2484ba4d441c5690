"""What a neighbour or resident reads over SMS is said once (issue 17), against the running service: the
safety screen, the trained model and the action server, through Twilio's signed webhook."""
from __future__ import annotations

import pytest

from tests.channels.test_sms_webhook import db_rows, text, unique_number
from tests.service_stack import ServiceStack

NOTICE = "Privacy:"
# A neighbour's whole report, one text at a time: the worry, who, where, what worries them (which reads
# as a worry too), how soon ("2": today), whether he knows ("2": no), how they know him ("1":
# neighbour) and whether to be told when it has been looked into ("1": yes).
REPORT = ["the man across the road hasnt opened his curtains in days", "mr jones at number 12", "12 laird st ch41 8ab",
          "hes not been seen since sunday and his milk is still on the step, im worried hes had a fall", "2", "2", "1", "1"]
QUESTIONS = ["Who are you worried about?", "Where do they live?", "What worries you about them?", "How soon should someone check on them?",
             "Do they know you are telling us?", "How do you know them?", "Shall we text you when it has been looked into?"]


@pytest.mark.service
def test_the_sms_report_flow_says_999_and_thank_you_once_and_still_asks_and_promises_everything(service: ServiceStack) -> None:
    number = unique_number()
    replies = [text(service, body, number) for body in REPORT]
    flow = "\n".join(replies)
    assert flow.count("999") == 1 and "999" in replies[0], "the 999 advice once, at the start"
    assert flow.lower().count("thank") == 1 and replies[0].startswith("Thank you for looking out for them."), "the thanks once, at the start"
    for question, reply in zip(QUESTIONS, replies, strict=False):
        assert question in reply, (question, reply)
    assert "ref WC-" in replies[-1] and "We will text you when it has been looked into." in replies[-1], replies[-1]


@pytest.mark.service
def test_a_resident_whose_first_text_is_a_crisis_gets_the_privacy_notice_with_the_next_ordinary_reply(service: ServiceStack) -> None:
    number = unique_number()
    question = text(service, "whats the point of going on, im a burden", number)
    crisis = text(service, "yes", number)  # to "are you thinking about ending your life?"
    ordinary, third = text(service, "thank you", number), text(service, "hello", number)
    assert NOTICE not in question and NOTICE not in crisis
    assert crisis.startswith("Thank you for telling me.") and "116 123" in crisis, "the crisis answer as it was: numbers first"
    assert ordinary.count(NOTICE) == 1 and not ordinary.startswith(NOTICE)
    assert NOTICE not in third
    sender = "(SELECT sender_id FROM inbound_message ORDER BY id DESC LIMIT 1)"
    assert db_rows(service, f"SELECT privacy_notice_at IS NOT NULL FROM resident WHERE sender_id = {sender}") == [(1,)]
    assert ("suggestions", 1, "first_contact") in db_rows(service, f"SELECT purpose, granted, source FROM consent WHERE sender_id = {sender}")
