"""Build the web app from settings (nothing happens at import).

The web app owns every public route: the SMS webhooks and the web chat (one intake in front of Rasa,
`channels.intake`), the chat page, /healthz and the directory's Open Referral API. Rasa and the
action server listen on the loopback interface behind it.
"""
from __future__ import annotations

from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.bot_client import BotClient
from channels.intake import Intake
from channels.recovery import Recovery
from channels.sms_webhook import sms_blueprint
from channels.webchat_webhook import webchat_blueprint
from service.database import DatabaseThreads, make_engine, make_sessionmaker
from service.metrics import Metrics
from service.settings import Settings
from web.api import api_blueprint
from web.chat import chat_blueprint
from web.console import console_blueprint
from web.groups import groups_blueprint
from web.health import CachedHealth, health, may_see_details, schema_heads
from web.metrics import metrics_blueprint
from web.openreferral import openreferral_blueprint
from web.report import report_blueprint
from web.service_header import privacy_blueprint

# Twilio's webhooks are a few KB and a chat message is at most a few KB: anything bigger is refused
# with 413 from its Content-Length (or as it streams in), before any parsing or signature work.
MAX_REQUEST_BYTES = 64 * 1024


def create_app(settings: Settings, *, name: str = "community_connector_web", recovery: bool = True) -> Sanic:
    app = Sanic(name)
    app.config.REQUEST_MAX_SIZE = MAX_REQUEST_BYTES
    sessions = make_sessionmaker(make_engine(settings.database_url))
    database = DatabaseThreads()
    # A turn may go to another Rasa worker only when they share conversations and a lock store orders them.
    shared = bool(settings.value("TRACKER_DATABASE_URL", "")) and bool(settings.value("LOCK_STORE_URL", ""))
    bot = BotClient(settings.rasa_urls, token=settings.rasa_turns_token, failover=shared)
    metrics = Metrics()
    intake = Intake(settings, sessions, bot, db=database, metrics=metrics)
    heads = schema_heads(settings)
    app.ctx.intake = intake
    app.blueprint(chat_blueprint(settings))
    app.blueprint(webchat_blueprint(settings, intake))
    app.blueprint(sms_blueprint(settings, intake))
    app.blueprint(openreferral_blueprint(sessions, settings))
    app.blueprint(api_blueprint(sessions, settings))
    app.blueprint(console_blueprint(settings, sessions, database))
    app.blueprint(report_blueprint(settings, sessions, database))
    app.blueprint(groups_blueprint(settings, sessions, database))  # groups people run, for a connector to approve
    app.blueprint(privacy_blueprint(settings))  # rendered: it names the council responsible
    app.blueprint(metrics_blueprint(settings, sessions, database, bot, metrics))  # METRICS_ALLOWED addresses only

    async def start_recovery(app: Sanic, _loop: Any) -> None:
        if recovery:
            app.ctx.recovery = Recovery(intake)
            app.ctx.recovery.start()

    async def stop_background(app: Sanic, _loop: Any) -> None:
        if getattr(app.ctx, "recovery", None) is not None:
            await app.ctx.recovery.stop()
        await bot.close()

    app.register_listener(start_recovery, "after_server_start")
    app.register_listener(stop_background, "before_server_stop")

    @app.get("/")
    async def home(_: Request) -> HTTPResponse:
        return response.redirect("/chat")

    checked = CachedHealth(lambda: health(settings, sessions, heads, bot=bot, database=database, safety=intake.safety),
                           seconds=float(settings.value("HEALTH_CACHE_SECONDS", "2")))

    @app.get("/healthz")
    async def healthz(request: Request) -> HTTPResponse:
        status, body = await checked.answer()
        shown = body if may_see_details(request, settings) else {"ready": body["ready"]}
        return response.json(shown, status=status, headers={"Cache-Control": "no-store"})

    if settings.public_base_url.lower().startswith("https://"):
        @app.on_response
        async def strict_transport_security(_: Request, reply: HTTPResponse) -> None:
            # The public address is https: browsers must never try plain http for it again (a year).
            reply.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"

    return app
