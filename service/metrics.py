"""The service's metrics in Prometheus' format (the official client library), kept in one registry per
process. The web app serves them at /metrics to configured addresses only (web/metrics.py); the
intake counts its turns and the safety screen's decisions here. Nothing personal is ever a label:
channels, tiers, layers and states only.

The web app is one process (web/__main__.py), so a plain registry is enough; several web processes
behind a load balancer are each scraped on their own address.
"""
from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

__all__ = ["Metrics"]

# A turn is tens of milliseconds when all is well and seconds when Rasa is busy or loading.
TURN_BUCKETS = (0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """Every metric the service exports, in its own registry (a test builds as many apps as it likes)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.turns = Counter("connector_turns", "Messages from residents answered by the intake, by channel and outcome",
                             ("channel", "outcome"), registry=r)
        self.turn_seconds = Histogram("connector_turn_seconds", "Time from a message's arrival to its answer (or to its wait)",
                                      ("channel",), buckets=TURN_BUCKETS, registry=r)
        self.safety_decisions = Counter("connector_safety_decisions", "The safety screen's decisions, by tier and by the layer that decided",
                                        ("tier", "layer"), registry=r)
        self.waiting_for_bot = Gauge("connector_messages_waiting_for_bot", "Messages recorded and waiting for Rasa or the action server",
                                     registry=r)
        self.outbox_waiting = Gauge("connector_outbox_waiting", "Outbox messages not yet sent (queued or sending), by channel",
                                    ("channel",), registry=r)
        self.outbox_oldest = Gauge("connector_outbox_oldest_waiting_seconds", "Age of the oldest outbox message not yet sent (0: none)",
                                   registry=r)
        self.unacknowledged = Gauge("connector_cases_unacknowledged", "Open cases no connector has acknowledged yet", registry=r)
        self.unacknowledged_oldest = Gauge("connector_cases_unacknowledged_oldest_seconds",
                                           "Age of the oldest case no connector has acknowledged (0: none)", registry=r)
        self.rasa_workers = Gauge("connector_rasa_workers", "Rasa workers configured", registry=r)
        self.rasa_workers_ready = Gauge("connector_rasa_workers_ready", "Rasa workers with their model loaded and tracker store saving",
                                        registry=r)
        self.database_up = Gauge("connector_database_up", "1 when the application database answered the last scrape", registry=r)
