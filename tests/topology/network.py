"""Machines on one machine: each host a network namespace with its own address, all on one switch.

    root namespace (the test: residents, Twilio)  10.X.Y.1 on the bridge (the switch)
    data      redis-server                         10.X.Y.2
    lb        HAProxy                              10.X.Y.3
    host-1    web, Rasa, actions, worker           10.X.Y.11
    host-2    the same                             10.X.Y.12

A namespace has its own interfaces, addresses, ports and loopback, so every process listens on its
ordinary port (8000, 5005, 5055) as it would on a machine of its own, and one host's loopback is
not another's. The filesystem is shared: PostgreSQL's unix socket is reachable from every host.

Everything is named after the pytest process (`cc<pid>-...`), so a run that was killed before it
could clean up is recognised by its dead pid and swept by the next run.
"""
from __future__ import annotations

import ipaddress
import os
import random
import re
import signal
import subprocess
from dataclasses import dataclass, field

__all__ = ["Network", "NetworkUnavailable", "sweep_abandoned"]

_OURS = re.compile(r"^cc(\d+)-")


class NetworkUnavailable(Exception):
    """This machine will not let us make namespaces (not root, no `ip`, a locked-down container)."""


def _ip(*args: str, namespace: str | None = None) -> str:
    command = ["ip", "netns", "exec", namespace, "ip", *args] if namespace else ["ip", *args]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_abandoned() -> list[str]:
    """Remove the namespaces (and their processes) and bridges of earlier runs whose pytest is gone."""
    swept = []
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    for line in listed.splitlines():
        name = line.split()[0] if line.split() else ""
        match = _OURS.match(name)
        if not match or _alive(int(match[1])):
            continue
        pids = subprocess.run(["ip", "netns", "pids", name], capture_output=True, text=True).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
        subprocess.run(["ip", "netns", "del", name], capture_output=True)
        swept.append(name)
    for line in subprocess.run(["ip", "-o", "link", "show", "type", "bridge"], capture_output=True, text=True).stdout.splitlines():
        bridge = line.split(":")[1].strip().split("@")[0]
        if (match := re.fullmatch(r"cb(\d+)", bridge)) and not _alive(int(match[1])):
            subprocess.run(["ip", "link", "del", bridge], capture_output=True)
            swept.append(bridge)
    return swept


def _free_subnet() -> ipaddress.IPv4Network:
    """A /24 in 10.200-254.x.x that no interface or route of this machine uses."""
    routes = subprocess.run(["ip", "-4", "-o", "route", "show", "table", "all"], capture_output=True, text=True).stdout.splitlines()
    used = []
    for line in routes:
        words = line.split()
        destination = words[1] if words and words[0] in ("local", "broadcast", "unicast") else (words[0] if words else "default")
        if destination != "default":
            try:
                used.append(ipaddress.ip_network(destination, strict=False))
            except ValueError:
                continue
    for _ in range(100):
        subnet = ipaddress.IPv4Network(f"10.{random.randint(200, 254)}.{random.randint(0, 255)}.0/24")
        if not any(subnet.overlaps(other) for other in used):
            return subnet
    raise NetworkUnavailable("no free 10.x.y.0/24 subnet for the test's hosts")


@dataclass
class Network:
    """The switch (a bridge in the root namespace) and the hosts plugged into it."""

    run: str = field(default_factory=lambda: f"cc{os.getpid()}")
    subnet: ipaddress.IPv4Network = field(default_factory=_free_subnet)
    hosts: dict[str, str] = field(default_factory=dict)  # name -> address
    cables: dict[str, str] = field(default_factory=dict)  # name -> the switch's end of its cable

    @property
    def bridge(self) -> str:
        return "cb" + self.run.removeprefix("cc")

    @property
    def gateway(self) -> str:
        """The root namespace's address on the switch: where the residents' requests come from."""
        return str(self.subnet[1])

    def namespace(self, host: str) -> str:
        return f"{self.run}-{host}"

    def build(self) -> None:
        try:
            _ip("link", "add", self.bridge, "type", "bridge")
        except (OSError, subprocess.CalledProcessError) as error:
            raise NetworkUnavailable(f"cannot make a bridge ({getattr(error, 'stderr', '') or error})") from None
        _ip("addr", "add", f"{self.gateway}/{self.subnet.prefixlen}", "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")

    def add_host(self, host: str, last_octet: int) -> str:
        """A namespace with one interface, eth0, cabled to the switch; its address."""
        address = str(self.subnet[last_octet])
        # The switch's end of the cable; interface names are at most 15 characters.
        namespace, cable = self.namespace(host), f"c{self.run.removeprefix('cc')}x{len(self.cables)}"
        try:
            subprocess.run(["ip", "netns", "add", namespace], check=True, capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as error:
            raise NetworkUnavailable(f"cannot make a network namespace ({getattr(error, 'stderr', '') or error})") from None
        self.hosts[host], self.cables[host] = address, cable
        _ip("link", "add", cable, "type", "veth", "peer", "name", "eth0", "netns", namespace)
        _ip("link", "set", cable, "master", self.bridge)
        _ip("link", "set", cable, "up")
        _ip("link", "set", "lo", "up", namespace=namespace)
        _ip("addr", "add", f"{address}/{self.subnet.prefixlen}", "dev", "eth0", namespace=namespace)
        _ip("link", "set", "eth0", "up", namespace=namespace)
        return address

    def unplug(self, host: str) -> None:
        """Pull the host's cable: nothing reaches it and nothing it sends leaves (no refusal, no reset)."""
        _ip("link", "set", self.cables[host], "down")

    def plug_in(self, host: str) -> None:
        _ip("link", "set", self.cables[host], "up")

    def run_in(self, host: str) -> list[str]:
        """The command prefix that runs a process on `host`."""
        return ["ip", "netns", "exec", self.namespace(host)]

    def remove(self) -> None:
        """Every namespace (killing whatever still runs in it) and the switch."""
        for host in list(self.hosts):
            namespace = self.namespace(host)
            for pid in subprocess.run(["ip", "netns", "pids", namespace], capture_output=True, text=True).stdout.split():
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
            subprocess.run(["ip", "netns", "del", namespace], capture_output=True)
        subprocess.run(["ip", "link", "del", self.bridge], capture_output=True)
        self.hosts.clear()
        self.cables.clear()
