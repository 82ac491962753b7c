"""The FastAPI application: routers, error format, body limits and background workers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy.orm import Session

from backend_stub.api import admin, device, manage, platform, sp, ws
from backend_stub.api.boundary import JsonBoundary
from backend_stub.api.docs import install_docs
from backend_stub.api.errors import BodyLimit, install_error_handlers
from backend_stub.api.openapi import install_openapi
from backend_stub.config import Settings
from backend_stub.engine.callbacks import run_sender
from backend_stub.engine.context import Engine
from backend_stub.engine.delivery import start_sp_delivery
from backend_stub.engine.keystore import load_keys_file, put_keys
from backend_stub.engine.pgbus import PgBus
from backend_stub.engine.watchdog import recover, run_watchdog
from backend_stub.store.db import Database
from backend_stub.store.migrations import check_sealed
from backend_stub.store.sealing import Sealer

log = logging.getLogger("backend_stub")

DESCRIPTION = """\
The bundled backend: the public platform's Service Provider API at the root,
the management and touch point APIs under `/v3`, and an admin API under `/admin`.

* SP calls authenticate with `app_id`/`app_key` headers, `Authorization: Basic
  base64(appId:appKey)` or `Authorization: Bearer <app token>`.
* Touch points authenticate with `Authorization: Bearer <device token>`.
* Errors are `{"error": CODE, "message": TEXT, "field": PATH?}`.
* JSON bodies are limited to 1 MiB, CAP uploads to 2 MiB (413 beyond), and to 64 levels
  of nesting, strings of 600,000 characters, signed 64-bit integers and valid Unicode
  (no lone surrogates): 400 naming the field, before anything runs or is stored.
"""


async def open_store(settings: Settings) -> Database:
    """The migrated store (migration 4 seals clear secrets); SealError when the
    key-encryption key does not open the card keys it holds (the CLI checks this before
    serving)."""
    db = Database(settings.db_url, synchronous=settings.sqlite_synchronous,
                  sealer=Sealer(settings.kek))
    try:
        await db.migrate()
        await db.read(check_sealed)
    except BaseException:
        await db.close()
        raise
    return db


async def start_engine(settings: Settings) -> Engine:
    """Open the store, migrate, load key configuration and recover interrupted sessions."""
    db = await open_store(settings)
    http = httpx.AsyncClient(timeout=settings.sp_timeout,
                             limits=httpx.Limits(max_connections=200))
    eng = Engine(settings=settings, db=db, http=http, starter=start_sp_delivery)
    if settings.keys_file is not None:
        configs = load_keys_file(settings.keys_file)
        now = eng.clock()

        def _put_all(s: Session) -> None:
            for cfg in configs:
                put_keys(s, cfg, now)

        await db.write(_put_all)
    await recover(eng)
    return eng


async def stop_engine(eng: Engine) -> None:
    for task in list(eng.tasks):
        task.cancel()
    for task in list(eng.tasks):
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
    await eng.http.aclose()
    await eng.db.close()


def create_app(settings: Settings) -> FastAPI:
    """A backend application; its engine lives in `app.state.engine` while it runs."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        eng = await start_engine(settings)
        app.state.engine = eng
        if eng.db.shared:  # long-polls wake up when another worker changes their session
            bus = PgBus(eng.db.url, eng.notifier)
            eng.bus = bus
            eng.spawn(bus.run())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(bus.ready.wait(), 10)
        eng.spawn(run_sender(eng))
        eng.spawn(run_watchdog(eng))
        try:
            yield
        finally:
            await stop_engine(eng)

    app = FastAPI(title="touchpoint-backend", version="0.1.0", description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    install_error_handlers(app)
    install_openapi(app)  # the real status codes and error body
    install_docs(app)  # /docs and /redoc from the package, not a CDN; wraps app.openapi
    app.include_router(sp.router)
    app.include_router(manage.router)
    app.include_router(device.router)
    app.include_router(platform.router)  # the card's registry and its repairs
    app.include_router(admin.router)
    app.include_router(ws.router)  # WebSocket routes: not in the OpenAPI document
    app.add_middleware(JsonBoundary)  # inside BodyLimit: sees whole bodies within the limit
    app.add_middleware(BodyLimit, default=settings.max_json_body,
                       limits={"/capfiles": settings.max_cap_body})

    @app.get("/health", tags=["Admin"])
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app
