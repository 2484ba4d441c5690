"""The web app's one guard, for every page and form it serves (the console, /report, /privacy, the chat
page, the Open Referral API; the web chat's endpoint takes the same checks from channels.client).

- Who is asking: `client_address` and `is_https` (believing a proxy only when it is a trusted one)
  and `same_origin` for POSTs (the Origin header, else the Referer, must name this site). They live
  in channels.client, since the web chat's endpoint is in channels and channels do not import web;
  they are given again here so that a web page needs only this module.
- CSRF: a random token (`new_token`) that a form carries and `token_matches` compares in constant time.
- Cookies (`set_cookie`): HttpOnly, SameSite=Strict, sent to one path only, and Secure when the page
  is served over https.
- Security headers per kind of page (`secure_headers` with CONSOLE, FORM, NOTICE or CHAT).
"""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass

from sanic.request import Request
from sanic.response import HTTPResponse

from channels.client import client_address, is_https, same_origin
from service.settings import Settings

__all__ = [
    "client_address",
    "is_https",
    "same_origin",
    "new_token",
    "token_matches",
    "set_cookie",
    "clear_cookie",
    "PageKind",
    "CONSOLE",
    "FORM",
    "NOTICE",
    "CHAT",
    "new_nonce",
    "secure_headers",
]


def new_token() -> str:
    return secrets.token_urlsafe(24)


def token_matches(expected: str | None, given: str | None) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(str(expected).encode(), str(given).encode())


def set_cookie(reply: HTTPResponse, request: Request, settings: Settings, name: str, value: str, *, path: str,
               max_age: int) -> None:
    reply.cookies[name] = value
    cookie = reply.cookies[name]
    cookie["path"] = path
    cookie["httponly"] = True
    cookie["samesite"] = "Strict"
    cookie["max-age"] = max_age
    cookie["secure"] = is_https(request, settings)


def clear_cookie(reply: HTTPResponse, request: Request, settings: Settings, name: str, *, path: str) -> None:
    set_cookie(reply, request, settings, name, "", path=path, max_age=0)


@dataclass(frozen=True)
class PageKind:
    """The security headers one kind of page is served with. Every kind refuses to be framed."""

    # "{nonce}" stands for the page's own nonce (new_nonce), for pages with an inline style block.
    content_security_policy: str
    # Not "no-referrer" on a page with a form: browsers then send "Origin: null" on its POSTs, and
    # same_origin needs the real one.
    referrer_policy: str = "same-origin"
    nosniff: bool = True
    # Pages holding what someone typed or a case's details, on a phone that may be shared: never cached.
    private: bool = False


# The console: its own stylesheet and images only, no script.
CONSOLE = PageKind(
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    private=True,
)
# The public report form and its result: no script; the one inline style block is allowed by its nonce.
FORM = PageKind(
    "default-src 'none'; style-src 'nonce-{nonce}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    private=True,
)
# A notice to read (/privacy): no script and no form.
NOTICE = PageKind(
    "default-src 'none'; style-src 'nonce-{nonce}'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'",
)
# The chat page: its inline script and styles; it posts with fetch, which always sends Origin.
CHAT = PageKind(
    "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; "
    "form-action 'self'",
    referrer_policy="no-referrer",
    nosniff=False,
)


def new_nonce() -> str:
    return secrets.token_urlsafe(12)


def secure_headers(reply: HTTPResponse, kind: PageKind, *, nonce: str = "") -> HTTPResponse:
    """`reply` with the headers of its kind of page (`nonce`: the one its inline style block carries)."""
    if "{nonce}" in kind.content_security_policy and not nonce:
        raise ValueError("this kind of page needs its nonce")
    reply.headers["Content-Security-Policy"] = kind.content_security_policy.format(nonce=nonce)
    reply.headers["X-Frame-Options"] = "DENY"
    if kind.nosniff:
        reply.headers["X-Content-Type-Options"] = "nosniff"
    reply.headers["Referrer-Policy"] = kind.referrer_policy
    if kind.private:
        reply.headers["Cache-Control"] = "no-store"
    return reply
