"""The backend as a subprocess, killed with SIGKILL mid-delivery and started again."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from cardsim.card import VirtualCard
from tests.e2e.backend.conftest import HELLO, SECRET
from tests.helpers.backendproc import BackendProcess, first_operation
from tests.helpers.tp_loop import TouchPoint

TOKEN = "crash-device-token"
ADMIN = "crash-admin-token"


def _server(data: Path) -> BackendProcess:
    return BackendProcess(data, str(data / "state.sqlite3"), token=TOKEN, admin=ADMIN,
                          demo=True, extra=["--fetch-wait", "1"])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[BackendProcess]:
    s = _server(tmp_path)
    s.start()
    s.wait_started()
    yield s
    s.stop()
    print(s.log.read_text())  # shown by pytest when the test failed


async def test_sigkill_mid_delivery_keeps_state_and_fails_the_session(
        server: BackendProcess) -> None:
    card = VirtualCard.create(None)
    card.power_on()
    tp = TouchPoint(server.url, TOKEN, card, fetch_wait=1)
    assert (await tp.run_service(SECRET, "install", {"nickname": "before"})).success
    assert (await tp.run_service(HELLO, "install")).success
    async with httpx.AsyncClient(base_url=server.url) as c:
        caps_before = {a: (await c.get(f"/v3/apps/{a}/capfiles",
                                       headers={"Authorization": f"Bearer {ADMIN}"})).json()
                       for a in (SECRET, HELLO)}
    assert all(caps_before.values())

    # start a suspend and kill the backend while the touch point holds its first batch
    resp = await tp.deliver(SECRET, "suspend")
    session_id = resp.json()["sessionId"]
    h = {"Authorization": f"Bearer {TOKEN}"}
    op_id = (await first_operation(server.url, TOKEN, session_id))["operationId"]
    async with httpx.AsyncClient(base_url=server.url, headers=h) as c:
        batch = (await c.post("/v3/connector/json", json={
            "uuid": op_id, "open": True, "responses": []})).json()["commands"]
        assert batch
    server.kill()

    server.start()  # same database, same ports
    server.wait_started()
    async with httpx.AsyncClient(base_url=server.url, headers=h) as c:
        done = (await c.post("/v3/service/fetch", json={"sessionId": session_id})).json()
        assert done["completed"] is True and done["status"]["success"] is False
        admin = {"Authorization": f"Bearer {ADMIN}"}
        for _ in range(100):
            session = (await c.get(f"/admin/sessions/{session_id}", headers=admin)).json()
            cb = session["operations"][0]["callback"]
            if cb and cb["delivered"]:
                break
            await asyncio.sleep(0.1)
        assert session["phase"] == "done"
        assert session["operations"][0]["statusCode"] == 500
        assert session["operations"][0]["callback"]["delivered"] is True
        # every app state and CAP file survived; the interrupted suspend had only opened
        # its secure channel, which changes nothing, so its state stays (issue 18)
        states = await tp.apps()
        assert states[HELLO] == "Installed"
        assert states[SECRET] == "Installed"
        caps_after = {a: (await c.get(f"/v3/apps/{a}/capfiles", headers=admin)).json()
                      for a in (SECRET, HELLO)}
        assert caps_after == caps_before
    # and the card can still be cleaned up through the restarted backend
    result = await tp.run_service(SECRET, "uninstall")
    assert result.success and result.status["appState"] == "NotInstalled"
    await tp.close()
