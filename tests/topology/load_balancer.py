"""Debian's HAProxy in front of the hosts, run from the service's own config (service/haproxy.cfg).

The config reads its addresses from the environment ("${CONNECTOR_...}"), so the test hands HAProxy
exactly the file a council deploys. Its admin socket (a unix socket: reachable from the test though
HAProxy runs in its own namespace) is how the test, like an operator, drains a host and reads what
HAProxy thinks of each one.
"""
from __future__ import annotations

import csv
import datetime
import ipaddress
import shutil
import socket
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from tests.service_stack import ROOT

__all__ = ["CONFIG", "HAPROXY", "LoadBalancer", "Server", "self_signed_certificate"]

CONFIG = ROOT / "service" / "haproxy.cfg"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
BACKEND = "web"


def self_signed_certificate(folder: Path, address: str) -> tuple[Path, Path]:
    """A throwaway certificate for `address`, made here: HAProxy's PEM (certificate then key) and the
    certificate alone, which the residents' clients trust, so TLS is checked as a phone would check it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, address)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(address))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    certificate = cert.public_bytes(serialization.Encoding.PEM)
    pem, trusted = folder / "site.pem", folder / "site-cert.pem"
    pem.write_bytes(certificate + key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    pem.chmod(0o600)
    trusted.write_bytes(certificate)
    return pem, trusted


@dataclass(frozen=True)
class Server:
    """One host as HAProxy sees it: UP, DOWN, DRAIN, MAINT...; sessions now and in all."""

    status: str
    current_sessions: int
    total_sessions: int


@dataclass
class LoadBalancer:
    folder: Path
    address: str
    hosts: dict[str, str]  # server name in the config (host-1...) -> the host's web app, address:port
    run_in: list[str] = field(default_factory=list)
    process: subprocess.Popen | None = None

    @property
    def admin_socket(self) -> Path:
        return self.folder / "haproxy-admin.sock"

    @property
    def public_url(self) -> str:
        return f"https://{self.address}"

    def start(self) -> Path:
        """HAProxy in the foreground; the certificate the residents' clients should trust."""
        pem, trusted = self_signed_certificate(self.folder, self.address)
        env = {
            "CONNECTOR_LISTEN": f"{self.address}:443",
            "CONNECTOR_TLS_PEM": str(pem),
            "CONNECTOR_ADMIN_SOCKET": str(self.admin_socket),
            **{f"CONNECTOR_HOST_{n}": web for n, web in enumerate(self.hosts.values(), start=1)},
            "PATH": "/usr/sbin:/usr/bin:/sbin:/bin",
        }
        with open(self.folder / "haproxy.log", "ab") as log:
            self.process = subprocess.Popen([*self.run_in, HAPROXY, "-db", "-f", str(CONFIG)], env=env, stdout=log, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        return trusted

    def admin(self, command: str) -> str:
        """One command on HAProxy's admin socket, as `socat stdio /run/haproxy/admin.sock` sends it."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(5)
            s.connect(str(self.admin_socket))
            s.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def servers(self) -> dict[str, Server]:
        """`show stat`: each host's state in the web backend."""
        lines = self.admin("show stat").lstrip("# ").splitlines()
        rows = csv.DictReader(lines)
        return {row["svname"]: Server(row["status"], int(row["scur"] or 0), int(row["stot"] or 0))
                for row in rows if row["pxname"] == BACKEND and row["svname"] not in ("FRONTEND", "BACKEND")}

    def answering(self) -> bool:
        if self.process is not None and self.process.poll() is not None:
            raise RuntimeError(f"HAProxy exited with {self.process.returncode}:\n{self.log()}")
        try:
            return bool(self.servers())
        except OSError:
            return False

    def drain(self, host: str) -> None:
        """No new requests for this host; those under way finish. Health checks go on."""
        self.admin(f"set server {BACKEND}/{host} state drain")

    def ready(self, host: str) -> None:
        """Back into the rotation (once its health checks pass)."""
        self.admin(f"set server {BACKEND}/{host} state ready")

    def log(self) -> str:
        path = self.folder / "haproxy.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
