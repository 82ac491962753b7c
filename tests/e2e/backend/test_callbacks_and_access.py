"""Callbacks with retries, and what one SP may see of another's (nothing: 403)."""

from __future__ import annotations

import asyncio
import uuid

import httpx

from tests.e2e.backend.conftest import SECRET, Backend
from tests.helpers.tp_loop import TouchPoint


async def _wait_for(predicate, seconds: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    for _ in range(int(seconds / 0.05)):
        if predicate():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not met in time")


async def test_callback_retried_until_delivered_once(backend: Backend, tp: TouchPoint) -> None:
    demo = backend.demo
    demo.fail_callbacks = 2  # the SP's callback endpoint fails twice, then works
    attempts_before = demo.callback_attempts
    result = await tp.run_service(SECRET, "install", {"nickname": "cb"})
    assert result.success, result.message
    session = await backend.session(result.session_id or "")
    first = session["operations"][0]
    assert first["callback"]["delivered"] is True
    assert first["callback"]["attempts"] == 3
    assert first["callback"]["lastError"] is None
    # the SP received the result exactly once
    received = [c for c in demo.callbacks if c["operationId"] == first["operationId"]]
    assert len(received) == 1 and received[0]["statusCode"] == 200
    assert demo.callback_attempts - attempts_before == 4  # 3 for the first, 1 for the second
    # and the result can be read back
    async with httpx.AsyncClient(base_url=backend.url, auth=backend.secret_auth()) as c:
        status = await c.get(f"/status/{first['operationId']}")
        assert status.status_code == 200
        assert status.json() == {"operationId": first["operationId"], "statusCode": 200}


async def test_an_sp_cannot_read_or_use_another_sps_ids(backend: Backend,
                                                        tp: TouchPoint) -> None:
    result = await tp.run_service(SECRET, "desfire-create")
    assert result.success
    session = await backend.session(result.session_id or "")
    op_id = session["operations"][0]["operationId"]
    async with httpx.AsyncClient(base_url=backend.url) as c:
        other = (await c.post("/admin/apps", json={"appId": "0badc0de"},
                              headers=backend.admin())).json()
        other_auth = httpx.BasicAuth(other["appId"], other["appKey"])
        mine = await c.get(f"/status/{op_id}", auth=backend.secret_auth())
        assert mine.status_code == 200 and mine.json()["statusCode"] == 200
        theirs = await c.get(f"/status/{op_id}", auth=other_auth)
        unknown = await c.get(f"/status/{uuid.uuid4()}", auth=other_auth)
        # another SP's id and an id that does not exist look the same: 403
        assert theirs.status_code == unknown.status_code == 403
        assert theirs.json()["error"] == unknown.json()["error"] == "forbidden"
        # the bearer token form works the same way
        token = {"Authorization": f"Bearer {other['token']}"}
        assert (await c.get(f"/status/{op_id}", headers=token)).status_code == 403
        # operations inside someone else's session are refused
        op = await c.post("/transceive", json={"commands": ["00A4040000"]}, auth=other_auth,
                          headers={"sessionId": result.session_id or ""})
        assert op.status_code == 403 and op.json()["field"] == "sessionId"
        # another SP's App Description and CAP files are out of reach
        assert (await c.get(f"/v3/apps/{SECRET}/capfiles", auth=other_auth)).status_code == 403
        assert (await c.put(f"/v3/apps/{SECRET}", json={"name": {"en": "x"}},
                            auth=other_auth)).status_code == 403
        # legacy app_id/app_key headers are accepted too
        legacy = {"app_id": SECRET, "app_key": backend.demo.app_key or ""}
        assert (await c.get(f"/status/{op_id}", headers=legacy)).status_code == 200
        wrong = {"app_id": SECRET, "app_key": "00" * 16}
        assert (await c.get(f"/status/{op_id}", headers=wrong)).status_code == 401


async def test_secure_channel_only_to_own_domain(backend: Backend, tp: TouchPoint) -> None:
    resp = await tp.deliver(SECRET, "rotate-key")
    assert resp.status_code == 200
    session_id = resp.json()["sessionId"]
    async with httpx.AsyncClient(base_url=backend.url, auth=backend.secret_auth()) as c:
        other_sd = await c.post("/secure-transceive", headers={"sessionId": session_id},
                                json={"application": "A000000151000000",
                                      "commands": ["80CA006600"]})
        # outside the app's namespace: refused where written, 400 naming the field
        assert other_sd.status_code == 400 and other_sd.json()["field"] == "application"
        foreign = await c.put("/ccm/delete", headers={"sessionId": session_id},
                              json={"application": "A0000006170068656C6F01",
                                    "withRelated": True})
        assert foreign.status_code == 403
    await tp.follow(session_id)


async def test_device_api_needs_the_token(backend: Backend) -> None:
    async with httpx.AsyncClient(base_url=backend.url) as c:
        resp = await c.post("/v3/service/fetch", json={"sessionId": "x"})
        assert resp.status_code == 401 and resp.json()["error"] == "unauthorized"
        resp = await c.post("/v3/service/fetch", json={"sessionId": "x"},
                            headers={"Authorization": "Bearer wrong"})
        assert resp.status_code == 401
        resp = await c.get("/admin/apps", headers=backend.device())
        assert resp.status_code == 401  # the device token is not the admin token


async def test_openapi_schema_and_docs_are_served(backend: Backend) -> None:
    async with httpx.AsyncClient(base_url=backend.url) as c:
        spec = (await c.get("/openapi.json")).json()
        assert "/v3/connector/json" in spec["paths"] and "/ccm/install" in spec["paths"]
        assert "put" in spec["paths"]["/ccm/install"]
        docs = await c.get("/docs")
        assert docs.status_code == 200 and "swagger" in docs.text.lower()
