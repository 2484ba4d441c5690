"""GET /healthz names each component and is 200 only when all are ready."""
from __future__ import annotations

import asyncio
import dataclasses

import pytest
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker

from casework.heartbeat import beat
from service.settings import load_settings
from tests.service_stack import ServiceStack, free_port
from web.health import health, schema_heads


@pytest.mark.service
def test_the_running_service_is_healthy(service: ServiceStack) -> None:
    status, body = service.health()
    assert status == 200
    assert body["ready"] is True
    assert set(body["components"]) == {"rasa", "actions", "database", "worker", "sms_provider", "safety_model"}
    assert all(c["ready"] for c in body["components"].values())
    assert body["safety_model"] == "ok"


def test_health_is_503_and_says_which_parts_are_down(app_engine: Engine, app_sessions: sessionmaker) -> None:
    settings = dataclasses.replace(
        load_settings(),
        database_url=str(app_engine.url),
        rasa_urls=(f"http://127.0.0.1:{free_port()}",),
        actions_url=f"http://127.0.0.1:{free_port()}",
    )
    with app_sessions.begin() as session:
        beat(session, "worker")
    status, body = asyncio.run(health(settings, app_sessions, schema_heads(settings)))
    assert status == 503
    parts = body["components"]
    assert parts["rasa"]["ready"] is False and parts["actions"]["ready"] is False
    assert parts["database"] == {"ready": True, "schema": "current"}
    assert parts["worker"] == {"ready": True}


def test_a_safety_model_that_failed_is_shown_without_taking_the_service_out_of_rotation(app_engine: Engine, app_sessions: sessionmaker,
                                                                                        tmp_path) -> None:
    from casework.safety.screen import SafetyScreen

    settings = dataclasses.replace(load_settings(), database_url=str(app_engine.url))
    rules_only = SafetyScreen.load(head_path=tmp_path / "missing.npz")
    _, body = asyncio.run(health(settings, app_sessions, schema_heads(settings), safety=rules_only))
    assert body["safety_model"] == "failing"
    assert body["components"]["safety_model"]["ready"] is False and "make safety-model" in body["components"]["safety_model"]["error"]
    _, loaded = asyncio.run(health(settings, app_sessions, schema_heads(settings), safety=SafetyScreen.load()))
    assert loaded["safety_model"] == "ok"
    # Readiness is the other components': the rules still answer, so a load balancer keeps sending.
    assert body["ready"] == loaded["ready"]


def test_health_reports_a_database_that_is_down(app_engine: Engine) -> None:
    from service.database import make_engine, make_sessionmaker

    settings = load_settings()
    down = make_sessionmaker(make_engine("postgresql://nobody@127.0.0.1:1/none"))
    status, body = asyncio.run(health(settings, down, schema_heads(settings)))
    assert status == 503
    assert body["components"]["database"]["ready"] is False
    assert body["components"]["worker"]["ready"] is False


@pytest.mark.service
def test_the_web_app_serves_the_directory_as_open_referral(service: ServiceStack) -> None:
    import json
    import urllib.request

    with urllib.request.urlopen(service.web_url + "/openreferral/services?per_page=5", timeout=10) as reply:
        page = json.loads(reply.read())
    assert reply.status == 200
    assert page["total_items"] >= 150 and len(page["contents"]) == 5
    first = page["contents"][0]["id"]
    with urllib.request.urlopen(service.web_url + f"/openreferral/services/{first}", timeout=10) as reply:
        assert json.loads(reply.read())["id"] == first


def test_the_checks_are_reused_for_a_moment_and_shared_by_concurrent_callers() -> None:
    from web.health import CachedHealth

    runs = []
    now = [100.0]

    async def check():
        runs.append(now[0])
        await asyncio.sleep(0.01)
        return 200, {"ready": True}

    cached = CachedHealth(check, seconds=2, clock=lambda: now[0])

    async def flood():
        return await asyncio.gather(*(cached.answer() for _ in range(50)))

    assert all(answer == (200, {"ready": True}) for answer in asyncio.run(flood()))
    assert len(runs) == 1, "fifty requests at once cost one check"
    now[0] += 1.9
    asyncio.run(cached.answer())
    assert len(runs) == 1
    now[0] += 0.2
    asyncio.run(cached.answer())
    assert len(runs) == 2, "after the cache time the components are checked again"


def test_details_go_to_this_machine_or_the_health_token_only() -> None:
    from types import SimpleNamespace

    from web.health import may_see_details

    token = "h" + "Q7w3E9r1T5y8U2i6O4p0A-s_D" * 2
    settings = dataclasses.replace(load_settings(), extra={"HEALTH_TOKEN": token})

    def asked(ip: str, **headers: str) -> bool:
        return may_see_details(SimpleNamespace(ip=ip, headers={k.lower().replace("_", "-"): v for k, v in headers.items()}), settings)

    assert asked("127.0.0.1") and asked("::1")
    assert not asked("127.0.0.1", x_forwarded_for="203.0.113.9"), "through a local proxy it is someone outside"
    assert not asked("203.0.113.9")
    assert asked("203.0.113.9", authorization=f"Bearer {token}")
    assert not asked("203.0.113.9", authorization=f"Bearer {token[:-1]}")
