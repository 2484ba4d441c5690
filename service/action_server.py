"""The action server, locked: `python -m service.action_server [--actions actions] [--port 5055]`.

`rasa run actions` listens on every interface and runs any action for anyone who can reach it, and
every call carries a resident's whole conversation. This launcher builds the same rasa-sdk app
(`rasa_sdk.endpoint.create_app`) and
- binds it to ACTIONS_INTERFACE (127.0.0.1 unless configured otherwise);
- refuses every call but `/health` without ACTIONS_TOKEN (401): Rasa sends it as the query parameter
  `token` (its EndpointConfig `token`, written into the endpoints by service.launch); a
  `Authorization: Bearer` header is accepted too. `/health` stays open for /healthz;
- answers an action that raised with its name and the exception's type only, and logs where it was
  raised without the exception's message: rasa-sdk's own handler echoes the request body, the whole
  tracker, which Rasa then logs, and messages may quote what the action handled;
- logs through service.log_privacy's filter, and without an access log (the URL holds the token).
"""
from __future__ import annotations

import argparse
import hmac
import logging
from typing import Any

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from service.settings import Settings, load_settings

__all__ = ["create_action_app", "main", "OPEN_PATHS"]

logger = logging.getLogger(__name__)

OPEN_PATHS = {"/health"}


def _supplied_token(request: Request) -> str:
    token = request.args.get("token")
    if token:
        return str(token)
    scheme, _, value = (request.headers.get("Authorization") or "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def create_action_app(settings: Settings, *, actions_package: str = "actions") -> Sanic:
    """rasa-sdk's app for the package, behind the token check. Registers the package's actions (imports it)."""
    from rasa_sdk.endpoint import create_app

    from service import log_privacy

    # No browser has any business calling the action server: no CORS origins at all.
    app = create_app(actions_package, cors_origins="")
    expected = settings.actions_token.encode()

    @app.middleware("request")
    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path.rstrip("/") in OPEN_PATHS:
            return None
        if not hmac.compare_digest(_supplied_token(request).encode(), expected):
            logger.warning("action server: %s %s refused (missing or wrong token)", request.method, request.path)
            return response.json({"error": "missing or wrong token"}, status=401)
        return None

    async def action_failed(request: Request, exception: Exception) -> HTTPResponse:
        payload: Any = request.json if request.content_type == "application/json" else None
        action = payload.get("next_action") if isinstance(payload, dict) else None
        # Not exc_info: the exception's message may quote the resident (the filter cannot tell).
        logger.error("action %s failed: %s", action or "(unknown)", log_privacy.traceback_without_messages(exception))
        return response.json({"error": f"action {action or '(unknown)'} failed: {type(exception).__name__}",
                              "action_name": action}, status=500)

    # Replaces rasa-sdk's handler for Exception (same key in Sanic's error handler table).
    app.exception(Exception)(action_failed)
    return app


def main(argv: list[str] | None = None) -> None:
    from rasa_sdk import utils

    from service import log_privacy

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--actions", default="actions", help="package of the actions to serve")
    parser.add_argument("--port", type=int, default=None, help="default: ACTIONS_PORT")
    args = parser.parse_args(argv)
    settings = load_settings()
    settings.check()
    utils.configure_colored_logging(logging.INFO)
    utils.update_sanic_log_level()
    log_privacy.install()
    app = create_action_app(settings, actions_package=args.actions)
    port = args.port or settings.actions_port
    logger.info("action server on %s:%s (token required)", settings.actions_interface, port)
    app.run(host=settings.actions_interface, port=port, access_log=False, workers=utils.number_of_sanic_workers())


if __name__ == "__main__":
    main()
