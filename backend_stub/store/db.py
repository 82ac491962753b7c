"""Async engine, sessions and the write discipline.

Every state change runs in one transaction opened by `Database.write()`.
Writers are serialised in-process by an asyncio lock: SQLite allows one writer
at a time anyway, and queueing in Python avoids SQLITE_BUSY retries; readers
(WAL) run concurrently through `Database.read()`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from backend_stub.store.migrations import migrate


class Database:
    """The backend's store: one engine, a session factory and a writer lock."""

    def __init__(self, url: str, *, synchronous: str = "FULL") -> None:
        if synchronous.upper() not in ("FULL", "NORMAL"):
            raise ValueError("synchronous must be FULL or NORMAL")
        self.url = url
        self.engine: AsyncEngine = create_async_engine(url)
        if self.engine.dialect.name == "sqlite":
            self._install_sqlite_pragmas(synchronous.upper())
        # No autoflush: a transaction's changes go out once, at commit (or an explicit
        # flush), instead of before every query; queries that must see them flush first.
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False)
        self._write_lock = asyncio.Lock()

    def _install_sqlite_pragmas(self, synchronous: str) -> None:
        @event.listens_for(self.engine.sync_engine, "connect")
        def _on_connect(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA synchronous={synchronous}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()

    async def migrate(self) -> list[int]:
        """Bring the schema to the latest version; returns the versions applied."""
        async with self._write_lock, self.engine.connect() as conn:
            return await conn.run_sync(migrate)

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncSession]:
        """One transaction that commits on success and rolls back on any exception."""
        async with self._write_lock, self.sessions() as session, session.begin():
            yield session

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work (never committed)."""
        async with self.sessions() as session:
            yield session

    async def close(self) -> None:
        await self.engine.dispose()
