"""Who is on the other end of a web request: their address, whether they reached us over https, and
whether a POST comes from one of our own pages. A reverse proxy's forwarded headers are believed only
when the request really came through one.

Behind a TLS proxy (nginx, HAProxy) every connection comes from the proxy's address. Sanic reads the
proxy's headers when its own settings say how (`SANIC_PROXIES_COUNT`, `SANIC_REAL_IP_HEADER` or
`SANIC_FORWARDED_SECRET`, read from the environment by Sanic itself); we then take the client's
address and scheme from them, but only when the connection's peer is one of TRUSTED_PROXIES
(default: this machine). A client connecting to the app directly cannot name itself someone else by
sending X-Forwarded-For, so per-client limits and the console's lock-out stay per client.

Here, not in web/, because the web chat's endpoint (channels.webchat_webhook) needs them and channels
do not import the web app; web.guard gives them to the web pages with the rest of the guard.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from sanic.request import Request

from service.settings import Settings

__all__ = ["client_address", "is_https", "via_proxy", "same_origin"]


def _peer_trusted(request: Request, settings: Settings) -> bool:
    try:
        peer = ipaddress.ip_address(request.ip.strip("[]"))
    except ValueError:
        return False  # a UNIX socket or no peer: nothing to believe
    return any(peer in network for network in settings.trusted_proxies)


def via_proxy(request: Request, settings: Settings) -> bool:
    """Whether the request came through a trusted proxy that said who the client is."""
    return bool(request.forwarded.get("for")) and _peer_trusted(request, settings)


def client_address(request: Request, settings: Settings) -> str:
    """The client's address: the proxy's word for it when it came through one, else the peer's."""
    if via_proxy(request, settings):
        return str(request.forwarded["for"])
    return request.ip or "unknown"


def is_https(request: Request, settings: Settings) -> bool:
    """Whether cookies must be Secure: the public address is https, the trusted proxy says the client
    used https, or the app itself terminated TLS."""
    if settings.public_base_url.lower().startswith("https://"):
        return True
    if via_proxy(request, settings) or (_peer_trusted(request, settings) and "proto" in request.forwarded):
        return str(request.forwarded.get("proto", "")).lower() == "https"
    return bool(request.transport.get_extra_info("sslcontext"))


def same_origin(request: Request, settings: Settings) -> bool:
    """Whether a POST says it comes from one of our own pages: its Origin header, or failing that its
    Referer, names this host or the public address. Browsers send Origin on every POST and a page
    elsewhere cannot forge it; a POST naming no origin at all (or "null") is refused."""
    claimed = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if not claimed or claimed == "null":
        return False
    parts = urlsplit(claimed)
    allowed = {request.host.lower(), urlsplit(settings.public_base_url).netloc.lower()}
    return parts.scheme in ("http", "https") and parts.netloc.lower() in allowed
