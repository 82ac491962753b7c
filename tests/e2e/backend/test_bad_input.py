"""Bad input gets a clear 4xx JSON error naming the field, and nothing stored changes."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from tests.e2e.backend.conftest import SECRET, TEST_APP, Backend
from tests.helpers.capwriter import HEADER, build_cap


@pytest.fixture
async def client(backend: Backend) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=backend.url, timeout=30) as c:
        yield c


def check(resp: httpx.Response, status: int, field: str | None, error: str | None = None) -> None:
    assert resp.status_code == status, resp.text
    body = resp.json()
    assert set(body) <= {"error", "message", "field"}
    assert body["message"]
    if field is not None:
        assert body.get("field") == field, body
    if error is not None:
        assert body["error"] == error


async def test_sp_operation_bodies(backend: Backend, client: httpx.AsyncClient,
                                   quiet_session: dict[str, Any]) -> None:
    before = backend.snapshot()
    h = {"sessionId": quiet_session["session"], "Content-Type": "application/json"}
    auth = quiet_session["auth"]
    post = client.post
    check(await post("/transceive", content=b'{"commands": [', headers=h, auth=auth), 400,
          "body", "malformed-json")
    check(await post("/transceive", json={"commands": "00A4040000"}, headers=h, auth=auth),
          400, "commands")
    check(await post("/transceive", json={"commands": ["00A4G40000"]}, headers=h, auth=auth),
          400, "commands.0")
    check(await post("/transceive", json={"commands": ["00A4040000", "00A"]}, headers=h,
                     auth=auth), 400, "commands.1")
    check(await post("/transceive", json={"commands": []}, headers=h, auth=auth), 400,
          "commands")
    check(await post("/transceive", json={"commands": ["00A4040000"]}, auth=auth), 400,
          "sessionId")
    check(await client.put("/ccm/install", headers=h, auth=auth, json={
        "id": "AB" * 32, "searchBy": "lfdbh", "module": "A0000006170011223344",
        "application": f"A00000061700{TEST_APP}01"}), 404, "id")
    check(await client.put("/ccm/install", headers=h, auth=auth, json={
        "executableLoadFile": f"A00000061700{TEST_APP}", "executableModule":
        f"A00000061700{TEST_APP}01", "application": f"A00000061700{TEST_APP}01"}), 404,
        "executableLoadFile")
    check(await client.put("/ccm/delete", headers=h, auth=auth, json={
        "application": f"A00000061700{TEST_APP}", "withRelated": "yes"}), 400, "withRelated")
    check(await post("/desfire/ev1/createApp", headers=h, auth=auth, json={
        "aid": "010203", "keySettings": "0F", "numberOfKeys": "1", "keyType": "AES"}), 400,
        "numberOfKeys")
    check(await post("/desfire/ev1/createApp", headers=h, auth=auth, json={
        "aid": "0102", "keySettings": "0F", "numberOfKeys": 1, "keyType": "AES"}), 400, "aid")
    check(await post("/service/completed", headers=h, auth=auth, json={"success": "true"}),
          400, "success")
    check(await post("/transceive", json={"commands": ["00A4040000"]},
                     headers={**h, "callbackUrl": "ftp://x"}, auth=auth), 400, "callbackUrl")
    assert backend.snapshot() == before


async def test_device_bodies(backend: Backend, client: httpx.AsyncClient,
                             quiet_session: dict[str, Any]) -> None:
    before = backend.snapshot()
    h = backend.device()
    card = {"iin": "11", "cin": "C0FFEE", "platformVersion": 3}
    check(await client.post("/v3/service/deliver", headers=h, json={
        "appId": "0000abcd", "serviceId": "install", "cardId": card}), 404, "appId")
    check(await client.post("/v3/service/deliver", headers=h, json={
        "appId": SECRET, "serviceId": "nope", "cardId": card}), 404, "serviceId")
    check(await client.post("/v3/service/deliver", headers=h, json={
        "appId": SECRET, "serviceId": "install", "cardId": {**card, "cin": "XYZ"}}), 400,
        "cardId.cin")
    check(await client.post("/v3/service/deliver", headers=h, json={
        "appId": "7365637", "serviceId": "install", "cardId": card}), 400, "appId")
    check(await client.post("/v3/service/deliver", headers=h, json={
        "appId": SECRET, "serviceId": "install"}), 400, "cardId")
    check(await client.post("/v3/service/deliver", headers={**h, "Content-Type":
          "application/json"}, content=b"{nope}"), 400, "body", "malformed-json")
    check(await client.post("/v3/service/fetch", headers=h, json={
        "sessionId": "00000000-0000-0000-0000-000000000000"}), 404, "sessionId")
    check(await client.post("/v3/service/fetch", headers=h, json={
        "sessionId": quiet_session["session"], "operationResult": {"operationId": "x"}}),
        400, "operationResult.operationId")
    check(await client.post("/v3/connector/json", headers=h, json={
        "uuid": "00000000-0000-0000-0000-000000000000", "open": True, "responses": []}),
        404, "uuid")
    check(await client.post("/v3/connector/json", headers=h, json={
        "uuid": "x", "open": True, "responses": ["9"]}), 400, "responses.0")
    check(await client.post("/v3/connector/json", headers=h, json={
        "uuid": "x", "open": True, "responses": [9000]}), 400, "responses.0")
    check(await client.post("/v3/service/error", headers=h, json={
        "sessionId": "nope", "message": "x", "fatal": True}), 404, "sessionId")
    check(await client.get("/v3/devices/XY", headers=h), 400, "cin")
    check(await client.get("/v3/devices/0102030405?batchId=-1", headers=h), 400, "batchId")
    check(await client.get("/v3/devices/0102030405?batchId=x", headers=h), 400, "batchId")
    check(await client.get("/v3/devices/identify?cplc=zz", headers=h), 400, "cplc")
    check(await client.get("/v3/devices/identify?cplc=0011", headers=h), 400, "cplc")
    check(await client.get("/v3/devices/identify", headers=h), 400, "cplc")
    assert backend.snapshot() == before
    # a well-formed unseen CIN is registered on the fly (fdsm asks before anything else)
    resp = await client.get("/v3/devices/0102030405?batchId=7", headers=h)
    assert resp.status_code == 200, resp.text
    assert resp.json()["batchId"] == 7 and resp.json()["iin"]
    # devices/identify (fdsm FidesmoCard.java, cards without CIN or batch): the same CPLC
    # always gives the same CIN, with or without the 9F7F2A prefix, and the card is known
    cplc = "4790D321470000000000" + "00" * 32
    first = (await client.get(f"/v3/devices/identify?cplc={cplc}", headers=h)).json()
    again = (await client.get(f"/v3/devices/identify?cplc=9F7F2A{cplc}&uid=04A1B2C3",
                              headers=h)).json()
    assert first == again and len(first["cin"]) == 14 and isinstance(first["batchId"], int)
    known = await client.get(f"/v3/devices/{first['cin']}", headers=h)
    assert known.status_code == 200 and known.json()["batchId"] == first["batchId"]


async def test_oversize_bodies(backend: Backend, client: httpx.AsyncClient,
                               quiet_session: dict[str, Any]) -> None:
    before = backend.snapshot()
    auth = quiet_session["auth"]
    big = b'{"commands": ["' + b"00" * (600 * 1024) + b'"]}'
    check(await client.post("/transceive", content=big, auth=auth, headers={
        "sessionId": quiet_session["session"], "Content-Type": "application/json"}), 413,
        "body", "too-large")

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted while reading
        for _ in range(5):
            yield b" " * (300 * 1024)

    check(await client.post("/v3/service/fetch", content=chunks(), headers={
        **backend.device(), "Content-Type": "application/json"}), 413, "body")
    cap = b"PK" + b"\0" * (2 * 1024 * 1024 + 10)
    check(await client.post(f"/v3/apps/{TEST_APP}/capfiles", content=cap, auth=auth), 413,
          "body")
    assert backend.snapshot() == before


async def test_cap_files_that_do_not_parse(backend: Backend, client: httpx.AsyncClient,
                                           quiet_session: dict[str, Any]) -> None:
    before = backend.snapshot()
    auth = quiet_session["auth"]
    url = f"/v3/apps/{TEST_APP}/capfiles"
    pkg = bytes.fromhex(f"A00000061700{TEST_APP}")
    broken = [
        b"not a zip at all",
        b"",
        build_cap(pkg, [pkg + b"\x01"], omit=(HEADER,)),
        build_cap(pkg, [pkg + b"\x01"], replace={HEADER: b"\x01\x00\x04\xCA\xFE\xBA\xBE"}),
    ]
    for data in broken:
        check(await client.post(url, content=data, auth=auth,
                                headers={"Content-Type": "application/octet-stream"}), 400,
              "body")
    assert (await client.get(url, auth=auth)).json() == []
    assert backend.snapshot() == before
    good = build_cap(pkg, [pkg + b"\x01"])
    first = await client.post(url, content=good, auth=auth)
    assert first.status_code == 201
    doc = first.json()
    assert doc["elfAid"] == pkg.hex().upper() and doc["applets"] == [(pkg + b"\x01").hex().upper()]
    assert len(doc["id"]) == 64
    again = await client.post(url, content=good, auth=auth)
    assert again.status_code == 200 and again.json()["id"] == doc["id"]
    assert (await client.delete(f"{url}/{doc['id']}", auth=auth)).status_code == 204
    check(await client.delete(f"{url}/{doc['id']}", auth=auth), 404, "id")


async def test_app_descriptions_and_recipes(backend: Backend, client: httpx.AsyncClient,
                                            quiet_session: dict[str, Any]) -> None:
    before = backend.snapshot()
    auth = quiet_session["auth"]
    url = f"/v3/apps/{TEST_APP}"
    name = {"en": "Test"}
    cases: list[tuple[dict[str, Any], str]] = [
        ({"name": {}}, "name"),
        ({"name": {"en": 5}}, "name.en"),
        ({"name": {"not a tag": "x"}}, "name.not a tag"),
        ({}, "name"),
        ({"name": name, "installServices": ["missing"]}, "installServices.0"),
        ({"name": name, "installServices": ["install"], "uninstallService": "install"},
         "uninstallService"),
        ({"name": name, "suspendService": "install"}, "unsuspendService"),
        ({"name": name, "description": {"en": "see [x](javascript:alert(1))"}},
         "description.en"),
        ({"name": name, "description": {"en": "<script>x</script>"}}, "description.en"),
        ({"name": name, "logo": "ftp://logo"}, "logo"),
        ({"name": name, "serviceDeliveryUrl": "not a url"}, "serviceDeliveryUrl"),
        ({"name": name, "vat": "25"}, "vat"),
    ]
    for body, field in cases:
        check(await client.put(url, json=body, auth=auth), 400, field)
    check(await client.put(url, content=b"[1, 2", auth=auth,
                           headers={"Content-Type": "application/json"}), 400, "body")
    recipe_url = f"{url}/services/r1/recipe"
    desc = {"title": {"en": "R"}}
    recipes: list[tuple[dict[str, Any], str]] = [
        ({"actions": []}, "description"),
        ({"description": {"title": {}}}, "description.title"),
        ({"description": desc, "actions": [{"endpoint": "/nope", "content": {}}]},
         "actions.0.endpoint"),
        ({"description": desc, "actions": [{"endpoint": "/transceive",
                                            "content": {"commands": ["0"]}}]},
         "actions.0.content.commands.0"),
        ({"description": {**desc, "fieldsRequired": [{"id": "a", "type": "bogus",
                                                      "label": {"en": "A"}}]}},
         "description.fieldsRequired.0.type"),
    ]
    for body, field in recipes:
        check(await client.put(recipe_url, json=body, auth=auth), 400, field)
    check(await client.get("/v3/apps/zzzz", headers=backend.device()), 400, "appId")
    check(await client.get("/v3/apps/0000abcd", headers=backend.device()), 404, "appId")
    check(await client.post("/admin/apps", json={"appId": "xyz"}, headers=backend.admin()),
          400, "appId")
    check(await client.put("/admin/card-keys", json={"scope": "iin", "match": "11",
                                                     "masterKey": "00"},
                           headers=backend.admin()), 400, "masterKey")
    assert backend.snapshot() == before


async def test_fetch_long_poll_answers_204_or_503(backend: Backend, client: httpx.AsyncClient,
                                                  quiet_session: dict[str, Any]) -> None:
    body = {"sessionId": quiet_session["session"]}
    h = backend.device()
    now = await client.post("/v3/service/fetch", json=body, headers=h, params={"wait": 0})
    assert now.status_code == 204 and not now.content
    waited = await client.post("/v3/service/fetch", json=body, headers=h,
                               params={"wait": 0.3})
    assert waited.status_code == 503 and waited.json()["error"] == "not-ready"


async def test_status_is_404_until_the_operation_ends(backend: Backend,
                                                      client: httpx.AsyncClient,
                                                      quiet_session: dict[str, Any]) -> None:
    auth = quiet_session["auth"]
    resp = await client.post("/v3/service/deliver", headers=backend.device(), json={
        "appId": TEST_APP, "serviceId": "install", "fields": {"nickname": "s"},
        "cardId": {"iin": "11", "cin": "C0FFEE02", "platformVersion": 3}})
    session_id = resp.json()["sessionId"]
    op = await client.post("/transceive", json={"commands": ["00A4040000"]}, auth=auth,
                           headers={"sessionId": session_id})
    assert op.status_code == 200
    op_id = op.json()["operationId"]
    pending = await client.get(f"/status/{op_id}", auth=auth)
    check(pending, 404, "operationId", "not-ready")
    # nobody carries it: the touch point timeout ends it with 408
    for _ in range(100):
        done = await client.get(f"/status/{op_id}", auth=auth)
        if done.status_code == 200:
            break
        await asyncio.sleep(0.1)
    assert done.json() == {"operationId": op_id, "statusCode": 408,
                           "message": "The touch point did not answer in time."}
    late = await client.post("/transceive", json={"commands": ["00A4040000"]}, auth=auth,
                             headers={"sessionId": session_id})
    check(late, 409, "sessionId", "conflict")
