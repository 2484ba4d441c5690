"""Build the web app from settings (nothing happens at import)."""
from __future__ import annotations

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from service.database import make_engine, make_sessionmaker
from service.settings import Settings
from web.api import api_blueprint
from web.chat import chat_blueprint
from web.health import health, schema_heads
from web.openreferral import openreferral_blueprint


def create_app(settings: Settings, *, name: str = "community_connector_web") -> Sanic:
    app = Sanic(name)
    sessions = make_sessionmaker(make_engine(settings.database_url))
    heads = schema_heads(settings)
    app.blueprint(chat_blueprint(settings))
    app.blueprint(openreferral_blueprint(sessions))
    app.blueprint(api_blueprint(sessions))

    @app.get("/")
    async def home(_: Request) -> HTTPResponse:
        return response.redirect("/chat")

    @app.get("/healthz")
    async def healthz(_: Request) -> HTTPResponse:
        status, body = await health(settings, sessions, heads)
        return response.json(body, status=status)

    return app
