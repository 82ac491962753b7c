"""A real backend (uvicorn on 127.0.0.1) with the demo SP, on SQLite and on PostgreSQL.

The `backend` fixture is parametrized over both databases: every end-to-end test
runs twice. The PostgreSQL variant gets its own database in the session's one
throwaway cluster (tests/helpers/postgres.py; skipped without PostgreSQL, failed
under CI=true).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from backend_stub.config import make_settings
from backend_stub.demo_sp.server import DemoSP
from backend_stub.runner import Runner, free_port
from cardsim.card import VirtualCard
from tests.helpers.postgres import PgCluster, postgres  # noqa: F401 (a fixture)
from tests.helpers.tp_loop import TouchPoint

DEVICE_TOKEN = "device-token-for-tests"
ADMIN_TOKEN = "admin-token-for-tests"
SECRET = "73656372"
HELLO = "68656c6f"
TEST_APP = "5e550001"


@dataclass
class Backend:
    runner: Runner
    db_path: Path
    db_url: str | None = None  # set for PostgreSQL

    @property
    def url(self) -> str:
        return self.runner.url

    @property
    def demo(self) -> DemoSP:
        return self.runner.demo_sp  # type: ignore[no-any-return]

    def touchpoint(self, card: Any, **kw: Any) -> TouchPoint:
        return TouchPoint(self.url, DEVICE_TOKEN, card, **kw)

    def admin(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {ADMIN_TOKEN}"}

    def device(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {DEVICE_TOKEN}"}

    def secret_auth(self) -> httpx.BasicAuth:
        return httpx.BasicAuth(SECRET, self.demo.app_key or "")

    async def session(self, session_id: str) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=self.url) as c:
            resp = await c.get(f"/admin/sessions/{session_id}", headers=self.admin())
            resp.raise_for_status()
            return resp.json()  # type: ignore[no-any-return]

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table (read straight from the database)."""
        if self.db_url is not None:
            return pg_snapshot(self.db_url)
        con = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True)
        try:
            tables = [r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
            return {t: sorted(map(tuple, con.execute(f"SELECT * FROM {t}")), key=repr)
                    for t in tables}
        finally:
            con.close()


def pg_snapshot(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a PostgreSQL database (asyncpg, on a thread of its own)."""
    import asyncpg

    async def read() -> dict[str, list[tuple[Any, ...]]]:
        conn = await asyncpg.connect(url)
        try:
            tables = [r[0] for r in await conn.fetch(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                "ORDER BY tablename")]
            return {t: sorted((tuple(r) for r in await conn.fetch(f'SELECT * FROM "{t}"')),
                              key=repr) for t in tables}
        finally:
            await conn.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, read()).result()


def start_backend(tmp: Path, db_url: str | None = None, **overrides: Any) -> Backend:
    settings = make_settings(
        tmp, device_token=DEVICE_TOKEN, admin_token=ADMIN_TOKEN, db_url=db_url,
        **{"fetch_wait": 1.0, "touchpoint_timeout": 3.0, "watchdog_interval": 0.2,
           "callback_base_delay": 0.1, "callback_max_delay": 0.5, **overrides})
    runner = Runner(settings, port=free_port(), demo=True).start_in_thread()
    return Backend(runner, tmp / "backend.sqlite3", db_url)


def database_url(request: pytest.FixtureRequest) -> str | None:
    """None for SQLite (the default file), a fresh PostgreSQL database otherwise."""
    if request.param == "sqlite":
        return None
    cluster: PgCluster = request.getfixturevalue("postgres")
    return cluster.create_database()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    b = start_backend(tmp_path_factory.mktemp("backend"), database_url(request))
    yield b
    b.runner.stop()


@pytest.fixture(scope="module")
def quiet_session(backend: Backend) -> dict[str, Any]:
    """An app whose 'SP' accepts the delivery and then says nothing: a session stays open."""
    demo = backend.runner.demo_url
    with httpx.Client(base_url=backend.url) as c:
        created = c.post("/admin/apps", headers=backend.admin(), json={
            "appId": TEST_APP, "serviceDescriptionUrl": f"{demo}/description",
            "serviceDeliveryUrl": f"{demo}/callback"}).json()
        auth = httpx.BasicAuth(TEST_APP, created["appKey"])
        assert c.put(f"/v3/apps/{TEST_APP}/services/install", auth=auth).status_code == 201
        resp = c.post("/v3/service/deliver", headers=backend.device(), json={
            "appId": TEST_APP, "serviceId": "install", "fields": {"nickname": "q"},
            "cardId": {"iin": "11", "cin": "C0FFEE", "platformVersion": 3}})
        assert resp.status_code == 200, resp.text
        return {"auth": auth, "session": resp.json()["sessionId"]}


@pytest.fixture
def card() -> VirtualCard:
    c = VirtualCard.create(None)
    c.power_on()
    return c


@pytest.fixture
async def tp(backend: Backend, card: VirtualCard) -> Any:
    t = backend.touchpoint(card)
    yield t
    await t.close()
