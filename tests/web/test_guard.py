"""web.guard: the same-origin check every web form takes, and the security headers of each kind of page."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from sanic import response

from web.guard import CHAT, CONSOLE, FORM, NOTICE, PageKind, same_origin, secure_headers, token_matches

SETTINGS = SimpleNamespace(public_base_url="https://connect.example.org")


def posted(**headers: str) -> SimpleNamespace:
    return SimpleNamespace(host="127.0.0.1:8000", headers=headers)


@pytest.mark.parametrize("headers", [
    {"Origin": "http://127.0.0.1:8000"},
    {"Origin": "https://connect.example.org"},
    {"Origin": "https://CONNECT.example.org"},
    {"Referer": "https://connect.example.org/report"},  # no Origin: the Referer is the next best word
])
def test_a_post_from_our_own_pages_is_ours(headers: dict[str, str]) -> None:
    assert same_origin(posted(**headers), SETTINGS)  # type: ignore[arg-type]


@pytest.mark.parametrize("headers", [
    {},
    {"Origin": "null"},
    {"Origin": "https://evil.example.com"},
    {"Origin": "https://evil.example.com", "Referer": "https://connect.example.org/report"},  # Origin, when sent, decides
    {"Referer": "https://evil.example.com/connect.example.org"},
    {"Origin": "ftp://connect.example.org"},
])
def test_a_post_from_anywhere_else_or_nowhere_is_not(headers: dict[str, str]) -> None:
    assert not same_origin(posted(**headers), SETTINGS)  # type: ignore[arg-type]


def test_tokens_match_only_when_both_are_there_and_equal() -> None:
    assert token_matches("abc", "abc")
    assert not token_matches("abc", "abd") and not token_matches(None, None) and not token_matches("", "")


CSP_CONSOLE = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"


@pytest.mark.parametrize(("kind", "expected"), [
    (CONSOLE, {"Content-Security-Policy": CSP_CONSOLE, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
               "Referrer-Policy": "same-origin", "Cache-Control": "no-store"}),
    (FORM, {"Content-Security-Policy": "default-src 'none'; style-src 'nonce-N0NCE'; form-action 'self'; frame-ancestors 'none'; "
                                       "base-uri 'none'",
            "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
            "Cache-Control": "no-store"}),
    (NOTICE, {"Content-Security-Policy": "default-src 'none'; style-src 'nonce-N0NCE'; form-action 'none'; frame-ancestors 'none'; "
                                         "base-uri 'none'",
              "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}),
    (CHAT, {"Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; "
                                       "frame-ancestors 'none'; form-action 'self'",
            "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"}),
])
def test_each_kind_of_page_has_its_headers(kind: PageKind, expected: dict[str, str]) -> None:
    reply = secure_headers(response.html("<p>hello</p>"), kind, nonce="N0NCE")
    assert {name: value for name, value in reply.headers.items() if name != "content-type"} == expected


def test_a_page_with_a_nonce_in_its_policy_needs_one() -> None:
    with pytest.raises(ValueError):
        secure_headers(response.html(""), FORM)
