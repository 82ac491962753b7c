"""Schema migrations, SQLite pragmas and transactions that are all or nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select, text

from backend_stub.config import sqlite_url
from backend_stub.store.db import Database
from backend_stub.store.migrations import LATEST
from backend_stub.store.models import App, Service


async def test_migrations_are_versioned_and_idempotent(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "x.sqlite3"))
    assert await db.migrate() == list(range(1, LATEST + 1))
    assert await db.migrate() == []
    async with db.read() as s:
        versions = (await s.execute(text("SELECT version FROM schema_version"))).scalars().all()
        assert sorted(versions) == list(range(1, LATEST + 1))
        assert (await s.execute(text("PRAGMA journal_mode"))).scalar() == "wal"
        assert (await s.execute(text("PRAGMA foreign_keys"))).scalar() == 1
        assert (await s.execute(text("PRAGMA synchronous"))).scalar() == 2  # FULL
    await db.close()


async def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.sqlite3"
    db = Database(sqlite_url(path))
    await db.migrate()
    await db.close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_version VALUES (?, 0)", (LATEST + 1,))
    con.commit()
    con.close()
    db = Database(sqlite_url(path))
    with pytest.raises(RuntimeError, match="newer"):
        await db.migrate()
    await db.close()


async def test_write_is_one_transaction(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "x.sqlite3"))
    await db.migrate()

    def app(app_id: str) -> App:
        return App(app_id=app_id, key_hash="k", token_hash="t" + app_id, state="published",
                   description={"name": {"en": app_id}}, settings={}, created_at=0.0,
                   updated_at=0.0)

    with pytest.raises(RuntimeError):
        async with db.write() as s:
            s.add(app("00000001"))
            await s.flush()
            s.add(Service(app_id="00000001", service_id="x", created_at=0.0))
            await s.flush()
            raise RuntimeError("boom")
    async with db.read() as s:
        assert (await s.execute(select(App))).scalars().all() == []
        assert (await s.execute(select(Service))).scalars().all() == []
    await db.close()
