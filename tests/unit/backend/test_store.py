"""Schema migrations, SQLite pragmas and transactions that are all or nothing.

Every test runs on both runners of the store interface: the dedicated-thread
synchronous engine (the SQLite default) and an async driver through
`AsyncSession.run_sync` (the path an async PostgreSQL engine takes).
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from backend_stub.config import sqlite_url
from backend_stub.store.db import Database
from backend_stub.store.migrations import head, revisions
from backend_stub.store.models import App, Service

RUNNERS = pytest.mark.parametrize("async_driver", [False, True], ids=["thread", "async"])


def _app(app_id: str) -> App:
    return App(app_id=app_id, key_hash="k", token_hash="t" + app_id, state="published",
               description={"name": {"en": app_id}}, settings={}, created_at=0.0,
               updated_at=0.0)


@RUNNERS
async def test_migrations_are_versioned_and_idempotent(tmp_path: Path, async_driver: bool
                                                       ) -> None:
    db = Database(sqlite_url(tmp_path / "x.sqlite3", async_driver=async_driver),
                  synchronous="FULL")
    assert db.threaded is not async_driver
    assert await db.migrate() == revisions()
    assert await db.migrate() == []

    def inspect(s: Session) -> tuple[list[str], str, int, int]:
        versions = list(s.execute(text("SELECT version_num FROM alembic_version")).scalars())
        return (versions, s.execute(text("PRAGMA journal_mode")).scalar(),
                s.execute(text("PRAGMA foreign_keys")).scalar(),
                s.execute(text("PRAGMA synchronous")).scalar())

    versions, journal, fks, sync = await db.read(inspect)
    assert versions == [head()]
    assert (journal, fks, sync) == ("wal", 1, 2)  # synchronous 2 = FULL
    await db.close()


async def test_normal_sync_is_the_default_and_bad_modes_are_refused(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "x.sqlite3"))
    await db.migrate()
    assert await db.read(lambda s: s.execute(text("PRAGMA synchronous")).scalar()) == 1
    await db.close()
    with pytest.raises(ValueError, match="FULL or NORMAL"):
        Database(sqlite_url(tmp_path / "y.sqlite3"), synchronous="OFF")


@RUNNERS
async def test_a_newer_schema_is_refused(tmp_path: Path, async_driver: bool) -> None:
    path = tmp_path / "x.sqlite3"
    db = Database(sqlite_url(path, async_driver=async_driver))
    await db.migrate()
    await db.close()
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'a1b2c3'")  # a later backend's
    con.commit()
    con.close()
    db = Database(sqlite_url(path, async_driver=async_driver))
    with pytest.raises(RuntimeError, match="newer"):
        await db.migrate()
    await db.close()


@RUNNERS
async def test_write_is_one_transaction(tmp_path: Path, async_driver: bool) -> None:
    db = Database(sqlite_url(tmp_path / "x.sqlite3", async_driver=async_driver))
    await db.migrate()

    def half_then_fail(s: Session) -> None:
        s.add(_app("00000001"))
        s.flush()
        s.add(Service(app_id="00000001", service_id="x", created_at=0.0))
        s.flush()
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await db.write(half_then_fail)

    def count(s: Session) -> tuple[int, int]:
        return (len(s.execute(select(App)).scalars().all()),
                len(s.execute(select(Service)).scalars().all()))

    assert await db.read(count) == (0, 0)
    await db.write(lambda s: s.add(_app("00000002")))
    assert await db.read(count) == (1, 0)
    await db.close()


@RUNNERS
async def test_reads_never_commit(tmp_path: Path, async_driver: bool) -> None:
    db = Database(sqlite_url(tmp_path / "x.sqlite3", async_driver=async_driver))
    await db.migrate()

    def sneaky(s: Session) -> None:
        s.add(_app("00000003"))
        s.flush()

    await db.read(sneaky)
    assert await db.read(lambda s: s.execute(select(App)).scalars().all()) == []
    await db.close()


async def test_units_of_work_run_on_one_thread_off_the_event_loop(tmp_path: Path) -> None:
    db = Database(sqlite_url(tmp_path / "x.sqlite3"))
    await db.migrate()
    loop_thread = threading.get_ident()
    seen = await asyncio.gather(*(db.write(lambda s: threading.get_ident()) for _ in range(20)))
    assert len(set(seen)) == 1 and loop_thread not in seen
    await db.close()


async def test_concurrent_writers_are_serialised(tmp_path: Path) -> None:
    # read-modify-write without any lock in the unit of work: only serialisation keeps it exact
    db = Database(sqlite_url(tmp_path / "x.sqlite3"))
    await db.migrate()
    await db.write(lambda s: s.add(_app("00000004")))

    def bump(s: Session) -> None:
        app = s.get(App, "00000004")
        assert app is not None
        app.updated_at = app.updated_at + 1

    await asyncio.gather(*(db.write(bump) for _ in range(50)))
    app = await db.read(lambda s: s.get(App, "00000004"))
    assert app is not None and app.updated_at == 50
    await db.close()
