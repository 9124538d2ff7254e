"""The reading room application: ``create_app(ledger_path)`` gives a FastAPI app over a read-only ledger."""

from __future__ import annotations

import inspect
import logging
import os
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from . import api, pages
from .aggregates import SpeakerCounts
from .db import ReadOnlyPool

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the Content-Security-Policy and friends to every response (defence in depth: pages escape anyway)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(ledger: str | Path, *, pool_size: int = 8, count_cap: int = 1000,
               cache_dir: str | Path | None = None, threads: int = 4) -> FastAPI:
    """The reading room over the ledger at ``ledger``, opened read-only.

    ``count_cap`` bounds search totals; per-speaker counts are kept in a side file under ``cache_dir`` (see
    ``aggregates``); at most ``threads`` API queries run at once in a process (more only thrash the CPU).
    """
    pool = ReadOnlyPool(ledger, size=pool_size)
    counts = SpeakerCounts(pool, Path(cache_dir) if cache_dir else None)
    threading.Thread(target=counts.ensure, name="onrecord-speaker-counts", daemon=True).start()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    extra: dict[str, Any] = {}
    if "telemetry" in inspect.signature(FastAPI).parameters:  # no spans or metrics: nothing here exports them
        extra["telemetry"] = {"tracing": False, "metrics": False, "logs": False}
    app = FastAPI(
        **extra,
        lifespan=lifespan,
        title="onrecord reading room",
        version=__version__,
        description="Read-only JSON API over an onrecord ledger: statements, speakers, articles, stories.",
        docs_url=None,  # the Swagger UI loads from a CDN; /openapi.json is served
        redoc_url=None,
    )
    app.state.pool = pool
    app.state.counts = counts
    app.state.count_cap = count_cap
    app.state.threads = threads
    app.state.limiter = None
    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return RedirectResponse("/static/favicon.svg", status_code=301)

    app.add_middleware(SecurityHeaders)

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api") or request.url.path == "/openapi.json"

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        heading = "Not found" if exc.status_code == 404 else f"Error {exc.status_code}"
        return pages.error_page(exc.status_code, heading, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        errors: list[dict[str, Any]] = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")} for e in exc.errors()
        ]
        if wants_json(request):
            return JSONResponse({"detail": errors}, status_code=422)
        message = "; ".join(f"{'.'.join(map(str, e['loc'][1:]))}: {e['msg']}" for e in errors)
        return pages.error_page(404 if request.method == "GET" else 422, "Not found", message)

    return app


LEDGER_ENV = "ONRECORD_SERVE_LEDGER"
CAP_ENV = "ONRECORD_SERVE_COUNT_CAP"
CACHE_ENV = "ONRECORD_SERVE_CACHE"
THREADS_ENV = "ONRECORD_SERVE_THREADS"


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory`` (one per worker process): the ledger path comes from ONRECORD_SERVE_LEDGER."""
    ledger = os.environ.get(LEDGER_ENV)
    if not ledger:
        raise RuntimeError(f"{LEDGER_ENV} is not set")
    return create_app(ledger, count_cap=int(os.environ.get(CAP_ENV, "1000")), cache_dir=os.environ.get(CACHE_ENV),
                      threads=int(os.environ.get(THREADS_ENV, "4")))
