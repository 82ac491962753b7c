"""The store's one interface: run a unit of work, as one transaction, on a SQLAlchemy Session.

Engine code is written as plain synchronous functions `fn(session) -> result`
and handed to `await db.write(fn)` (one transaction: commit on return, rollback
on any exception) or `await db.read(fn)` (never committed). Two runners carry
that interface:

* SQLite (`sqlite:///path`, the default): a synchronous SQLAlchemy engine used
  by one dedicated thread. A whole transaction is one hop to that thread and
  back, instead of one hop per statement through an async driver, and writers
  are serialised by the thread itself: no lock is held across an await, so a
  busy event loop cannot stretch a transaction. SQLite allows one writer at a
  time anyway; WAL keeps readers cheap.
* any async driver (`postgresql+asyncpg://...`, `sqlite+aiosqlite://...`): an
  AsyncSession per unit of work, the same function run through
  `AsyncSession.run_sync`. Nothing here is SQLite-specific except the pragmas
  set on SQLite connections.

Units of work must not block on anything but the database (no HTTP, no
sleeps); they run while other requests wait for the same thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import StatementError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from backend_stub import extras
from backend_stub.store.core import write_dirty
from backend_stub.store.migrations import migrate
from backend_stub.store.sealing import Sealer, SealError, attach

T = TypeVar("T")
Work = Callable[[Session], T]
SYNC_MODES = ("FULL", "NORMAL")


def normalize_url(url: str) -> str:
    """`postgresql://...` (what operators write) means the asyncpg driver here."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix):]
    return url


def _sqlite_pragmas(sync_engine: Engine, synchronous: str) -> None:
    @event.listens_for(sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=10000")
        cur.close()


class Database:
    """The backend's store: `write(fn)`, `read(fn)`, `migrate()`, `close()`."""

    def __init__(self, url: str, *, synchronous: str = "NORMAL",
                 sealer: Sealer | None = None) -> None:
        """`sealer`: seals the secret columns (store/sealing.py); without one, writing
        or reading a sealed value raises SealError."""
        mode = synchronous.upper()
        if mode not in SYNC_MODES:
            raise ValueError("synchronous must be FULL or NORMAL")
        url = normalize_url(url)
        self.url = url
        parsed = make_url(url)
        self.dialect = parsed.get_backend_name()
        if parsed.drivername == "postgresql+asyncpg":
            extras.asyncpg()  # MissingExtra naming the postgres extra, not SQLAlchemy's error
        # No autoflush: a transaction's changes go out once, at commit (or an explicit
        # flush), instead of before every query; queries that must see them flush first.
        self._runner: _ThreadRunner | _AsyncRunner
        if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
            self._runner = _ThreadRunner(url, mode)
        else:
            self._runner = _AsyncRunner(url, mode if self.dialect == "sqlite" else None)
        attach(self._runner.engine.dialect, sealer)

    @property
    def shared(self) -> bool:
        """True when other processes may use the same database (PostgreSQL)."""
        return self.dialect == "postgresql"

    @property
    def threaded(self) -> bool:
        """True when units of work run on the dedicated database thread."""
        return isinstance(self._runner, _ThreadRunner)

    async def migrate(self) -> list[str]:
        """Bring the schema to the latest revision; returns the revisions applied."""
        return await self._runner.migrate()

    async def write(self, fn: Work[T]) -> T:
        """Run `fn(session)` in one transaction: commit on return, roll back on any exception."""
        try:
            return await self._runner.run(fn, commit=True)
        except StatementError as exc:
            raise _unwrapped(exc) from None

    async def read(self, fn: Work[T]) -> T:
        """Run `fn(session)` as a read-only unit of work (never committed)."""
        try:
            return await self._runner.run(fn, commit=False)
        except StatementError as exc:
            raise _unwrapped(exc) from None

    async def close(self) -> None:
        await self._runner.close()


def _unwrapped(exc: StatementError) -> Exception:
    """A sealed column's own error, as it is (its message names the column and the key
    to check), rather than inside SQLAlchemy's wrapper."""
    return exc.orig if isinstance(exc.orig, SealError) else exc


def _work(session: Session, fn: Work[T]) -> T:
    """A write unit: `fn`, then its changed rows as plain UPDATEs (see core.write_dirty)."""
    result = fn(session)
    write_dirty(session)
    return result


class _ThreadRunner:
    """A synchronous engine owned by one worker thread."""

    def __init__(self, url: str, synchronous: str) -> None:
        self.engine = create_engine(url, pool_size=1, max_overflow=0, hide_parameters=True)
        _sqlite_pragmas(self.engine, synchronous)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._pool = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="store")

    def _unit(self, fn: Work[T], commit: bool) -> T:
        # closing the session ends its transaction (a read's is rolled back by the pool)
        # without expiring what it loaded: results stay usable outside the unit of work
        with self.sessions() as session:
            if not commit:
                return fn(session)
            with session.begin():
                return _work(session, fn)

    def _migrate(self) -> list[str]:
        with self.engine.connect() as conn:
            return migrate(conn)

    async def run(self, fn: Work[T], *, commit: bool) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._unit, fn, commit)

    async def migrate(self) -> list[str]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._migrate)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(self._pool, self.engine.dispose)
        self._pool.shutdown(wait=True)


class _AsyncRunner:
    """An async engine; the same units of work run through `AsyncSession.run_sync`."""

    def __init__(self, url: str, sqlite_synchronous: str | None) -> None:
        kw: dict[str, Any] = {}
        if make_url(url).get_backend_name() == "postgresql":
            kw = {"pool_size": 20, "max_overflow": 20}
        self.engine: AsyncEngine = create_async_engine(url, hide_parameters=True, **kw)
        if sqlite_synchronous is not None:
            _sqlite_pragmas(self.engine.sync_engine, sqlite_synchronous)
            # one SQLite writer at a time, queued here rather than as SQLITE_BUSY retries
            self._write_lock: asyncio.Lock | None = asyncio.Lock()
        else:
            self._write_lock = None
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)

    async def run(self, fn: Work[T], *, commit: bool) -> T:
        if not commit:
            async with self.sessions() as session:
                return await session.run_sync(fn)
        if self._write_lock is None:
            async with self.sessions() as session, session.begin():
                return await session.run_sync(_work, fn)
        async with self._write_lock, self.sessions() as session, session.begin():
            return await session.run_sync(_work, fn)

    async def migrate(self) -> list[str]:
        async with self.engine.connect() as conn:
            if self.engine.dialect.name == "postgresql":
                # workers starting together: one migrates, the others wait and find it done
                await conn.execute(text("SELECT pg_advisory_lock(7207001)"))
                await conn.commit()
                try:
                    return await conn.run_sync(migrate)
                finally:
                    await conn.execute(text("SELECT pg_advisory_unlock(7207001)"))
                    await conn.commit()
            return await conn.run_sync(migrate)

    async def close(self) -> None:
        await self.engine.dispose()
