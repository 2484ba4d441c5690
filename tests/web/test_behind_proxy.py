"""Behind a real TLS reverse proxy (Debian's nginx, installed by `make proxy`), each client is still
itself: the console's lock-out, the chat's new-session limit and the chat's per-address limit count
per client, not for everyone behind the proxy together; cookies are Secure and HSTS is sent; /healthz
tells outsiders only whether the service is ready. A client that reaches the app directly cannot
name itself someone else with X-Forwarded-For.

The clients come from different loopback addresses (127.0.0.2, 127.0.0.3...), as people on different
networks would; nginx adds each one's address to X-Forwarded-For.
"""
from __future__ import annotations

import datetime
import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from casework.cases.connectors import add_connector
from casework.console.access import set_password
from service.database import make_engine, make_sessionmaker
from service.migrate import upgrade_engine
from service.settings import load_settings
from tests.service_stack import free_port, strong_test_secret, web_alone

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
JO_PHONE, JO_PASSWORD = "07700 900001", "jo knocks on doors all day"  # noqa: S105


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made here (nothing is downloaded)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


def nginx_config(folder: Path, *, listen: int, upstream: int) -> Path:
    cert, key = certificate(folder)
    temp = folder / "nginx-temp"
    temp.mkdir()
    user = "user root;" if os.geteuid() == 0 else ""
    config = folder / "nginx.conf"
    config.write_text(f"""
{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 64; }}
http {{
  access_log off;
  client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;
  uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;
  server {{
    listen 127.0.0.1:{listen} ssl;
    ssl_certificate {cert};
    ssl_certificate_key {key};
    location / {{
      proxy_pass http://127.0.0.1:{upstream};
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }}
  }}
}}
""")
    return config


def wait_for(port: int, process: subprocess.Popen, log: Path) -> None:
    import socket

    for _ in range(300):
        if process.poll() is not None:
            raise RuntimeError(f"exited:\n{log.read_text(errors='replace') if log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listened on {port}")


@dataclass
class Proxied:
    public: str  # https://127.0.0.1:PORT, through nginx
    proxy_port: int
    app_port: int


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Proxied]:
    if not os.path.exists(NGINX):
        pytest.fail("nginx is not installed: `make proxy` installs Debian's nginx (make test does it first)")
    folder = tmp_path_factory.mktemp("proxy")
    database = f"sqlite:///{folder / 'app.db'}"
    engine = make_engine(database)
    upgrade_engine(engine)
    proxy_port = free_port()
    public = f"https://127.0.0.1:{proxy_port}"
    # The stack's strong test secrets and Twilio token; production, at a public https address behind the proxy.
    env = {
        "ENVIRONMENT": "production",
        "DATABASE_URL": database,
        "PUBLIC_BASE_URL": public,
        "SANIC_PROXIES_COUNT": "1",
        "TRUSTED_PROXIES": "127.0.0.1",
        "CONSOLE_ADDRESS_LOCKOUT_FAILURES": "3",
        "WEBCHAT_NEW_SESSION_RATE_LIMIT": "1,2",
        "WEBCHAT_ADDRESS_RATE_LIMIT": "1,3",
    }
    settings = load_settings()
    import dataclasses

    settings = dataclasses.replace(settings, database_url=database, phone_hash_key=strong_test_secret("PHONE_HASH_KEY"),
                                   phone_encryption_key=strong_test_secret("PHONE_ENCRYPTION_KEY"))
    with make_sessionmaker(engine).begin() as session:
        add_connector(session, name="Jo Bloggs", phone=JO_PHONE, email="jo@council.example", patch="CH41", role="connector",
                      settings=settings)
        set_password(session, phone=JO_PHONE, password=JO_PASSWORD, settings=settings)
    engine.dispose()
    # Nothing listens on the stack's Rasa port: these doors need no Rasa. /console/login counts in no limit.
    with web_alone(folder, env, ready="/console/login") as stack:
        app_port = int(stack.env["WEB_PORT"])
        nginx = subprocess.Popen([NGINX, "-c", str(nginx_config(folder, listen=proxy_port, upstream=app_port)), "-g", "daemon off;"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(proxy_port, nginx, folder / "nginx-error.log")
            yield Proxied(public, proxy_port, app_port)
        finally:
            nginx.terminate()
            nginx.wait(timeout=10)


@dataclass
class Client:
    """One person's browser, on its own address, through the proxy (or, with direct=True, straight to the app)."""

    proxied: Proxied
    address: str
    direct: bool = False
    cookies: dict[str, str] = field(default_factory=dict)
    set_cookies: list[SimpleCookie] = field(default_factory=list)

    def send(self, path: str, form: dict[str, str] | None = None, headers: dict[str, str] | None = None,
             body: bytes | None = None) -> tuple[int, str, http.client.HTTPMessage]:
        if self.direct:
            connection: http.client.HTTPConnection = http.client.HTTPConnection(
                "127.0.0.1", self.proxied.app_port, timeout=20, source_address=(self.address, 0))
        else:
            connection = http.client.HTTPSConnection("127.0.0.1", self.proxied.proxy_port, timeout=20,
                                                     source_address=(self.address, 0), context=ssl._create_unverified_context())
        sent = {"Host": f"127.0.0.1:{self.proxied.proxy_port}", **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            sent |= {"Content-Type": "application/x-www-form-urlencoded", "Origin": self.proxied.public}
        connection.request("POST" if body is not None else "GET", path, body=body, headers=sent)
        reply = connection.getresponse()
        text = reply.read().decode()
        for raw in reply.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(raw)
            self.set_cookies.append(cookie)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        connection.close()
        return reply.status, text, reply.headers

    def sign_in(self, phone: str, password: str) -> int:
        _, page, _ = self.send("/console/login")
        return self.send("/console/login", {"csrf": CSRF.search(page)[1], "phone": phone, "password": password})[0]


def test_one_client_locking_itself_out_leaves_the_rest_of_the_team_signing_in(proxied):
    """Finding: behind a proxy every client was one address, so 20 failures locked the whole team out."""
    guesser = Client(proxied, "127.0.0.2")
    statuses = [guesser.sign_in("07700 900999", f"guess {n}") for n in range(4)]
    assert statuses[-1] == 429, statuses  # this address is locked
    assert guesser.sign_in(JO_PHONE, JO_PASSWORD) == 429, "locked means locked, even with the right password"
    jo = Client(proxied, "127.0.0.3")
    assert jo.sign_in(JO_PHONE, JO_PASSWORD) == 303, "a colleague elsewhere signs in as normal"
    session = next(c["console_session"] for c in jo.set_cookies if "console_session" in c and c["console_session"].value)
    assert session["secure"], "the console's cookie is Secure behind the TLS proxy"


def test_new_chat_sessions_and_chat_messages_are_limited_per_client(proxied):
    busy = [Client(proxied, "127.0.0.4").send("/chat")[0] for _ in range(3)]
    assert busy == [200, 200, 429]
    status, page, headers = Client(proxied, "127.0.0.4").send("/chat")
    assert status == 429 and "Retry-After" in headers and "999" in page and "116 123" in page
    assert Client(proxied, "127.0.0.5").send("/chat")[0] == 200, "someone else starts a chat as normal"

    browser = Client(proxied, "127.0.0.6")
    status, _, headers = browser.send("/chat")
    assert status == 200
    chat_cookie = next(c["chat_token"] for c in browser.set_cookies if "chat_token" in c)
    assert chat_cookie["secure"] and chat_cookie["httponly"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert browser.send("/chat")[0] == 200, "a browser with a live session always gets the page"


def test_forwarded_headers_from_a_client_that_is_not_the_proxy_are_not_believed(proxied):
    """A direct client naming itself someone else is still itself: its own new-session limit applies."""
    statuses = [Client(proxied, "127.0.0.7", direct=True).send("/chat", headers={"X-Forwarded-For": f"10.9.9.{n}"})[0]
                for n in range(3)]
    assert statuses == [200, 200, 429]


def test_healthz_tells_outsiders_only_whether_the_service_is_ready(proxied):
    status, body, headers = Client(proxied, "127.0.0.8").send("/healthz")
    assert status == 503 and json.loads(body) == {"ready": False}, "Rasa is down; which part is not said"
    status, body, _ = Client(proxied, "127.0.0.1", direct=True).send("/healthz")
    details = json.loads(body)
    assert status == 503 and details["components"]["rasa"]["ready"] is False, "this machine sees the details"
    token = "Bearer " + strong_test_secret("HEALTH")  # no HEALTH_TOKEN set: a bearer token gives nothing
    assert json.loads(Client(proxied, "127.0.0.8").send("/healthz", headers={"Authorization": token})[1]) == {"ready": False}
