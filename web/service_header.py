"""Who runs the service, at the top of every public page (/report, /privacy, /chat), and the privacy notice.

Someone telling us about themselves or a neighbour should see who they are telling before they say
it, and how to reach a person instead. SERVICE_NAME, COUNCIL_NAME and SERVICE_CONTACT (read with
`Settings.value`, like the other modules' settings; `.env.example` lists them) name the service, the
council that runs it (and is responsible for what it holds) and a contact line ("Call 0151 606 2020,
Monday to Friday 9am to 5pm"). Each page shows them through web/templates/_service_header.html,
autoescaped: a council's name is configuration, never markup. The chat page is a static file with
its own script, so its `<!-- service header -->` marker is replaced by the same header when the app
starts (`with_header`); the privacy notice (web/static/privacy.html) is rendered as a template.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from service.settings import Settings
from web.guard import NOTICE, new_nonce, secure_headers

__all__ = ["DEFAULTS", "MARKER", "ServiceHeader", "service_header", "header_html", "with_header", "privacy_blueprint"]

HERE = Path(__file__).parent
DEFAULTS = {
    "SERVICE_NAME": "Community connector service",
    "COUNCIL_NAME": "your local council",
    # No contact line until the council gives one: a made-up number would send people nowhere.
    "SERVICE_CONTACT": "",
}
# Long enough for "Wirral Council's community connector team: 0151 606 2020, Monday to Friday 9am to 5pm".
_LONGEST = 200
# Where the static chat page takes the header.
MARKER = "<!-- service header -->"


@dataclass(frozen=True)
class ServiceHeader:
    name: str
    council: str
    contact: str  # "" for none


def _setting(settings: Settings, name: str) -> str:
    return " ".join(settings.value(name, DEFAULTS[name]).split())[:_LONGEST]


def service_header(settings: Settings) -> ServiceHeader:
    return ServiceHeader(_setting(settings, "SERVICE_NAME"), _setting(settings, "COUNCIL_NAME"),
                         _setting(settings, "SERVICE_CONTACT"))


def _templates() -> Environment:
    # web/templates for the header, web/static for the privacy notice (a page of its own, served as it was).
    return Environment(loader=FileSystemLoader([HERE / "templates", HERE / "static"]), autoescape=select_autoescape(["html"]),
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def header_html(header: ServiceHeader) -> str:
    """The header as HTML (the names escaped by the template)."""
    return _templates().get_template("_service_header.html").render(service=header)


def with_header(page: str, header: ServiceHeader) -> str:
    """A static page with its header marker replaced by the header (the page unchanged without one)."""
    return page.replace(MARKER, header_html(header), 1)


def privacy_blueprint(settings: Settings) -> Blueprint:
    """GET /privacy: the full privacy notice, under the header naming the council responsible for it."""
    bp = Blueprint("privacy")
    template = _templates().get_template("privacy.html")
    header = service_header(settings)

    @bp.get("/privacy")
    async def privacy(_: Request) -> HTTPResponse:
        nonce = new_nonce()
        return secure_headers(response.html(template.render(service=header, nonce=nonce)), NOTICE, nonce=nonce)

    return bp
