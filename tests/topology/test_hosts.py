"""The production topology of README "Several hosts", run on this machine (tests/topology/hosts.py):
two hosts, each with a web app, a Rasa worker, an action server and a worker, sharing PostgreSQL and
Redis, behind HAProxy (service/haproxy.cfg) that ends TLS and health-checks /healthz.

While residents text (signed like Twilio, with its fallback URL) and chat (as the chat page does)
through the load balancer:
- one host is lost (kill -9 of all its processes, then its cable pulled): HAProxy stops sending to
  it, the residents pinned to its Rasa worker are served by the other, and when it comes back every
  message sent has been answered exactly once;
- every host is restarted in turn with a new model, drained from HAProxy first: nothing is lost or
  answered twice, and nobody is told the service is having trouble.

Skipped, saying why, only where the machine cannot build it: no root for `ip netns`, no HAProxy
(and `make proxy` could not install it), no redis-server, no PostgreSQL. Figures are printed (-s).
"""
from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from channels.bot_client import BotClient
from channels.responses import render_response
from tests.conftest import postgres_admin
from tests.service_stack import ROOT, strong_test_secret
from tests.topology.answers import alerts_sent, answer_times, answered_ids, is_answered, tally, waiting
from tests.topology.hosts import GRACEFUL_ORDER, Topology, build_topology, missing_prerequisite
from tests.topology.load_balancer import self_signed_certificate
from tests.topology.network import NetworkUnavailable
from tests.topology.residents import ChattingResident, Load, Public, TextingResident
from tests.waiting import wait_for

pytestmark = pytest.mark.postgres

HASH_KEY, WEBCHAT_SECRET = strong_test_secret("PHONE_HASH_KEY"), strong_test_secret("WEBCHAT_SECRET")
# Generous bounds on waiting for events (never a measure of speed): each is a host's Rasa loading its
# model on a busy 2-core machine at most, or a lost turn's Redis lock running out (Rasa's 60 s).
SERVED = 240
# A text the safety screen escalates: a case, and an alert to the connector on the rota.
CRISIS = "ive taken all my tablets and i feel very strange"


@pytest.fixture(scope="module")
def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Topology]:
    if reason := missing_prerequisite():
        pytest.skip(f"cannot build the hosts here: {reason}")
    admin = postgres_admin(isolation_level="AUTOCOMMIT")
    try:
        with build_topology(tmp_path_factory.mktemp("topology"), admin) as built:
            yield built
    except NetworkUnavailable as problem:
        pytest.skip(f"cannot build the hosts here: {problem}")
    finally:
        admin.dispose()


def residents(topology: Topology, trusted: Path, *, first_number: int, pinned_each: int = 2, chats: int = 2) -> Load:
    """Texting residents, `pinned_each` pinned to each host's Rasa worker, and chatting ones."""
    public = Public(topology.balancer.address, trusted)
    pinning = BotClient(topology.rasa_urls, token="-", failover=True)
    texting: dict[str, list[TextingResident]] = {url: [] for url in topology.rasa_urls}
    number = first_number
    while any(len(group) < pinned_each for group in texting.values()):
        resident = TextingResident(public, f"+447700{number:06d}", hash_key=HASH_KEY)
        if len(group := texting[pinning.url_for(resident.sender_id)]) < pinned_each:
            group.append(resident)
        number += 1
    chatting = [ChattingResident(public, n, webchat_secret=WEBCHAT_SECRET) for n in range(1, chats + 1)]
    for chat in chatting:
        chat.open()
    return Load([r for group in texting.values() for r in group], chatting,
                answered=lambda message_id: is_answered(topology.app_database, message_id))


def worker_of(topology: Topology, sender_id: str) -> str:
    url = BotClient(topology.rasa_urls, token="-").url_for(sender_id)
    return next(name for name, host in topology.hosts.items() if host.address in url)


def wait_each_answered(topology: Topology, load: Load, phase: str, count: int, *, held: Callable[[], set[str]] = set) -> None:
    """Until every resident (but those `held`) has had `count` messages sent in `phase` answered."""
    def done() -> bool:
        sent = load.sent(phase)
        answered = answered_ids(topology.app_database, sent)
        return all(sum(e.message_id in answered for e in sent if e.resident == r) >= count for r in set(load.residents) - held())

    wait_for(done, SERVED, f"{count} answers for every resident while {phase}", every=0.5)


def held_since(topology: Topology, load: Load, moment: float) -> set[str]:
    """Residents still waiting on a message they sent before `moment` (later ones of theirs queue behind it)."""
    earlier = [e for e in load.sent() if e.started < moment]
    answered = answered_ids(topology.app_database, earlier)
    return load.waiting_since(moment) | {e.resident for e in earlier if e.message_id not in answered}


def settle(topology: Topology, load: Load) -> None:
    """Until every message sent has its answer and every reply in the outbox is sent."""
    senders = [r.sender_id for r in load.everyone]
    wait_for(lambda: not waiting(topology.app_database, load.sent(), senders), SERVED,
             "every message answered and every outbox reply sent", every=0.5)


def step(what: str) -> None:
    """The test's progress, with the time (shown with -s): where it stands if it fails, and its figures."""
    print(f"{time.strftime('%H:%M:%S')} {what}", flush=True)


def trust(topology: Topology) -> Path:
    return topology.folder / "site-cert.pem"


def test_losing_a_host_under_load(topology: Topology) -> None:
    lost = "host-1"
    balancer = topology.balancer
    load = residents(topology, trust(topology), first_number=900100)
    pinned_to_lost = [r.name for r in load.everyone if worker_of(topology, r.sender_id) == lost]
    trouble = render_response("utter_service_trouble", channel="sms")
    with load.running():
        wait_each_answered(topology, load, "before", 2)
        # One resident pinned to the lost host's worker is between messages when it goes, so that its
        # next message shows who serves them: a resident whose turn was running on the lost worker
        # waits until Rasa's lock on their conversation runs out (60 s), whoever serves them.
        between = next(r.name for r in load.texting if r.name in pinned_to_lost)
        load.paused.add(between)
        wait_for(lambda: between not in load.busy_since, 30, f"{between} to have their answer")
        step(f"every resident answered twice; {between} between messages; losing {lost}")
        # A crisis just before the host goes and another while it is gone: each alert to the connector is
        # sent once, whichever host's worker had claimed it (tallied below).
        in_crisis = TextingResident(Public(balancer.address, trust(topology)), "+447700900999", hash_key=HASH_KEY)
        in_crisis.send(CRISIS, "before")
        load.phase = "host gone"
        started = time.monotonic()
        topology.lose(lost)
        load.paused.clear()
        wait_for(lambda: balancer.servers()[lost].status.startswith("DOWN"), 60, f"HAProxy to mark {lost} down")
        taken_out_after = round(time.monotonic() - started, 1)
        step(f"HAProxy took {lost} out")
        sent_to_lost = balancer.servers()[lost].total_sessions
        # A message the lost host's web app held when it died is answered when that host is back (or,
        # if it never is, after recovery's 330 s): a chat page waits for it. Everyone else is served.
        held = lambda: held_since(topology, load, started)  # noqa: E731
        in_crisis.send(CRISIS, "host gone")
        wait_each_answered(topology, load, "host gone", 2, held=held)
        held_while_gone = sorted(held())
        step(f"every resident answered twice without it, but {held_while_gone}, waiting for a message sent before")
        assert balancer.servers()[lost].total_sessions == sent_to_lost, "HAProxy sent nothing to the lost host once it was down"
        while_gone = load.sent("host gone")
        answered = answered_ids(topology.app_database, while_gone)
        served = {name: sum(e.resident == name and e.message_id in answered for e in while_gone) for name in pinned_to_lost}
        assert between not in held_while_gone and served[between] >= 2, f"{between}, pinned to {lost}'s worker, was served by the other"
        assert all(served[name] >= 2 for name in set(pinned_to_lost) - set(held_while_gone)), served

        load.phase = "host back"
        topology.bring_back(lost)
        topology.hosts[lost].wait_serving()
        topology.wait_in_rotation(lost)
        step(f"{lost} is back in the rotation")
        wait_each_answered(topology, load, "host back", 2)
    step("load stopped")
    settle(topology, load)
    step("every message answered")

    outcome = tally(topology.app_database, load.sent(), [h.stack.folder / "outbox.log" for h in topology.hosts.values()])
    outboxes = [h.stack.folder / "outbox.log" for h in topology.hosts.values()]
    alerts = wait_for(lambda: (sent := alerts_sent(topology.app_database, outboxes)) and all(sent.values()) and sent, SERVED,
                      "every alert sent")
    assert len(alerts) >= 2 and all(times == 1 for times in alerts.values()), f"each alert sent once: {alerts}"
    answers = [reply for e in load.sent() for reply in e.replies]
    print(f"\nlosing {lost}: p95 of an answer at once, by when it was sent: {answer_times(load.sent(), started)}")
    print(f"\nlosing {lost}: alerts sent {sorted(alerts.values())}; HAProxy took it out {taken_out_after} s after its processes were killed; "
          f"residents pinned to it: {', '.join(pinned_to_lost)}; waiting on a message sent before: {held_while_gone}; "
          f"answered while it was gone: {served}; {outcome.figures()}; "
          f"sent a second time (Twilio's fallback URL, the chat page's retry): {sum(len(e.tries) > 1 and 'poll' not in e.tries[1] for e in load.sent())}; "
          f"answered 'having trouble': {sum(trouble in a for a in answers)}")
    assert outcome.lost == [], "\n".join(outcome.lost) + "\n" + topology.logs()
    assert outcome.answered_twice == [] and outcome.texts_sent_twice == [] and outcome.texts_never_sent == []
    assert outcome.answered_once == outcome.sent


def test_a_rolling_change_host_by_host(topology: Topology) -> None:
    """A new model reaches every host in turn; each is drained from HAProxy, stopped gracefully, started on it, and put back."""
    release = topology.folder / "release-2.tar.gz"
    shutil.copyfile(ROOT / "models" / "current.tar.gz", release)
    balancer = topology.balancer
    load = residents(topology, trust(topology), first_number=900500)
    trouble = render_response("utter_service_trouble", channel="sms")
    drained_after: dict[str, float] = {}
    with load.running():
        wait_each_answered(topology, load, "before", 2)
        for name, host in topology.hosts.items():
            load.phase = f"changing {name}"
            started = time.monotonic()
            balancer.drain(name)
            wait_for(lambda: balancer.servers()[name].current_sessions == 0, 60, f"{name}'s requests to finish")  # noqa: B023
            drained_after[name] = round(time.monotonic() - started, 1)
            step(f"{name} drained")
            host.stop()
            host.start(model=release)
            host.wait_serving()
            balancer.ready(name)
            topology.wait_in_rotation(name)
            step(f"{name} back with the new model")
            wait_each_answered(topology, load, f"changing {name}", 2)
        load.phase = "after"
        wait_each_answered(topology, load, "after", 1)
    step("load stopped")
    settle(topology, load)
    step("every message answered")

    outcome = tally(topology.app_database, load.sent(), [h.stack.folder / "outbox.log" for h in topology.hosts.values()])
    answers = [reply for e in load.sent() for reply in e.replies]
    print(f"\nrolling change: drained in {drained_after} s; {outcome.figures()}; answered 'having trouble': {sum(trouble in a for a in answers)}")
    assert outcome.lost == [], "\n".join(outcome.lost) + "\n" + topology.logs()
    assert outcome.answered_twice == [] and outcome.texts_sent_twice == [] and outcome.texts_never_sent == []
    assert outcome.answered_once == outcome.sent
    assert not any(trouble in a for a in answers), "a drained, graceful restart tells nobody the service is having trouble"
    for host in topology.hosts.values():
        assert str(release) in (host.stack.folder / "rasa.log").read_text(errors="replace"), f"{host.name}'s Rasa loaded the new model"


def test_the_readme_gives_a_host_every_setting_the_test_gives_it(topology: Topology) -> None:
    """README "Several hosts" is the guide the topology is built from: each variable a host gets here is in it."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## Several hosts"):readme.index("## Backups")]
    host = next(iter(topology.hosts.values())).stack.env
    ours = {*topology.env, "WEB_INTERFACE", "RASA_INTERFACE", "PHONE_HASH_KEY", "PHONE_ENCRYPTION_KEY", "WEBCHAT_SECRET",
            "RASA_TURNS_TOKEN", "ACTIONS_TOKEN", "TWILIO_AUTH_TOKEN"}
    test_only = {"SMS_RATE_LIMIT", "WEBCHAT_SESSION_RATE_LIMIT", "WEBCHAT_ADDRESS_RATE_LIMIT"}
    assert ours <= set(host)
    missing = sorted(name for name in ours - test_only if f"`{name}" not in section)
    assert missing == [], f"README 'Several hosts' does not mention {missing}"
    for name in GRACEFUL_ORDER:
        assert name in section


def test_the_certificate_is_checked_as_a_phone_would(topology: Topology, tmp_path: Path) -> None:
    """TLS ends at HAProxy with the certificate it was given: a client that does not trust it is refused."""
    _, stranger = self_signed_certificate(tmp_path, topology.balancer.address)
    assert Public(topology.balancer.address, stranger).request("GET", "/healthz")[0] == 0
    status, _, body = Public(topology.balancer.address, trust(topology)).request("GET", "/healthz")
    assert (status, body) == (200, b'{"ready":true}'), "outsiders learn only whether it is ready"
