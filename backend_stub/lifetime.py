"""When a per-user bundled backend ends by itself, and how a touch point knows it is ours.

A touch point started from the command line reuses one bundled backend
(app/sharedbackend.py) instead of starting one per command. Nobody stops such
a backend explicitly, so it ends itself:

* after `idle_s` seconds without a request (none in flight either: a long-poll
  in progress is activity);
* when its SQLite database file is gone or replaced (another inode): serving a
  deleted database would lose whatever it then writes;
* when the installed package version changes: the next command must not talk
  to an old backend.

`GET /v3/instance` (device token) answers this process's pid and version, so a
touch point can tell its own backend from another program that got the port.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI

from backend_stub.api.auth import Principal, device_principal

log = logging.getLogger("backend_stub.lifetime")

DIST_NAME = "se-touchpoint"
Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


def package_version() -> str:
    """The installed distribution's version, read afresh (an upgrade changes it)."""
    from importlib import metadata

    try:
        return metadata.version(DIST_NAME)
    except metadata.PackageNotFoundError:
        return "0+unknown"


def file_identity(path: Path | None) -> tuple[int, int] | None:
    """(device, inode) of `path`, None when it does not exist."""
    if path is None:
        return None
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


@dataclass
class Lifetime:
    """Activity bookkeeping and the reasons to stop; `clock` is injectable for tests."""

    idle_s: float | None = None  # None or <= 0: never stop for idleness
    db_path: Path | None = None
    version: str = field(default_factory=package_version)
    version_of: Callable[[], str] = package_version
    clock: Callable[[], float] = time.monotonic
    in_flight: int = 0
    last_activity: float = 0.0
    _db_id: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        self.last_activity = self.clock()
        self._db_id = file_identity(self.db_path)

    def begin(self) -> None:
        self.in_flight += 1
        self.last_activity = self.clock()

    def end(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)
        self.last_activity = self.clock()

    def reason_to_stop(self) -> str | None:
        """Why the backend should stop now, or None."""
        if (self.db_path is not None and self._db_id is not None
                and file_identity(self.db_path) != self._db_id):
            return f"the database {self.db_path} was removed or replaced"
        current = self.version_of()
        if current != self.version:
            return f"the installed version changed ({self.version} -> {current})"
        if self.idle_s and self.idle_s > 0 and self.in_flight == 0:
            idle = self.clock() - self.last_activity
            if idle >= self.idle_s:
                return f"idle for {idle:.0f} s"
        return None

    def middleware(self, app: ASGIApp) -> ASGIApp:
        """Counts every HTTP request as activity while it runs."""

        async def counted(scope: Scope, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            self.begin()
            try:
                await app(scope, receive, send)
            finally:
                self.end()

        return counted

    async def watch(self, stop: Callable[[], None], interval: float = 1.0) -> None:
        """Calls `stop` once there is a reason; checks every `interval` seconds."""
        while True:
            await asyncio.sleep(interval)
            reason = await asyncio.to_thread(self.reason_to_stop)
            if reason is not None:
                log.warning("stopping: %s", reason)
                stop()
                return


def instance_router(lifetime: Lifetime) -> APIRouter:
    router = APIRouter(prefix="/v3", tags=["Touch point"])

    @router.get("/instance")
    async def instance(_: Principal = Depends(device_principal)) -> dict[str, Any]:  # noqa: B008
        """This backend process: a touch point checks pid and version before reusing it."""
        return {"pid": os.getpid(), "version": lifetime.version,
                "idleExitSeconds": lifetime.idle_s or 0}

    return router


def install(app: FastAPI, lifetime: Lifetime) -> None:
    """Adds the activity counter and the identity route to a backend application."""
    app.include_router(instance_router(lifetime))
    app.add_middleware(_Counted, lifetime=lifetime)


class _Counted:
    """ASGI middleware class form of Lifetime.middleware (what add_middleware wants)."""

    def __init__(self, app: ASGIApp, lifetime: Lifetime) -> None:
        self._app = lifetime.middleware(app)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        await self._app(scope, receive, send)
