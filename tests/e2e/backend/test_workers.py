"""Two backend processes on one PostgreSQL database: any request may land on either.

The touch point talks to one worker and the SP (the demo SP, run by the other
worker) to the other, or the touch point alternates between both on every
request; one worker is killed with SIGKILL in the middle of a delivery and the
touch point fails over to the survivor, as behind a load balancer.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from backend_stub.runner import free_port
from cardsim.card import VirtualCard
from tests.e2e.backend.conftest import HELLO, SECRET, pg_snapshot
from tests.helpers.backendproc import ROOT, BackendProcess, first_operation
from tests.helpers.postgres import PgCluster
from tests.helpers.tp_loop import TouchPoint

TOKEN = "workers-device-token"
ADMIN = "workers-admin-token"


def _worker(data: Path, db_url: str, demo: bool) -> BackendProcess:
    """`touchpoint-backend serve` as a subprocess on a shared database."""
    return BackendProcess(data, db_url, token=TOKEN, admin=ADMIN, demo=demo, name="worker",
                          extra=["--fetch-wait", "1", "--touchpoint-timeout", "5"])


class RoundRobin(httpx.AsyncBaseTransport):
    """Sends each request to the next of several ports (a load balancer in miniature)."""

    def __init__(self, ports: list[int]) -> None:
        self._ports = itertools.cycle(ports)
        self._inner = httpx.AsyncHTTPTransport()
        self.used: list[int] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        port = next(self._ports)
        self.used.append(port)
        request.url = request.url.copy_with(port=port)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


@pytest.fixture
def workers(postgres: PgCluster, tmp_path: Path) -> Iterator[tuple[BackendProcess, BackendProcess]]:
    url = postgres.create_database()
    sp_side = _worker(tmp_path, url, demo=True)   # the demo SP calls this one
    tp_side = _worker(tmp_path, url, demo=False)  # the touch point calls this one
    for w in (sp_side, tp_side):  # started together: both migrate, one waits for the other
        w.start()
    try:
        sp_side.wait_started()
        tp_side.wait_started()
        yield sp_side, tp_side
    finally:
        for w in (sp_side, tp_side):
            w.stop()
        for w in (sp_side, tp_side):
            print(w.log.read_text())  # shown by pytest when the test failed


def _touchpoint(url: str, client: httpx.AsyncClient | None = None) -> TouchPoint:
    """A test touch point on a fresh virtual card, long-polls of 1 s."""
    card = VirtualCard.create(None)
    card.power_on()
    return TouchPoint(url, TOKEN, card, client=client, fetch_wait=1)


def admin() -> dict[str, str]:
    return {"Authorization": f"Bearer {ADMIN}"}


async def lifecycle(tp: TouchPoint) -> None:
    result = await tp.run_service(SECRET, "install", {"nickname": "two workers"})
    assert result.success, result
    assert (await tp.apps())[SECRET] == "Installed"
    result = await tp.run_service(SECRET, "suspend")
    assert result.success and result.status["appState"] == "Suspended", result
    result = await tp.run_service(SECRET, "unsuspend")
    assert result.success and result.status["appState"] == "Installed", result
    result = await tp.run_service(SECRET, "uninstall")
    assert result.success and result.status["appState"] == "NotInstalled", result


async def test_touch_point_on_one_worker_sp_on_the_other(
        workers: tuple[BackendProcess, BackendProcess]) -> None:
    _sp_side, tp_side = workers
    tp = _touchpoint(tp_side.url)
    try:
        await lifecycle(tp)
    finally:
        await tp.close()
    # every SP call of the demo SP went to the other worker
    assert "demo service provider on" not in tp_side.log.read_text()


async def test_every_request_alternates_between_the_workers(
        workers: tuple[BackendProcess, BackendProcess]) -> None:
    sp_side, tp_side = workers
    transport = RoundRobin([sp_side.port, tp_side.port])
    client = httpx.AsyncClient(transport=transport, timeout=60)
    tp = _touchpoint(tp_side.url, client=client)
    try:
        await lifecycle(tp)
        assert (await tp.run_service(HELLO, "install")).success
    finally:
        await client.aclose()
    assert {sp_side.port, tp_side.port} <= set(transport.used)
    # five deliveries of at least two round trips each, plus the state lookup
    assert len(transport.used) >= 11


async def test_worker_killed_mid_delivery_the_other_completes_it(
        workers: tuple[BackendProcess, BackendProcess]) -> None:
    sp_side, tp_side = workers
    tp = _touchpoint(tp_side.url)
    assert (await tp.run_service(SECRET, "install", {"nickname": "before"})).success
    assert (await tp.run_service(HELLO, "install")).success
    stored = {t: rows for t, rows in pg_snapshot(sp_side.db).items()
              if t in ("apps", "services", "capfiles", "devices")}

    killed: list[str] = []

    def kill_on_first_batch(_op_id: str, _commands: list[str]) -> None:
        # the touch point holds a batch its worker handed out: that worker dies, the
        # touch point's next request (the batch's responses) lands on the survivor
        if not killed:
            tp_side.kill()
            killed.append(_op_id)
            tp.base = sp_side.url

    tp.on_batch = kill_on_first_batch
    result = await tp.run_service(SECRET, "suspend")
    assert killed, "the suspend carried no batch"
    assert result.success and result.status["appState"] == "Suspended", result
    tp.on_batch = None

    async with httpx.AsyncClient(base_url=sp_side.url) as c:
        session = (await c.get(f"/admin/sessions/{result.session_id}",
                               headers=admin())).json()
        assert session["phase"] == "done"
        for _ in range(100):  # the SP's callbacks are all delivered, none lost
            session = (await c.get(f"/admin/sessions/{result.session_id}",
                                   headers=admin())).json()
            cbs = [op["callback"] for op in session["operations"] if op["callback"]]
            if cbs and all(cb["delivered"] for cb in cbs):
                break
            await asyncio.sleep(0.1)
        assert cbs and all(cb["delivered"] for cb in cbs), session
    after = {t: rows for t, rows in pg_snapshot(sp_side.db).items()
             if t in ("apps", "services", "capfiles")}
    assert after == {t: stored[t] for t in after}
    # and the survivor carries on alone
    result = await tp.run_service(SECRET, "uninstall")
    assert result.success and result.status["appState"] == "NotInstalled"
    await tp.close()


def test_serve_workers_runs_n_processes_on_one_port(postgres: PgCluster,
                                                    tmp_path: Path) -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "backend_stub.cli", "serve", "--port", str(port),
           "--db", postgres.create_database(), "--data-dir", str(tmp_path),
           "--device-token", TOKEN, "--admin-token", ADMIN, "--workers", "2",
           "--log-level", "warning"]
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                stdout=out, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while log.read_text().count("listening on") < 2:
            assert proc.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(children) == 2
        for _ in range(10):  # fresh connections: the kernel spreads them over both
            assert httpx.get(f"http://127.0.0.1:{port}/health").json() == {"status": "ok"}
    finally:
        proc.terminate()
        assert proc.wait(20) == 0, log.read_text()
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or \
            "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]


async def test_worker_killed_and_touch_point_gone_the_other_fails_it_cleanly(
        workers: tuple[BackendProcess, BackendProcess]) -> None:
    """No failover this time: the survivor's watchdog ends the session (408) and the SP
    gets its callback; the app state follows the failed-delivery rules."""
    sp_side, tp_side = workers
    tp = _touchpoint(tp_side.url)
    assert (await tp.run_service(SECRET, "install", {"nickname": "before"})).success
    resp = await tp.deliver(SECRET, "suspend")
    session_id = resp.json()["sessionId"]
    fetched = await first_operation(tp_side.url, TOKEN, session_id)
    assert fetched.get("operationType") == "transceive", fetched
    tp_side.kill()
    await tp.close()
    async with httpx.AsyncClient(base_url=sp_side.url) as c:
        for _ in range(150):
            session = (await c.get(f"/admin/sessions/{session_id}", headers=admin())).json()
            cb = session["operations"][0]["callback"]
            if session["phase"] == "done" and cb and cb["delivered"]:
                break
            await asyncio.sleep(0.1)
        assert session["phase"] == "done" and session["success"] is False, session
        assert session["operations"][0]["statusCode"] == 408
        assert session["operations"][0]["callback"]["delivered"] is True
    tp2 = TouchPoint(sp_side.url, TOKEN, tp.card, fetch_wait=1)
    try:
        # the batch it held opened the channel only: nothing changed (issue 18)
        assert (await tp2.apps())[SECRET] == "Installed"
        result = await tp2.run_service(SECRET, "uninstall")
        assert result.success and result.status["appState"] == "NotInstalled"
    finally:
        await tp2.close()
