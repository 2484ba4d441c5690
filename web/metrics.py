"""GET /metrics: the service's metrics in Prometheus' format (service/metrics.py), for the
addresses in METRICS_ALLOWED only (default: this machine). The client address is the one
channels.client trusts (a reverse proxy's header only from TRUSTED_PROXIES), so a public request
forwarded by the proxy is refused like any other.

At each scrape the figures that live in the database (casework.running) are read on a database
thread and the Rasa workers are asked whether they are ready; a database that is down is reported
as connector_database_up 0, never as an error page, so the alert on it can fire.
"""
from __future__ import annotations

import ipaddress

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from casework.running import Running, running
from channels.bot_client import BotClient
from channels.client import client_address
from service.database import DatabaseThreads
from service.metrics import Metrics
from service.settings import Settings

__all__ = ["metrics_blueprint", "allowed_networks"]

DEFAULT_ALLOWED = "127.0.0.1/32,::1/128"


def allowed_networks(settings: Settings) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """METRICS_ALLOWED: comma-separated addresses or networks (a bad entry is a settings error at start)."""
    raw = settings.value("METRICS_ALLOWED", DEFAULT_ALLOWED) or DEFAULT_ALLOWED
    networks = []
    for part in (p.strip() for p in raw.split(",")):
        if part:
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError as problem:
                raise ValueError(f"METRICS_ALLOWED: {part!r} is not an address or network ({problem})") from None
    return networks


def metrics_blueprint(settings: Settings, sessions: sessionmaker, database: DatabaseThreads, bot: BotClient,
                      metrics: Metrics) -> Blueprint:
    bp = Blueprint("metrics")
    networks = allowed_networks(settings)

    def read(session_factory: sessionmaker = sessions) -> Running:
        with session_factory() as session:
            return running(session)

    @bp.get("/metrics")
    async def scrape(request: Request) -> HTTPResponse:
        try:
            address = ipaddress.ip_address(client_address(request, settings).strip("[]"))
        except ValueError:
            address = None
        if address is None or not any(address in network for network in networks):
            return response.text("metrics are for the monitoring system's addresses only (METRICS_ALLOWED)\n", status=403)
        try:
            now = await database.run(read)
        except SQLAlchemyError:
            metrics.database_up.set(0)
        else:
            metrics.database_up.set(1)
            metrics.waiting_for_bot.set(now.waiting_for_bot)
            for channel, count in now.outbox_waiting.items():
                metrics.outbox_waiting.labels(channel=channel).set(count)
            metrics.outbox_oldest.set(now.outbox_oldest_seconds)
            metrics.unacknowledged.set(now.unacknowledged)
            metrics.unacknowledged_oldest.set(now.unacknowledged_oldest_seconds)
        workers = await bot.readiness()
        metrics.rasa_workers.set(len(workers))
        metrics.rasa_workers_ready.set(sum(1 for w in workers if w["ready"]))
        return response.raw(generate_latest(metrics.registry), content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})

    return bp
