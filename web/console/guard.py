"""The console's doors: its cookies, the same-origin check and the CSRF token every POST must carry.

A form POST is accepted only when
- its Origin header (or, failing that, its Referer) names this site: browsers send Origin on every
  POST, and a page elsewhere cannot forge it; a POST naming no origin at all is refused too;
- it carries the session's CSRF token in the hidden `csrf` field (before sign-in: the same random
  value as the `console_login` cookie, so a sign-in cannot be forced from another site either).
The cookies are HttpOnly, SameSite=Strict, Secure when the console is served over https (the public
address is https, or a trusted proxy says so: channels.client), and sent only to /console.
"""
from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from sanic.request import Request
from sanic.response import HTTPResponse

from channels.client import is_https
from service.settings import Settings

__all__ = [
    "SESSION_COOKIE",
    "LOGIN_COOKIE",
    "PATH",
    "same_origin",
    "token_matches",
    "set_cookie",
    "clear_cookie",
    "new_login_token",
    "secure_headers",
]

SESSION_COOKIE = "console_session"
LOGIN_COOKIE = "console_login"
PATH = "/console"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def _allowed_hosts(request: Request, settings: Settings) -> set[str]:
    return {request.host.lower(), urlsplit(settings.public_base_url).netloc.lower()}


def same_origin(request: Request, settings: Settings) -> bool:
    """Whether a POST says it comes from one of our own pages (Origin, else Referer)."""
    claimed = request.headers.get("Origin") or request.headers.get("Referer") or ""
    if not claimed or claimed == "null":
        return False
    parts = urlsplit(claimed)
    return parts.scheme in ("http", "https") and parts.netloc.lower() in _allowed_hosts(request, settings)


def token_matches(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected).encode(), str(given).encode())


def set_cookie(reply: HTTPResponse, request: Request, settings: Settings, name: str, value: str, *, max_age: int) -> None:
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["path"] = PATH
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["max-age"] = max_age
    cookie["secure"] = is_https(request, settings)


def clear_cookie(reply: HTTPResponse, request: Request, settings: Settings, name: str) -> None:
    set_cookie(reply, request, settings, name, "", max_age=0)


def new_login_token() -> str:
    return secrets.token_urlsafe(24)


def secure_headers(reply: HTTPResponse) -> HTTPResponse:
    reply.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    reply.headers["X-Frame-Options"] = "DENY"
    reply.headers["X-Content-Type-Options"] = "nosniff"
    # Not no-referrer: with it browsers send "Origin: null" on POSTs, and the origin check needs the real one.
    reply.headers["Referrer-Policy"] = "same-origin"
    # Case pages hold private details and the phone may be shared: nothing is kept in its cache.
    reply.headers["Cache-Control"] = "no-store"
    return reply
