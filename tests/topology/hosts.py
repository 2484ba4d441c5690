"""The production topology of README "Several hosts", built on this machine.

    residents, Twilio (the test) --https--> lb: HAProxy (service/haproxy.cfg), TLS ends here
                                              |  health-checks GET /healthz on each host
                           +------------------+------------------+
                        host-1                                 host-2
               web, Rasa, actions, worker             web, Rasa, actions, worker
                           |  each web knows both Rasa workers (RASA_URL)  |
                           +-------------------+-----------------+
                      data: Redis (lock store, shared limits); PostgreSQL (app and tracker databases)

Each host is a network namespace (tests/topology/network.py) running the service's own processes
through tests/service_stack.py, with the environment the README gives a host. PostgreSQL is this
machine's server, reached through its unix socket (it listens on the loopback only, and a namespace
has a loopback of its own; the socket is a file, which every namespace sees), in two databases made
for the run and dropped after it. Redis is a private redis-server on the data host, with a password.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.service_stack import ROOT, ServiceStack, strong_test_secret
from tests.topology.load_balancer import HAPROXY, LoadBalancer
from tests.topology.network import Network, sweep_abandoned
from tests.waiting import wait_for

__all__ = ["Host", "Topology", "build_topology", "missing_prerequisite", "GRACEFUL_ORDER"]

POSTGRES_SOCKET = Path("/var/run/postgresql/.s.PGSQL.5432")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
READY_PATH = "/webhooks/turns/"  # a Rasa worker's readiness (channels/rasa_turns.py)
# A host is stopped front to back: the web app first (drained, it finishes what it holds), then Rasa
# (finishing its turns, which still call the action server), then the action server and the worker.
GRACEFUL_ORDER = ("web", "rasa", "actions", "worker")
PORTS = {"WEB_PORT": "8000", "RASA_PORT": "5005", "ACTIONS_PORT": "5055"}


def missing_prerequisite() -> str | None:
    """Why this machine cannot build the topology, or None. HAProxy is installed as `make test` does."""
    if os.geteuid() != 0:
        return "network namespaces need root (ip netns add)"
    if not shutil.which("ip"):
        return "iproute2's `ip` is not installed"
    if not os.path.exists(HAPROXY):
        subprocess.run(["make", "-C", str(ROOT), "proxy"], capture_output=True)
        if not os.path.exists(HAPROXY):
            return "HAProxy is not installed and `make proxy` (apt-get install haproxy) could not install it"
    if not os.path.exists(REDIS_SERVER):
        return "redis-server is not installed (Debian's redis-server package)"
    if not POSTGRES_SOCKET.exists():
        return f"no PostgreSQL server's unix socket at {POSTGRES_SOCKET}"
    return None


@dataclass
class Host:
    """One machine of the service: its namespace, its address, its processes."""

    name: str
    address: str
    stack: ServiceStack

    def start(self, *, model: Path | None = None) -> None:
        if model is not None:
            self.stack.env["RASA_MODEL"] = str(model)  # a new model (or release) arrives on this host
        self.stack.start()

    def wait_serving(self) -> None:
        """Its own Rasa worker has its model loaded, and its web app's /healthz says 200."""
        self.stack.wait_answering("rasa", READY_PATH, timeout=300)
        self.stack.wait_ready(timeout=300)

    def stop(self) -> None:
        """As `systemctl stop` would: SIGTERM, front to back, each finishing what it holds."""
        for name in GRACEFUL_ORDER:
            self.stack.stop(name)

    def kill(self) -> None:
        """kill -9 of every process of the host: nothing finishes, nothing is flushed."""
        for name in GRACEFUL_ORDER:
            self.stack.stop(name, signal.SIGKILL)


@dataclass
class Topology:
    folder: Path
    network: Network
    hosts: dict[str, Host]
    balancer: LoadBalancer
    app_database: Engine  # for the test's reading of the inbound log and the outbox
    env: dict[str, str] = field(default_factory=dict)  # what every host shares

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        return tuple(self.env["RASA_URL"].split(","))

    def lose(self, name: str) -> None:
        """The host is gone: every process killed, then its cable pulled (a host that does not come back
        refuses nothing: new connections to it time out)."""
        self.hosts[name].kill()
        self.network.unplug(name)

    def bring_back(self, name: str, *, model: Path | None = None) -> None:
        self.network.plug_in(name)
        self.hosts[name].start(model=model)

    def wait_in_rotation(self, name: str, timeout: float = 120) -> None:
        wait_for(lambda: self.balancer.servers()[name].status == "UP", timeout, f"HAProxy to send requests to {name} again")

    def logs(self) -> str:
        tails = [host.stack.log_tail(n, 30) for host in self.hosts.values() for n in GRACEFUL_ORDER]
        return "\n".join(tails) + "\n--- haproxy ---\n" + self.balancer.log()


def _database_names() -> tuple[str, str]:
    run = f"connector_topology_{os.getpid()}"
    return f"{run}_app", f"{run}_tracker"


def _drop_abandoned_databases(admin: Engine) -> None:
    """Databases of earlier runs whose pytest process is gone (killed before it could clean up)."""
    with admin.connect() as connection:
        names = connection.execute(text("SELECT datname FROM pg_database WHERE datname LIKE 'connector_topology_%'")).scalars().all()
        for name in names:
            match = re.fullmatch(r"connector_topology_(\d+)_\w+", name)
            if match and not os.path.exists(f"/proc/{match[1]}"):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _start_redis(stack: ExitStack, network: Network, folder: Path, password: str) -> str:
    address = network.hosts["data"]
    log = open(folder / "redis.log", "ab")
    stack.callback(log.close)
    redis = subprocess.Popen(
        [*network.run_in("data"), REDIS_SERVER, "--bind", address, "--port", "6379", "--requirepass", password, "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    stack.callback(redis.wait)
    stack.callback(redis.kill)

    import redis as redis_client

    def answers() -> bool:
        try:
            with redis_client.Redis(host=address, port=6379, password=password, socket_connect_timeout=1) as client:
                return bool(client.ping())
        except redis_client.exceptions.RedisError:
            if redis.poll() is not None:
                raise RuntimeError(f"redis-server exited:\n{(folder / 'redis.log').read_text(errors='replace')}") from None
            return False

    wait_for(answers, 30, "redis-server on the data host")
    return address


@contextmanager
def build_topology(folder: Path, admin: Engine, *, hosts: int = 2) -> Iterator[Topology]:
    """Everything of the diagram above, ready and in the load balancer's rotation; all of it removed
    afterwards (namespaces, processes, databases), whether the test passed or not."""
    sweep_abandoned()
    _drop_abandoned_databases(admin)
    with ExitStack() as cleanup:
        app_name, tracker_name = _database_names()
        with admin.connect() as connection:
            for name in (app_name, tracker_name):
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        for name in (app_name, tracker_name):
            cleanup.callback(_drop, admin, name)

        network = Network()
        cleanup.callback(network.remove)
        network.build()
        network.add_host("data", 2)
        lb_address = network.add_host("lb", 3)
        names = [f"host-{n}" for n in range(1, hosts + 1)]
        addresses = {name: network.add_host(name, 10 + n) for n, name in enumerate(names, start=1)}

        redis_password = secrets.token_hex(24)
        data = _start_redis(cleanup, network, folder, redis_password)
        user = admin.url.username or "postgres"
        # libpq's default socket directory (/var/run/postgresql on Debian) when the URL names no host.
        shared = {
            "ENVIRONMENT": "production",
            "DATABASE_URL": f"postgresql+psycopg2://{user}@/{app_name}",
            "TRACKER_DATABASE_URL": f"postgresql+psycopg2://{user}@/{tracker_name}",
            "LOCK_STORE_URL": f"redis://:{redis_password}@{data}:6379/0",
            "REDIS_URL": f"redis://:{redis_password}@{data}:6379/1",
            # Every replica lists every worker, in the same order: a resident's worker is chosen by position.
            "RASA_URL": ",".join(f"http://{addresses[name]}:{PORTS['RASA_PORT']}" for name in names),
            "PUBLIC_BASE_URL": f"https://{lb_address}",
            "SANIC_PROXIES_COUNT": "1",
            "TRUSTED_PROXIES": lb_address,
            "HEALTH_TOKEN": strong_test_secret("HEALTH_TOKEN"),
            **PORTS,
            # A handful of residents send many messages fast here; the limits are not what is tested.
            "SMS_RATE_LIMIT": "600,600", "WEBCHAT_SESSION_RATE_LIMIT": "600,600", "WEBCHAT_ADDRESS_RATE_LIMIT": "600,600",
        }
        machines = {}
        for name in names:
            stack = ServiceStack(folder / name, {**shared, "WEB_INTERFACE": addresses[name], "RASA_INTERFACE": addresses[name]},
                                 run_in=tuple(network.run_in(name)), address=addresses[name])
            machines[name] = Host(name, addresses[name], stack)
            cleanup.callback(stack.stop_all)
        # Rasa and the action server need nothing of the application database: they load while it is
        # migrated and the directory loaded, once, from anywhere (here: the test's own namespace).
        for host in machines.values():
            host.stack.start(("rasa", "actions"))
        machines[names[0]].stack.prepare()
        # A connector for the alerts a crisis queues (the load's own texts are ordinary).
        subprocess.run([sys.executable, "-m", "casework", "connectors", "add", "--name", "Sam Rota", "--phone", "+447700900555",
                        "--email", "sam@council.example", "--patch", "CH41 CH42 CH43 CH44 CH45 CT9 CT10 CT11"],
                       env=machines[names[0]].stack.env, cwd=ROOT, check=True, capture_output=True)
        for host in machines.values():
            host.stack.start(("web", "worker"))
        for host in machines.values():
            host.wait_serving()

        balancer = LoadBalancer(folder, lb_address, {name: f"{addresses[name]}:{PORTS['WEB_PORT']}" for name in names},
                                run_in=network.run_in("lb"))
        cleanup.callback(balancer.stop)
        balancer.start()
        wait_for(balancer.answering, 30, "HAProxy's admin socket")
        from sqlalchemy import create_engine

        app_database = create_engine(shared["DATABASE_URL"], future=True)
        cleanup.callback(app_database.dispose)
        topology = Topology(folder, network, machines, balancer, app_database, shared)
        for name in names:
            topology.wait_in_rotation(name)
        yield topology


def _drop(admin: Engine, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
