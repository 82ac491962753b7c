"""The engine's shared objects: the engine itself, and one write transaction of it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from sqlalchemy.orm import Session

from backend_stub.config import Settings
from backend_stub.engine.notify import Notifier
from backend_stub.store.db import Database

log = logging.getLogger("backend_stub.engine")
T = TypeVar("T")


@dataclass
class Effects:
    """What to do once a transaction has committed: wake fetchers, wake the callback sender."""

    sessions: set[str] = field(default_factory=set)
    callbacks: bool = False
    start_sessions: list[str] = field(default_factory=list)  # SP deliveries to kick off
    drop_scripts: set[str] = field(default_factory=set)
    # compiled scripts to cache, keyed by operation id, with their batch number
    scripts: dict[str, tuple[int, Any]] = field(default_factory=dict)


@dataclass
class Tx:
    """One write transaction of the engine: its database session, the engine, and the
    after-commit effects it collects (every engine function that writes takes one)."""

    db: Session
    engine: Engine
    effects: Effects = field(default_factory=Effects)

    def now(self) -> float:
        return self.engine.clock()


@dataclass
class Engine:
    """Database, settings, HTTP client and the in-memory helpers (caches, events, tasks)."""

    settings: Settings
    db: Database
    http: httpx.AsyncClient
    notifier: Notifier = field(default_factory=Notifier)
    callback_wake: asyncio.Event = field(default_factory=asyncio.Event)
    tasks: set[asyncio.Task[Any]] = field(default_factory=set)
    # live compiled scripts, keyed by operation id, with the batch number they are at; the
    # database copy (Script.dump) is the truth, this only saves re-loading it on every batch
    scripts: dict[str, tuple[int, Any]] = field(default_factory=dict)
    last_seen: dict[str, float] = field(default_factory=dict)  # session id -> last device call
    # (appId, serviceId) whose last delivery found a stored recipe: a hint only (deliver then
    # checks and opens in one transaction); the database decides
    recipe_services: set[tuple[str, str]] = field(default_factory=set)
    clock: Callable[[], float] = time.time
    # cross-process wake-ups (PostgreSQL): anything with publish(session_id)
    bus: Any = None
    starter: Callable[[Engine, str], Coroutine[Any, Any, None]] | None = None

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run a background task that is kept referenced and logged if it fails."""
        task = asyncio.get_running_loop().create_task(coro)
        self.tasks.add(task)

        def _done(t: asyncio.Task[Any]) -> None:
            self.tasks.discard(t)
            if not t.cancelled() and t.exception() is not None:
                log.error("background task failed", exc_info=t.exception())

        task.add_done_callback(_done)
        return task

    async def write(self, work: Callable[[Tx], T]) -> T:
        """Run `work` in a write transaction, then its after-commit effects."""
        effects = Effects()
        result = await self.db.write(lambda db: work(Tx(db, self, effects)))
        self.apply(effects)
        return result

    def apply(self, effects: Effects) -> None:
        """Run the after-commit effects."""
        for key in effects.drop_scripts:
            self.scripts.pop(key, None)
        self.scripts.update(effects.scripts)
        for sid in effects.sessions:
            self.notifier.notify(sid)
            if self.bus is not None:
                self.bus.publish(sid)
        if effects.callbacks:
            self.callback_wake.set()
        if self.starter is not None:
            for sid in effects.start_sessions:
                self.spawn(self.starter(self, sid))

    def seen(self, session_id: str) -> None:
        self.last_seen[session_id] = self.clock()
