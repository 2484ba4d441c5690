"""GET /metrics (issue 20): Prometheus' format from the running web app, for METRICS_ALLOWED only.

Against the session's real service: a signed SMS turn shows up in the turn counter and histogram
and in the safety screen's decisions; the figures from the database and the Rasa workers are there;
no label or value carries a number or a message. With the web app alone (no Rasa, no worker), what waits is
seen to move: a text waiting for the bot, a case nobody has acknowledged, its alert in the outbox, and their
ages; no Rasa worker ready. From an address outside METRICS_ALLOWED: 403."""
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


def test_what_waits_moves_in_the_metrics(tmp_path: Path) -> None:
    """The series that say something is stuck, each seen to move: with no Rasa, no action server and no worker
    behind the web app, a text waits for the bot, a crisis opens a case nobody has acknowledged yet and its
    alert to the connector on duty waits in the outbox, and no Rasa worker is ready."""
    import subprocess
    import sys
    import time

    from service.database import make_engine
    from service.migrate import upgrade_engine
    from service.settings import ROOT

    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    upgrade_engine(engine)
    engine.dispose()
    with web_alone(tmp_path) as web:
        subprocess.run([sys.executable, "-m", "casework", "connectors", "add", "--name", "Sam", "--phone", "+447700900555",
                        "--email", "sam@example.org"], env=web.env, cwd=ROOT, check=True, capture_output=True)
        _, _, before = scrape(web)
        post_form(web, sms_form("hello, anything on in Deal", sender=unique_number()))
        post_form(web, sms_form("I've taken all my tablets and I feel sleepy", sender=unique_number()))
        time.sleep(1.1)
        _, _, after = scrape(web)
    moved = {name: (value(before, name, **labels), value(after, name, **labels)) for name, labels in (
        ("connector_messages_waiting_for_bot", {}), ("connector_cases_unacknowledged", {}),
        ("connector_cases_unacknowledged_oldest_seconds", {}), ("connector_outbox_waiting", {"channel": "sms"}),
        ("connector_outbox_oldest_waiting_seconds", {}))}
    print("\n" + ", ".join(f"{name} {a:g} -> {b:g}" for name, (a, b) in moved.items()))
    assert moved["connector_messages_waiting_for_bot"] == (0, 1)  # the hello, with no Rasa to answer it
    assert moved["connector_cases_unacknowledged"] == (0, 1)  # the crisis, nobody has replied ACK
    assert moved["connector_cases_unacknowledged_oldest_seconds"][1] >= 1
    assert moved["connector_outbox_waiting"][1] >= 1 + moved["connector_outbox_waiting"][0]  # the alert to Sam, no worker to send it
    assert moved["connector_outbox_oldest_waiting_seconds"][1] >= 1
    assert value(after, "connector_rasa_workers") >= 1 and value(after, "connector_rasa_workers_ready") == 0
    assert value(after, "connector_safety_decisions_total", tier="clear", layer="rules") == 1
