"""The round-trip shortcuts of the device protocol (api/device.py docstring), end to end.

`service/deliver` carries the session's first step (`next`); `service/fetch`
carries a transceive operation's first batch inline; the connector answer that
ends an operation carries `next`; all are idempotent with what an old client
does (fetch, connector open, fetch), which still works.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from cardsim.card import VirtualCard
from tests.e2e.backend.conftest import HELLO, Backend

PLAIN_APP = "5e550002"
QUIET_APP = "5e550003"
APDUS = ["00A4040000", "80CA004500", "80CA9F7F00"]


@pytest.fixture(scope="module")
def apps(backend: Backend) -> dict[str, httpx.BasicAuth]:
    """A recipe app (three plain APDUs) and an SP app whose SP is the test itself."""
    demo = backend.runner.demo_url
    out = {}
    with httpx.Client(base_url=backend.url) as c:
        for app_id, settings in ((PLAIN_APP, {}), (QUIET_APP, {
                "serviceDescriptionUrl": f"{demo}/description",
                "serviceDeliveryUrl": f"{demo}/callback"})):
            created = c.post("/admin/apps", headers=backend.admin(),
                             json={"appId": app_id, **settings})
            assert created.status_code == 201, created.text
            out[app_id] = httpx.BasicAuth(app_id, created.json()["appKey"])
        recipe = {"description": {"title": {"en": "Plain"}},
                  "actions": [{"endpoint": "/transceive", "content": {"commands": APDUS}}]}
        assert c.put(f"/v3/apps/{PLAIN_APP}/services/plain/recipe", json=recipe,
                     auth=out[PLAIN_APP]).status_code in (200, 201)
        assert c.put(f"/v3/apps/{QUIET_APP}/services/install",
                     auth=out[QUIET_APP]).status_code == 201
    return out


async def _deliver_answer(c: httpx.AsyncClient, backend: Backend, app_id: str, service: str,
                          cin: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    resp = await c.post("/v3/service/deliver", headers=backend.device(), json={
        "appId": app_id, "serviceId": service, "fields": fields or {},
        "cardId": {"iin": "11", "cin": cin, "platformVersion": 3}})
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def _deliver(c: httpx.AsyncClient, backend: Backend, app_id: str, service: str,
                   cin: str, fields: dict[str, Any] | None = None) -> str:
    return str((await _deliver_answer(c, backend, app_id, service, cin, fields))["sessionId"])


async def _fetch(c: httpx.AsyncClient, backend: Backend, sid: str) -> dict[str, Any]:
    resp = await c.post("/v3/service/fetch", headers=backend.device(),
                        json={"sessionId": sid})
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def _connector(c: httpx.AsyncClient, backend: Backend, op: str,
                     responses: list[str]) -> dict[str, Any]:
    resp = await c.post("/v3/connector/json", headers=backend.device(),
                        json={"uuid": op, "open": True, "responses": responses})
    assert resp.status_code == 200, resp.text
    return resp.json()  # type: ignore[no-any-return]


async def test_fetch_carries_the_first_batch_and_every_path_answers_the_same(
        backend: Backend, apps: dict[str, httpx.BasicAuth]) -> None:
    async with httpx.AsyncClient(base_url=backend.url) as c:
        delivered = await _deliver_answer(c, backend, PLAIN_APP, "plain", "C0DE0001")
        sid = delivered["sessionId"]
        first = await _fetch(c, backend, sid)
        # deliver's `next` is what the first fetch answers, and consumed nothing
        assert delivered["next"] == first
        assert first["operationType"] == "transceive"
        assert first["commands"] == APDUS
        assert first["expect"] == [["9000", "61XX"]] * 3 and len(first["names"]) == 3
        # idempotent: fetch again, or open the operation as an old client does
        assert await _fetch(c, backend, sid) == first
        opened = await _connector(c, backend, first["operationId"], [])
        assert opened == {k: first[k] for k in ("commands", "expect", "names")}
        # the last batch's responses end the operation: `next` is the final status
        done = await _connector(c, backend, first["operationId"],
                                ["9000", "9000", "9000"])
        assert done["commands"] == []
        assert done["next"]["completed"] is True and done["next"]["status"]["success"]
        # nothing was consumed: a fetch answers the same final status
        assert await _fetch(c, backend, sid) == done["next"]
        # and the operation stays closed
        assert (await _connector(c, backend, first["operationId"], [])) == {"commands": []}


async def test_two_round_trips_with_shortcuts_five_without(
        backend: Backend, apps: dict[str, httpx.BasicAuth]) -> None:
    for shortcuts, trips in ((True, 2), (False, 5)):
        card = VirtualCard.create(None)
        card.power_on()
        tp = backend.touchpoint(card, shortcuts=shortcuts)
        tp.read_identity()
        tp.round_trips = 0
        result = await tp.run_service(PLAIN_APP, "plain")
        await tp.close()
        assert result.success, result.message
        # deliver (-> next: the operation with its batch), connector (responses -> next:
        # completed); an old client adds a fetch, the connector open and the final fetch
        assert tp.round_trips == trips
        assert [e.apdu.hex().upper() for e in tp.carried[-3:]] == APDUS


async def test_sp_driven_install_uses_next_and_an_old_client_still_works(
        backend: Backend) -> None:
    trips = {}
    for shortcuts in (True, False):
        card = VirtualCard.create(None)
        card.power_on()
        tp = backend.touchpoint(card, shortcuts=shortcuts)
        tp.read_identity()
        tp.round_trips = 0
        result = await tp.run_service(HELLO, "install")
        assert result.success, result.message
        trips[shortcuts] = tp.round_trips
        states = await tp.apps()
        await tp.close()
        assert states[HELLO] == "Installed"
    assert trips[True] < trips[False]


async def test_next_waits_for_the_sp_and_is_left_out_when_nothing_comes(
        backend: Backend, apps: dict[str, httpx.BasicAuth]) -> None:
    sp = apps[QUIET_APP]
    async with httpx.AsyncClient(base_url=backend.url) as c:
        delivered = await _deliver_answer(c, backend, QUIET_APP, "install", "C0DE0002",
                                          {"nickname": "n"})
        # the SP (this test) has queued nothing: deliver's bounded wait leaves `next` out
        assert "next" not in delivered
        sid = delivered["sessionId"]

        async def sp_transceive(commands: list[str]) -> str:
            resp = await c.post("/transceive", auth=sp, json={"commands": commands},
                                headers={"sessionId": sid})
            assert resp.status_code == 200, resp.text
            return str(resp.json()["operationId"])

        op1 = await sp_transceive(["00A4040000"])
        first = await _fetch(c, backend, sid)
        assert first["operationId"] == op1 and first["commands"] == ["00A4040000"]
        # the SP (this test) stays silent: after the bounded wait `next` is left out
        loop = asyncio.get_running_loop()
        t0 = loop.time()
        done = await _connector(c, backend, op1, ["9000"])
        waited = loop.time() - t0
        assert done == {"commands": []}
        assert 0.8 <= waited < 3.0  # min(2 s, fetch wait = 1 s in these tests)

        # the SP queues its next operation while the touch point waits: it comes as `next`
        op2 = await sp_transceive(["80CA9F7F00"])
        second = await _fetch(c, backend, sid)
        assert second["operationId"] == op2 and second["commands"] == ["80CA9F7F00"]

        async def sp_later(action: Any) -> Any:
            await asyncio.sleep(0.2)
            return await action()

        op3_task = asyncio.ensure_future(sp_later(lambda: sp_transceive(["80CA004500"])))
        done2 = await _connector(c, backend, op2, ["9000"])
        op3 = await op3_task
        assert done2["commands"] == []
        assert done2["next"]["operationId"] == op3
        assert done2["next"]["commands"] == ["80CA004500"]  # with its batch inline
        assert await _fetch(c, backend, sid) == done2["next"]  # nothing consumed

        async def complete() -> httpx.Response:
            return await c.post("/service/completed", auth=sp, headers={"sessionId": sid},
                                json={"success": True, "message": {"en": "ok"}})

        completer = asyncio.ensure_future(sp_later(complete))
        done3 = await _connector(c, backend, op3, ["9000"])
        assert (await completer).status_code == 200
        assert done3["commands"] == []
        assert done3["next"]["completed"] is True and done3["next"]["status"]["success"]
        assert await _fetch(c, backend, sid) == done3["next"]


async def test_bad_inline_batch_responses_are_refused_like_any_batch(
        backend: Backend, apps: dict[str, httpx.BasicAuth]) -> None:
    async with httpx.AsyncClient(base_url=backend.url) as c:
        sid = await _deliver(c, backend, PLAIN_APP, "plain", "C0DE0003")
        first = await _fetch(c, backend, sid)
        resp = await c.post("/v3/connector/json", headers=backend.device(), json={
            "uuid": first["operationId"], "open": True, "responses": ["9000"] * 4})
        assert resp.status_code == 400 and resp.json()["field"] == "responses"
        # the batch is still pending, unchanged
        assert await _fetch(c, backend, sid) == first
        # a status word outside `expect` ends the operation (417) and the session fails
        done = await _connector(c, backend, first["operationId"], ["6A82"])
        assert done["commands"] == [] and done["next"]["completed"] is True
        assert done["next"]["status"]["success"] is False


def test_openapi_documents_the_shortcuts(backend: Backend) -> None:
    schema = httpx.get(f"{backend.url}/openapi.json").json()
    fetch = schema["paths"]["/v3/service/fetch"]["post"]["responses"]["200"]
    props = fetch["content"]["application/json"]["schema"]["properties"]
    assert {"commands", "expect", "names", "operationId", "completed"} <= set(props)
    conn = schema["paths"]["/v3/connector/json"]["post"]["responses"]["200"]
    assert "next" in conn["content"]["application/json"]["schema"]["properties"]



async def test_scripts_continue_from_the_database_copy_alone(backend: Backend) -> None:
    # the in-memory script cache is only a cache: forget it before every batch (as a
    # restart or another worker would) and the secure-channel install still completes
    eng = backend.runner._servers[0].config.app.state.engine
    card = VirtualCard.create(None)
    card.power_on()
    tp = backend.touchpoint(card)
    forgotten = []

    def forget(op_id: str, commands: list[str]) -> None:
        forgotten.append(eng.scripts.pop(op_id, None) is not None)

    tp.on_batch = forget
    result = await tp.run_service(HELLO, "install")
    await tp.close()
    assert result.success, result.message
    assert len(forgotten) >= 2 and any(forgotten)
