"""The directory's read-only Open Referral UK 3.0 API under /openreferral/ (logic in directory.openreferral_api)."""
from __future__ import annotations

import asyncio

from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from sqlalchemy.orm import sessionmaker

from channels.rate_limit import limiter_for
from directory.openreferral_api import handle
from service.settings import Settings
from web.guard import client_address


def openreferral_blueprint(sessions: sessionmaker, settings: Settings) -> Blueprint:
    """Open to anyone (it is public directory data), so it is rate-limited per address."""
    bp = Blueprint("openreferral", url_prefix="/openreferral")
    limiter = limiter_for(settings, settings.api_rate_limit, name="openreferral")

    def answer(path: str, query: dict[str, list[str]]) -> tuple[int, dict]:
        with sessions() as session:
            return handle(session, path, query)

    @bp.get("/", strict_slashes=False)
    async def root(request: Request) -> HTTPResponse:
        return await serve(request, "/")

    @bp.get("/<path:path>")
    async def anything(request: Request, path: str) -> HTTPResponse:
        return await serve(request, "/" + path)

    async def serve(request: Request, path: str) -> HTTPResponse:
        if wait := await limiter.take(client_address(request, settings)):
            headers = {"Retry-After": limiter.retry_after(wait), "Access-Control-Allow-Origin": "*"}
            return response.json({"error": "too many requests; please slow down"}, status=429, headers=headers)
        query = {key: list(values) for key, values in request.args.items()}
        status, body = await asyncio.get_running_loop().run_in_executor(None, answer, path, query)
        return response.json(body, status=status, headers={"Access-Control-Allow-Origin": "*"})

    return bp
