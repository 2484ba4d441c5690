"""GET /metrics (issue 20): Prometheus' format from the running web app, for METRICS_ALLOWED only.

Against the session's real service: a signed SMS turn shows up in the turn counter and histogram
and in the safety screen's decisions; the figures from the database and the Rasa workers are there;
no label or value carries a number or a message. From an address outside METRICS_ALLOWED: 403."""
from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from tests.channels.test_sms_webhook import unique_number
from tests.service_stack import ServiceStack, web_alone
from tests.twilio_signing import post_form, sms_form


def scrape(stack: ServiceStack) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(stack.web_url + "/metrics", timeout=10) as reply:
            return reply.status, reply.headers.get("Content-Type", ""), reply.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers.get("Content-Type", ""), refused.read().decode()


def samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for family in text_string_to_metric_families(body) for s in family.samples}


def value(body: str, name: str, **labels: str) -> float:
    return samples(body).get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.service
def test_a_turn_and_the_service_state_are_in_the_metrics(service: ServiceStack) -> None:
    status, kind, before = scrape(service)
    assert status == 200 and kind.startswith("text/plain")
    number = unique_number()
    post_form(service, sms_form("im so alone, nobody calls, i might as well not be here", sender=number))
    post_form(service, sms_form("hello", sender=number))
    _, _, after = scrape(service)

    turns = sum(v for (name, labels), v in samples(after).items() if name == "connector_turns_total" and ("channel", "sms") in labels)
    turns_before = sum(v for (name, labels), v in samples(before).items() if name == "connector_turns_total" and ("channel", "sms") in labels)
    assert turns - turns_before == 2
    assert value(after, "connector_turn_seconds_count", channel="sms") - value(before, "connector_turn_seconds_count", channel="sms") == 2
    flagged = [k for k in samples(after) if k[0] == "connector_safety_decisions_total" and ("tier", "none") not in k[1]]
    assert flagged, "the first text is flagged by the screen and counted by tier and layer"
    assert value(after, "connector_database_up") == 1
    assert value(after, "connector_rasa_workers") >= 1 and value(after, "connector_rasa_workers_ready") == value(after, "connector_rasa_workers")
    for name in ("connector_messages_waiting_for_bot", "connector_outbox_oldest_waiting_seconds", "connector_cases_unacknowledged",
                 "connector_cases_unacknowledged_oldest_seconds"):
        assert (name, ()) in samples(after), name
    assert ("connector_outbox_waiting", (("channel", "sms"),)) in samples(after)
    assert number not in after and number[3:] not in after and "alone" not in after
    # Labels are channels, outcomes, tiers and layers: never anything like a number (values may be long floats).
    labels = [value for family in text_string_to_metric_families(after) for sample in family.samples for value in sample.labels.values()]
    assert labels and not [v for v in labels if re.search(r"\d{5,}", v)]


def test_an_address_outside_metrics_allowed_is_refused(tmp_path: Path) -> None:
    with web_alone(tmp_path, {"METRICS_ALLOWED": "10.20.30.0/24"}) as web:
        status, _, body = scrape(web)
    assert status == 403 and "METRICS_ALLOWED" in body and "connector_" not in body
