"""What several workers share through PostgreSQL: callback claims and long-poll wake-ups.

Two engines (as two workers would hold) on one database, in one event loop.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from backend_stub.config import make_settings
from backend_stub.engine.callbacks import send_due
from backend_stub.engine.context import Engine
from backend_stub.engine.pgbus import PgBus, asyncpg_dsn
from backend_stub.store.db import Database, normalize_url
from backend_stub.store.models import Callback
from tests.helpers.postgres import PgCluster

posted: Counter[str] = Counter()


async def _slow_sp(request: httpx.Request) -> httpx.Response:
    await asyncio.sleep(0.02)  # a slow SP: both workers' senders overlap in time
    posted[request.url.path] += 1
    return httpx.Response(200)


@pytest.fixture
async def engines(postgres: PgCluster, tmp_path: Path) -> AsyncIterator[list[Engine]]:
    url = postgres.create_database()
    out = []
    for i in range(2):
        settings = make_settings(tmp_path / str(i), device_token="d", admin_token="a",
                                 db_url=url)
        db = Database(settings.db_url)
        await db.migrate()
        http = httpx.AsyncClient(transport=httpx.MockTransport(_slow_sp))
        out.append(Engine(settings=settings, db=db, http=http))
    yield out
    for eng in out:
        for task in list(eng.tasks):
            task.cancel()
        await asyncio.gather(*eng.tasks, return_exceptions=True)
        await eng.http.aclose()
        await eng.db.close()


def test_postgresql_urls_mean_asyncpg() -> None:
    assert normalize_url("postgresql://u@h/d") == "postgresql+asyncpg://u@h/d"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"
    assert asyncpg_dsn("postgresql+asyncpg://u:p@h:5/d") == "postgresql://u:p@h:5/d"


async def test_two_senders_post_each_callback_once(engines: list[Engine]) -> None:
    posted.clear()
    a, b = engines
    assert a.db.shared and b.db.shared

    def _add(s: Session) -> None:
        for i in range(60):
            s.add(Callback(operation_id=f"op-{i}", app_id="5e550001",
                           url=f"http://sp.invalid/cb/{i}", body={"operationId": f"op-{i}"},
                           attempts=0, next_attempt_at=0.0, gave_up=False, created_at=0.0))

    await a.db.write(_add)
    for _ in range(3):  # both workers' senders run at the same moments, repeatedly
        await asyncio.gather(send_due(a), send_due(b), send_due(a), send_due(b))
    assert len(posted) == 60
    assert set(posted.values()) == {1}, "a callback was posted twice"

    def _rows(s: Session) -> list[Callback]:
        return list(s.execute(select(Callback)).scalars())

    rows = await b.db.read(_rows)
    assert all(r.delivered_at is not None and r.attempts == 1 for r in rows)


async def test_a_claimed_callback_comes_back_after_its_lease(engines: list[Engine]) -> None:
    """A worker that claimed a row and died: the row is due again once the lease runs out."""
    posted.clear()
    a, b = engines
    now = [1000.0]
    a.clock = b.clock = lambda: now[0]

    def _add(s: Session) -> None:
        s.add(Callback(operation_id="op-lease", app_id="5e550001",
                       url="http://sp.invalid/cb/lease", body={}, attempts=0,
                       next_attempt_at=0.0, gave_up=False, created_at=0.0))

    await a.db.write(_add)

    def _claim(s: Session) -> None:  # what send_due's claim does before a crash
        cb = s.execute(select(Callback)).scalar_one()
        cb.next_attempt_at = now[0] + a.settings.callback_timeout + 5

    await a.db.write(_claim)
    assert await send_due(b) == 0  # leased: not due yet
    now[0] += a.settings.callback_timeout + 6
    assert await send_due(b) == 1
    assert posted["/cb/lease"] == 1


async def test_a_commit_on_one_worker_wakes_a_long_poll_on_the_other(
        engines: list[Engine]) -> None:
    a, b = engines
    for eng in engines:
        eng.bus = PgBus(eng.db.url, eng.notifier)
        eng.spawn(eng.bus.run())
        await asyncio.wait_for(eng.bus.ready.wait(), 10)
    ev = b.notifier.subscribe("session-1")
    other = b.notifier.subscribe("session-2")
    from backend_stub.engine.context import Effects

    a.apply(Effects(sessions={"session-1"}))
    await asyncio.wait_for(ev.wait(), 5)
    assert not other.is_set()
