"""Every refusal of the lifecycle state machine (412), and Unstable after failed deliveries."""

from __future__ import annotations

import httpx
import pytest

from cardsim.card import VirtualCard
from tests.e2e.backend.conftest import SECRET, Backend
from tests.helpers.tp_loop import TouchPoint

# service -> kind for the demo app
SERVICES = ["install", "uninstall", "suspend", "unsuspend", "desfire-create", "rotate-key"]
ALLOWED = {
    "NotInstalled": {"install", "desfire-create", "rotate-key"},
    "Installed": {"uninstall", "suspend", "desfire-create", "rotate-key"},
    "Suspended": {"uninstall", "unsuspend"},
    "Unstable": {"uninstall", "desfire-create", "rotate-key"},
}


async def bring_to(tp: TouchPoint, state: str) -> None:
    if state in ("Installed", "Suspended", "Unstable"):
        assert (await tp.run_service(SECRET, "install", {"nickname": "n"})).success
    if state == "Suspended":
        assert (await tp.run_service(SECRET, "suspend")).success
    if state == "Unstable":
        assert (await tp.run_service(SECRET, "desfire-create")).success
    assert (await tp.apps())[SECRET] == state


@pytest.mark.parametrize("state", list(ALLOWED))
async def test_each_service_is_allowed_or_refused_with_412(backend: Backend, tp: TouchPoint,
                                                           state: str) -> None:
    await bring_to(tp, state)
    ident = tp.identity
    assert ident is not None
    before = backend.snapshot()
    async with httpx.AsyncClient(base_url=backend.url, headers=backend.device()) as c:
        for service in SERVICES:
            resp = await c.get(f"/v3/apps/{SECRET}/services/{service}",
                               params={"cin": ident.cin})
            want = 200 if service in ALLOWED[state] else 412
            assert resp.status_code == want, (state, service, resp.text)
            if want == 412:
                assert resp.json()["error"] == "state-not-allowed"
                deliver = await tp.deliver(SECRET, service, {"nickname": "n"})
                assert deliver.status_code == 412, (state, service)
                assert state in deliver.json()["message"]
    # refusals store nothing
    assert backend.snapshot() == before


async def test_failed_install_leaves_unstable(backend: Backend, card: VirtualCard) -> None:
    tp = backend.touchpoint(card)
    tp.read_identity()
    card.arm_tear(after=6)  # the card goes away in the middle of the install batch
    result = await tp.run_service(SECRET, "install", {"nickname": "n"})
    assert not result.success and result.card_removed
    card.power_on()
    session = await backend.session(result.session_id or "")
    assert session["finalState"] == "Unstable" and session["success"] is False
    assert session["operations"][0]["statusCode"] == 410
    assert (await tp.apps())[SECRET] == "Unstable"
    # the SP heard about it through its callback
    op_id = session["operations"][0]["operationId"]
    for _ in range(50):
        if op_id in backend.demo.results:
            break
        import asyncio

        await asyncio.sleep(0.05)
    assert backend.demo.results[op_id]["statusCode"] == 410
    # the way out: uninstall from Unstable cleans the card
    result = await tp.run_service(SECRET, "uninstall")
    assert result.success and result.status["appState"] == "NotInstalled"
    await tp.close()


async def test_failed_suspend_leaves_unstable(backend: Backend, tp: TouchPoint) -> None:
    await bring_to(tp, "Installed")
    tp.card.arm_tear(after=1)  # torn while its secure channel opens: nothing changed
    result = await tp.run_service(SECRET, "suspend")
    assert not result.success
    tp.card.power_on()
    assert (await tp.apps())[SECRET] == "Installed"  # issue 18: the state stays


async def test_silent_touch_point_fails_operation_with_408(backend: Backend,
                                                           tp: TouchPoint) -> None:
    resp = await tp.deliver(SECRET, "install", {"nickname": "n"})
    session_id = resp.json()["sessionId"]
    async with httpx.AsyncClient(base_url=backend.url, headers=backend.device()) as c:
        fetched = (await c.post("/v3/service/fetch", json={"sessionId": session_id})).json()
        assert fetched["operationType"] == "transceive"
        first = await c.post("/v3/connector/json", json={"uuid": fetched["operationId"],
                                                          "open": True, "responses": []})
        assert first.json()["commands"]
        # ... and the touch point says nothing more: the watchdog ends the operation
        import asyncio

        for _ in range(100):
            session = await backend.session(session_id)
            if session["phase"] == "done":
                break
            await asyncio.sleep(0.1)
        assert session["operations"][0]["statusCode"] == 408
        # only the channel's opening was handed over: nothing changed, the state stays
        assert session["finalState"] == "NotInstalled"
        done = (await c.post("/v3/service/fetch", json={"sessionId": session_id})).json()
        assert done["completed"] and done["status"]["success"] is False
